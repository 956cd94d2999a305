"""Writes to the access log and its retention purge."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from program.audit.conf import ACCESS_LOG_RETENTION_FLOOR_DAYS, access_log_retention_days
from program.audit.models import AccessLogEntry, AuditPurge
from program.audit.purpose import resolve_purpose
from program.core.errors import ApplicationError
from program.core.request_id import current_request_id

# Query-string keys that shape a list (order, page, format) rather than choose whom it shows.
NOT_A_CRITERION = frozenset(
    {"order", "ordering", "page", "page_size", "format", "purpose", "csrfmiddlewaretoken"}
)
MAX_PURPOSE = 200


def _criterion(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    if not raw:
        return {}
    kept: dict[str, Any] = {}
    for key, value in raw.items():
        if key in NOT_A_CRITERION or value in (None, "", [], (), set(), frozenset()):
            continue
        if isinstance(value, set | frozenset | tuple):
            value = sorted(str(item) for item in value)
        kept[key] = value
    return kept


def access_log_record(
    *,
    request: HttpRequest,
    action: str,
    subject_type: str = "",
    subject_id: str | int = "",
    purpose: str = "",
    criterion: Mapping[str, Any] | None = None,
) -> AccessLogEntry | None:
    """Write one access-log row for this request: who, when (UTC), what, about whom, why.

    The purpose, when not given, is the one the user chose for this subject in this session
    (pages), or `?purpose=` / `X-Purpose` (API, "api" by default). A search records its criterion
    (filter names and values; ordering and paging are dropped); a search without any criterion
    is only a listing and records nothing. The criterion is stored here and never written to the
    application log.
    """
    kept = _criterion(criterion)
    if action == AccessLogEntry.Action.SEARCH and not kept:
        return None
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    match = getattr(request, "resolver_match", None)
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        actor=user if signed_in else None,
        actor_username=user.get_username() if signed_in and user is not None else "",
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        purpose=(purpose or resolve_purpose(request, subject_type, subject_id))[:MAX_PURPOSE],
        request_id=getattr(request, "request_id", "") or current_request_id(),
        route=match.view_name if match else "",
        criterion=kept,
    )


def access_log_list(
    *,
    request: HttpRequest,
    subject_type: str,
    subject_ids: Iterable[str | int],
    criterion: Mapping[str, Any] | None = None,
    action: str = "",
    purpose: str = "",
) -> AccessLogEntry:
    """One row for a list, search or export: everyone it returned, and the filter used.

    Every person shown is named in `subject_ids` (each once, in the order shown), so a person's
    access report and the auditor's search by person find the list; an empty page is logged too,
    since its filter says what was looked for. The action is a search when a criterion was given
    (ordering and paging are not one), a listing otherwise. Afterwards the reader's hour of reads
    is checked against the bulk-read alert (program/audit/watch.py).
    """
    from program.audit import watch  # watch imports notifications, which is heavier

    kept = _criterion(criterion)
    if not action:
        action = AccessLogEntry.Action.SEARCH if kept else AccessLogEntry.Action.LIST
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    match = getattr(request, "resolver_match", None)
    entry = AccessLogEntry(
        at=timezone.now(),
        actor=user if signed_in else None,
        actor_username=user.get_username() if signed_in and user is not None else "",
        action=action,
        subject_type=subject_type,
        subject_ids=list(dict.fromkeys(str(subject_id) for subject_id in subject_ids)),
        purpose=(purpose or resolve_purpose(request, subject_type, ""))[:MAX_PURPOSE],
        request_id=getattr(request, "request_id", "") or current_request_id(),
        route=match.view_name if match else "",
        criterion=kept,
    )
    if not (signed_in and entry.subject_ids and watch.watching()):
        entry.save(force_insert=True)
        return entry
    # The row and the reader's distinct people of the hour in one round trip.
    read = watch.insert_and_count(entry)
    watch.bulk_read_check(request=request, entry=entry, read=read)
    return entry


def access_log_record_many(
    *,
    request: HttpRequest,
    action: str,
    subject_type: str,
    subject_ids: Sequence[str | int],
    purpose: str,
    criterion: Mapping[str, Any] | None = None,
) -> list[AccessLogEntry]:
    """One row per subject, written in one INSERT: a list or a disclosure of many people.

    A transport manifest handed to the host side names each person on it; each of them must be
    able to learn of it (their access report), so each gets their own row. The purpose is given
    (a disclosure's is not a per-record session choice); the criterion carries the recipient.
    """
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    match = getattr(request, "resolver_match", None)
    at = timezone.now()
    request_id = getattr(request, "request_id", "") or current_request_id()
    kept = _criterion(criterion)
    return AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            at=at,
            actor=user if signed_in else None,
            actor_username=user.get_username() if signed_in and user is not None else "",
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            purpose=purpose[:MAX_PURPOSE],
            request_id=request_id,
            route=match.view_name if match else "",
            criterion=kept,
        )
        for subject_id in dict.fromkeys(subject_ids)  # each person once, in order
    )


@transaction.atomic
def access_log_purge(
    *, older_than_days: int | None = None, actor: str = "system:audit.access_log_purge"
) -> AuditPurge:
    """Delete access-log rows older than the retention period and record how many (never which).

    Idempotent: a second run the same day deletes nothing and records a zero. The database
    trigger lets the DELETE through only inside this transaction (SET LOCAL audit.purge) and
    only for rows older than its own floor, whatever is asked here.
    """
    days = access_log_retention_days() if older_than_days is None else older_than_days
    if days < ACCESS_LOG_RETENTION_FLOOR_DAYS:
        raise ApplicationError(
            f"Access-log entries are kept at least {ACCESS_LOG_RETENTION_FLOOR_DAYS} days; "
            f"{days} is too short."
        )
    now = timezone.now()
    cutoff = now - timedelta(days=days)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('audit.purge', 'on', true)")
    deleted, _by_model = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('audit.purge', 'off', true)")
    return AuditPurge.objects.create(
        at=now, older_than_days=days, cutoff=cutoff, access_log_deleted=deleted, actor=actor
    )
