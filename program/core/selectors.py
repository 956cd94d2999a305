from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.utils import DatabaseError
from django.utils.translation import gettext as _

from program.core.models import Heartbeat, UserPreferences


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Check("database", ok=False, detail=type(error).__name__)
    return Check("database", ok=True, detail=_("%(service)s answers") % {"service": "PostgreSQL"})


def broker_check() -> Check:
    from program.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = str(conn.transport_cls)
    except Exception as error:  # kombu raises transport-specific errors; any failure means down
        return Check("broker", ok=False, detail=type(error).__name__)
    return Check("broker", ok=True, detail=_("%(service)s answers") % {"service": transport})


def heartbeats() -> list[Heartbeat]:
    return list(Heartbeat.objects.order_by("name"))


def heartbeat_last_run(name: str) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("last_run_at", flat=True).first()


def user_language(*, user_id: int) -> str | None:
    """The language the user chose (a code from settings.LANGUAGES), or None if they never did
    (a preferences row saved for the programme alone carries no language)."""
    return (
        UserPreferences.objects.filter(user_id=user_id).values_list("language", flat=True).first()
        or None
    )


def user_languages(*, user_ids: Iterable[int]) -> dict[int, str]:
    """Each user's language, the configured default for those who never chose (one query)."""
    ids = set(user_ids)
    chosen = dict(
        UserPreferences.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    offered = dict(settings.LANGUAGES)
    return {pk: chosen[pk] if chosen.get(pk) in offered else settings.LANGUAGE_CODE for pk in ids}


def preferred_language(user: AbstractBaseUser) -> str:
    """The language the user reads: their choice, or the configured default. Reads
    `user.preferences`; select_related("…preferences") saves its query."""
    try:
        chosen = user.preferences.language  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        chosen = ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
