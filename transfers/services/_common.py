"""Helpers shared by the transfer services: roles, timeline events, reason codes, the
compare-and-set of a case's state, and the caseworker's notifications. Private to this package."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from program.cells import services as cells_services
from program.cells.models import Placement
from program.core.capabilities import require
from program.core.errors import (
    ApplicationError,
    ConflictError,
    PermissionRefusedError,
)
from program.core.selectors import user_languages
from program.core.versioning import StaleVersionError, lock_at_version
from program.notifications import services as notifications
from program.notifications.models import Notification
from transfers.models import (
    CaseEvent,
    ManifestEntry,
    ReasonCode,
    TransferCase,
)
from transfers.moves import CLOSED_STATES, S


class RoleRefusedError(PermissionRefusedError):
    """The actor does not hold the capability of this move or record."""


# --- Helpers ----------------------------------------------------------------------------------


def _label(state: str) -> str:
    return str(S(state).label)


def _require_role(actor: User | None, capability: str, what: str) -> None:
    """The service rule: refuse unless the actor holds the capability (none for no actor)."""
    require(actor, capability, what, error=RoleRefusedError)


def _event(
    case: TransferCase,
    kind: str,
    *,
    actor: User | None,
    from_state: str = "",
    to_state: str = "",
    reason_code: ReasonCode | None = None,
    text: str = "",
    payload: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason_code=reason_code,
        text=text,
        payload=payload or {},
    )


def _reason(code: str, applies_to: str) -> ReasonCode:
    reason = ReasonCode.objects.filter(code=code, applies_to=applies_to, active=True).first()
    if reason is None:
        codes = list(
            ReasonCode.objects.filter(applies_to=applies_to, active=True).values_list(
                "code", flat=True
            )
        )
        raise ApplicationError(
            _("Choose a coded reason (%(kind)s).")
            % {"kind": ReasonCode.AppliesTo(applies_to).label},
            details={"reason": codes},
        )
    return reason


def _cas(case: TransferCase, to: str, **fields: Any) -> bool:
    """Compare-and-set the state. True when moved; False when it already was `to` (no-op).

    The UPDATE's WHERE names the state and version the caller saw. A concurrent writer holds
    the row lock until it commits; then PostgreSQL re-checks the WHERE, finds a new version and
    updates nothing, and the loser is told what the case became.
    """
    now = timezone.now()
    updated = TransferCase.objects.filter(
        pk=case.pk, state=case.state, version=case.version
    ).update(
        state=to,
        version=F("version") + 1,
        updated_at=now,
        closed_at=now if to in CLOSED_STATES else None,
        **fields,
    )
    fresh = TransferCase.objects.get(pk=case.pk)
    if not updated:
        if fresh.state == to and case.state != to:
            _copy(fresh, case)
            return False
        raise _changed_meanwhile(fresh)
    _copy(fresh, case)
    return True


def _changed_meanwhile(fresh: TransferCase) -> ConflictError:
    """The refusal when a guarded write found the case moved on: what it is now, and its
    version, so the reader can reload and try again."""
    return ConflictError(
        _(
            "The case changed meanwhile: it is now %(state)s (version %(version)s). "
            "Reload it and try again."
        )
        % {"state": _label(fresh.state), "version": fresh.version},
        details={"state": fresh.state, "version": fresh.version},
    )


def _require_read_version(case: TransferCase, expected_version: int | None) -> None:
    """Lock the case and refuse it if it moved past the version the caller read (a form's hidden
    field, the API's If-Match), saying who moved it, how and when. Under the lock nothing can move
    it between this check and the action's own compare-and-set."""
    if expected_version is None:
        return
    locked = lock_at_version(
        TransferCase,
        case.pk,
        expected_version,
        missing=ConflictError(_("The case no longer exists.")),
        stale=_stale,
    )
    _copy(locked, case)


def _stale(locked: TransferCase, expected_version: int) -> StaleVersionError:
    """What the caller missed: who moved the case last, how and when (from its timeline)."""
    latest = (
        CaseEvent.objects.filter(case_id=locked.pk)
        .exclude(to_state="")
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    who = latest.actor.get_username() if latest and latest.actor else _("the system")
    when = timezone.localtime(latest.at if latest else locked.updated_at)
    what = (
        _("moved it from %(from)s to %(to)s")
        % {"from": _label(latest.from_state), "to": _label(latest.to_state)}
        if latest and latest.from_state
        else _("changed it")
    )
    return StaleVersionError(
        _(
            "Someone changed this case after you read it (your version %(read)s, now "
            "%(version)s): %(who)s %(what)s at %(when)s. Nothing was saved; reload the case "
            "and try again."
        )
        % {
            "read": expected_version,
            "version": locked.version,
            "who": who,
            "what": what,
            "when": when.strftime("%Y-%m-%d %H:%M:%S"),
        },
        version=locked.version,
        read_version=expected_version,
        changed_by=who,
        changed_at=when,
        details={"state": locked.state},
    )


def _copy(source: TransferCase, target: TransferCase) -> None:
    for name in (
        "state",
        "version",
        "closed_at",
        "updated_at",
        "notified_on",
        "notification_language",
        "appeal_deadline",
        "appeal_lodged_on",
        "appeal_outcome",
        "appeal_decided_on",
        "placement_id",
        "review_due_on",
    ):
        setattr(target, name, getattr(source, name))


def _parse_date(data: dict[str, Any], key: str, default: date | None = None) -> date:
    raw = data.get(key)
    if raw in (None, ""):
        if default is not None:
            return default
        raise ApplicationError(
            _("Give the date (%(key)s).") % {"key": key}, details={key: ["required"]}
        )
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError as error:
        raise ApplicationError(
            _("Give the date as YYYY-MM-DD (%(key)s).") % {"key": key},
            details={key: ["invalid date"]},
        ) from error


def _live_manifest(case: TransferCase) -> ManifestEntry | None:
    return (
        ManifestEntry.objects.select_related("batch", "placement")
        .filter(case=case, removed_at__isnull=True)
        .first()
    )


def _free_reservation(case: TransferCase, *, reason: str, actor: User | None) -> None:
    """Cancel the case's reservation (if still open) and take it off its transport."""
    entry = _live_manifest(case)
    placement = entry.placement if entry is not None else None
    if placement is None and case.placement_id:
        placement = Placement.objects.filter(pk=case.placement_id).first()
    if (
        placement is not None
        and placement.kind == Placement.Kind.RESERVATION
        and not placement.end_reason
    ):
        cells_services.reservation_cancel(reservation=placement, reason=reason, actor=actor)
    if entry is not None:
        entry.removed_at = timezone.now()
        entry.save(update_fields=["removed_at"])


# --- Notifications ----------------------------------------------------------------------------


# How a notification names a transfer case (the subject type, as in the access log).
CASE_SUBJECT = "transfer_case"


def _case_text(case_id: int, text: str) -> str:
    # Only the case number and the event's own words (states, dates): no name, no facts.
    return (_("Case #%(pk)s: %(text)s") % {"pk": case_id, "text": text})[:300]


def _outcome_changed_text(before: str | None, after: str) -> str:
    return _("Eligibility changed from %(before)s to %(after)s.") % {
        "before": before or _("not screened"),
        "after": after,
    }


def _reminder_text(what: str, due: date) -> str:
    return _("%(what)s due on %(date)s.") % {
        "what": what,
        "date": formats.date_format(due, "SHORT_DATE_FORMAT"),
    }


def _event_text(event: CaseEvent) -> str:
    """The event's words in the active language: made again from its payload for the kinds the
    sweep and the reminders write, as stored for any other."""
    payload = event.payload or {}
    if event.kind == CaseEvent.Kind.OUTCOME_CHANGED and "after" in payload:
        return _outcome_changed_text(payload.get("before"), payload["after"])
    if event.kind == CaseEvent.Kind.REMINDER and "due" in payload:
        return _reminder_text(payload["what"], date.fromisoformat(payload["due"]))
    return event.text


def _caseworker_languages(events: Sequence[CaseEvent]) -> dict[int, str]:
    """The language each event's caseworker reads (one query)."""
    return user_languages(user_ids={event.case.caseworker_id for event in events})


def _case_notification(event: CaseEvent, kind: str, languages: dict[int, str]) -> Notification:
    """The caseworker's notification of a case event, in the caseworker's language: one per
    event (its dedupe key)."""
    recipient_id = event.case.caseworker_id
    with translation.override(languages.get(recipient_id)):
        text = _case_text(event.case.pk, _event_text(event))
    return Notification(
        recipient_id=recipient_id,
        kind=kind,
        subject_type=CASE_SUBJECT,
        subject_id=str(event.case.pk),
        link=reverse("transfers:case-detail", args=[event.case.pk]),
        text=text,
        dedupe_key=event.dedupe_key,
    )


def notify(
    *, recipient: User, kind: str, text: str, case: TransferCase, dedupe_key: str = ""
) -> Notification:
    """Tell a user about a case, in the app and by e-mail (program.notifications sends it).

    With a dedupe key, the same fact for the same recipient and case is one notification.
    """
    return notifications.notify(
        recipient=recipient,
        kind=kind,
        text=text,
        subject_type=CASE_SUBJECT,
        subject_id=case.pk,
        link=reverse("transfers:case-detail", args=[case.pk]),
        dedupe_key=dedupe_key,
    )
