from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError
from program.core.models import Heartbeat, UserPreferences
from program.core.security_log import security_event


@transaction.atomic
def heartbeat_record(*, name: str, worker: str) -> Heartbeat:
    """Record that the job ran now. Safe under concurrent runs: the row is locked while counted."""
    now = timezone.now()
    beat, created = Heartbeat.objects.select_for_update().get_or_create(
        name=name, defaults={"last_run_at": now, "runs": 1, "worker": worker}
    )
    if not created:
        Heartbeat.objects.filter(pk=beat.pk).update(
            last_run_at=now, runs=F("runs") + 1, worker=worker
        )
        beat.refresh_from_db()
    return beat


@transaction.atomic
def user_language_set(*, user: AbstractBaseUser, language: str) -> UserPreferences:
    """Save the language the user reads. Refuses a code that is not in settings.LANGUAGES."""
    offered = dict(settings.LANGUAGES)
    if language not in offered:
        raise ApplicationError(
            _("%(language)s is not one of the languages offered: %(offered)s.")
            % {"language": language, "offered": ", ".join(offered)},
            details={"language": [language]},
        )
    preferences, _created = UserPreferences.objects.update_or_create(
        user_id=user.pk, defaults={"language": language}
    )
    return preferences


@transaction.atomic
def user_email_set(*, user: User, email: str) -> User:
    """Change the address the user's notifications are e-mailed to (checked as an address).

    A security event, because whoever controls the address reads the notifications.
    """
    address = email.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ApplicationError(
            _("“%(email)s” is not an e-mail address. Type it like name@example.dk.")
            % {"email": address},
            details={"email": "invalid"},
        ) from None
    local, _at, domain = address.rpartition("@")
    address = f"{local}@{domain.lower()}"
    previous = getattr(user, "email", "")
    if address == previous:
        return user
    user.email = address
    user.save(update_fields=["email"])
    security_event(
        "email_changed",
        username=user.get_username(),
        had_address=bool(previous),
    )
    return user
