"""Writes to handover records: start, fill in, complete, acknowledge (escort, arrival), correct.

Each is one transaction, checks the actor's role itself (pages, the API and the demo alike), and
changes the row by compare-and-set on its version, so two people filling in the same record cannot
overwrite each other unseen. Every write is in the write history (pghistory triggers).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.capabilities import can, roles_with
from program.core.errors import (
    ApplicationError,
    ConflictError,
    PermissionRefusedError,
)
from program.core.versioning import StaleVersionError, lock_at_version, save_locked
from program.handover import selectors
from program.handover.models import ALERTS, CASEWORKER_FIELDS, HEALTH_FIELDS, Handover, Level
from program.host.selectors import posted_facility
from transfers.models import TransferCase

# The person has left with the escort (or arrived): the host facility may acknowledge.
DEPARTED_STATES = frozenset(
    {TransferCase.State.IN_TRANSIT, TransferCase.State.ADMITTED, TransferCase.State.SERVING}
)


class RoleRefusedError(PermissionRefusedError):
    pass


def _require(actor: User, capability: str, what: str) -> None:
    """The service rule: refuse unless the actor holds the capability."""
    if not can(actor, capability):
        raise RoleRefusedError(
            _("Your role may not %(what)s.") % {"what": what},
            details={"roles": sorted(roles_with(capability))},
        )


def _locked(handover: Handover) -> Handover:
    """The row, locked for this transaction; refused when it may no longer change."""
    row = lock_at_version(Handover, handover.pk, None)
    if row.superseded_at is not None:
        raise ConflictError(
            _("This handover was corrected: open the edition in force instead."),
            details={"handover": ["superseded"]},
        )
    return row


def _check_version(row: Handover, expected_version: int | None) -> None:
    """The shared "changed since you read it" refusal, checked after the steps that must refuse
    first (a superseded edition, another facility's officer), in the handover's own words: the row
    names who changed it last."""
    if expected_version is not None and row.version != expected_version:
        changed_by = row.updated_by.get_username()
        raise StaleVersionError(
            _(
                "The handover was changed by %(user)s at %(at)s since you read it (version "
                "%(read)s, now %(now)s). Read it again and make your change there."
            )
            % {
                "user": changed_by,
                "at": timezone.localtime(row.updated_at).strftime("%Y-%m-%d %H:%M"),
                "read": expected_version,
                "now": row.version,
            },
            version=row.version,
            read_version=expected_version,
            changed_by=changed_by,
            changed_at=row.updated_at,
        )


def _not_acknowledged(row: Handover) -> None:
    if row.escort_acknowledged_at is not None:
        raise ConflictError(
            _(
                "The escort has acknowledged this handover, so it can no longer be changed. "
                "Make a correction: it becomes a new edition and this one is kept."
            ),
            details={"handover": ["acknowledged"]},
        )


def _save(row: Handover, actor: User, **fields: Any) -> Handover:
    return save_locked(row, updated_by=actor, **fields)


@transaction.atomic
def handover_start(*, case: TransferCase, actor: User) -> Handover:
    """The record of the case's seat on its transport out, started empty (the interpreter need
    taken from the person's record); the one already started if there is one."""
    _require(actor, "handover.prepare", _("start a handover"))
    seat = selectors.live_seat(case)
    if seat is None:
        raise ConflictError(
            _("Case #%(case)s has no seat on a transport to the host prison: book one first.")
            % {"case": case.pk},
            details={"case": ["no seat"]},
        )
    existing = selectors.current_for(case.pk, seat.batch_id)
    if existing is not None:
        return existing
    if seat.placement is None:
        raise ConflictError(
            _("Case #%(case)s has no reserved place, so the receiving facility is not known.")
            % {"case": case.pk},
            details={"case": ["no reserved place"]},
        )
    inmate = case.inmate
    try:
        with transaction.atomic():
            return Handover.objects.create(
                case=case,
                batch=seat.batch,
                facility=seat.placement.place.cell.unit.facility,
                interpreter=inmate.interpreter_needed,
                interpreter_language=(inmate.languages or [""])[0]
                if inmate.interpreter_needed
                else "",
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:  # started at the same moment by someone else: theirs stands
        found = selectors.current_for(case.pk, seat.batch_id)
        if found is None:
            raise
        return found


def _clean_values(values: Mapping[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(unknown)},
            details={name: ["not allowed"] for name in unknown},
        )
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    graded = {kind.field for kind in ALERTS if kind.graded}
    flags = {kind.field for kind in ALERTS if not kind.graded}
    for name, value in values.items():
        if name in graded:
            if value not in Level.values:
                errors[name] = [_("Choose one of: %(levels)s.") % {"levels": ", ".join(Level)}]
            cleaned[name] = value
        elif name in flags:
            if not isinstance(value, bool):
                errors[name] = [_("Say yes or no.")]
            cleaned[name] = value
        else:
            text = str(value or "").strip()
            limit = getattr(Handover._meta.get_field(name), "max_length", None) or 0
            if limit and len(text) > limit:
                errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
            cleaned[name] = text
    if errors:
        raise ApplicationError(_("Correct the fields named."), details=errors)
    return cleaned


@transaction.atomic
def handover_update(
    *,
    handover: Handover,
    actor: User,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> Handover:
    """Change the record while the escort has not acknowledged it: the caseworker writes the
    alerts and what to do, health staff the health details. A change to a completed record takes
    its completion back (the escort acknowledges what was completed, nothing else)."""
    _require(actor, "handover.prepare", _("fill in a handover"))
    allowed: tuple[str, ...] = ()
    if can(actor, "handover.alerts.edit"):
        allowed += CASEWORKER_FIELDS
    if can(actor, "handover.health.edit"):
        allowed += HEALTH_FIELDS
    row = _locked(handover)
    _check_version(row, expected_version)
    _not_acknowledged(row)
    cleaned = _clean_values(values, allowed)
    changed = {name: value for name, value in cleaned.items() if getattr(row, name) != value}
    fields: dict[str, Any] = dict(changed)
    if any(name in HEALTH_FIELDS for name in cleaned):
        # Saving the health part, even unchanged or empty, is health staff's review of it.
        fields.update(health_reviewed_by=actor, health_reviewed_at=timezone.now())
    if not fields:
        return row
    if changed and row.completed_at is not None:
        fields.update(completed_at=None, completed_by=None)
    return _save(row, actor, **fields)


def missing_for_completion(handover: Handover) -> list[str]:
    """What the record still lacks before it may be marked complete, in words."""
    missing = []
    if handover.health_reviewed_at is None:
        missing.append(_("the health staff's part (saved by health staff, even if empty)"))
    for kind in handover.alerts_raised():
        if not getattr(handover, kind.todo_field).strip():
            missing.append(_("what to do about: %(alert)s") % {"alert": kind.label})
    if handover.interpreter and not handover.interpreter_language.strip():
        missing.append(_("the language to interpret"))
    return missing


@transaction.atomic
def handover_complete(
    *, handover: Handover, actor: User, expected_version: int | None = None
) -> Handover:
    """Mark the record complete (the caseworker, once health staff have done their part)."""
    _require(actor, "handover.complete", _("mark a handover complete"))
    row = _locked(handover)
    _check_version(row, expected_version)
    if row.completed_at is not None:
        return row
    missing = missing_for_completion(row)
    if missing:
        raise ConflictError(
            _("The handover cannot be completed yet. Still missing: %(missing)s.")
            % {"missing": "; ".join(missing)},
            details={"missing": missing},
        )
    return _save(row, actor, completed_at=timezone.now(), completed_by=actor)


@transaction.atomic
def handover_acknowledge_escort(
    *,
    handover: Handover,
    actor: User,
    escort_officer: str,
    expected_version: int | None = None,
) -> Handover:
    """Record that the escort officer named has read and taken the record (before departure,
    recorded by the caseworker who hands the person over). From here the record is read-only."""
    _require(actor, "handover.escort.record", _("record the escort's acknowledgment"))
    row = _locked(handover)
    _check_version(row, expected_version)
    if row.escort_acknowledged_at is not None:
        return row
    name = escort_officer.strip()
    if not name:
        raise ApplicationError(
            _("Write the name of the escort officer who acknowledges the handover."),
            details={"escort_officer": ["required"]},
        )
    if len(name) > 200:
        raise ApplicationError(
            _("At most %(n)s characters.") % {"n": 200}, details={"escort_officer": ["too long"]}
        )
    if row.completed_at is None:
        raise ConflictError(
            _("Mark the handover complete before the escort acknowledges it."),
            details={"handover": ["not complete"]},
        )
    return _save(
        row,
        actor,
        escort_officer=name,
        escort_recorded_by=actor,
        escort_acknowledged_at=timezone.now(),
    )


@transaction.atomic
def handover_acknowledge_arrival(
    *, handover: Handover, actor: User, expected_version: int | None = None
) -> Handover:
    """Record that the receiving facility's officer has read the alerts and what to do, on the
    person's arrival. Only staff posted to that facility."""
    _require(actor, "handover.arrival.acknowledge", _("acknowledge a handover on arrival"))
    facility = posted_facility(actor)
    row = _locked(handover)
    if facility is None or facility.pk != row.facility_id:
        raise RoleRefusedError(
            _("Only the staff of the receiving facility may acknowledge this handover."),
            details={"facility": ["not yours"]},
        )
    _check_version(row, expected_version)
    if row.arrival_acknowledged_at is not None:
        return row
    if row.escort_acknowledged_at is None:
        raise ConflictError(
            _("The escort has not acknowledged this handover yet."),
            details={"handover": ["not acknowledged by the escort"]},
        )
    state = TransferCase.objects.values_list("state", flat=True).get(pk=row.case_id)
    if state not in DEPARTED_STATES:
        raise ConflictError(
            _("The person has not left on the transport yet: acknowledge on arrival."),
            details={"case": [state]},
        )
    return _save(row, actor, arrival_acknowledged_at=timezone.now(), arrival_acknowledged_by=actor)


@transaction.atomic
def handover_correct(*, handover: Handover, actor: User, reason: str) -> Handover:
    """A new edition of an acknowledged record, to change it: the old one stays, superseded, with
    its acknowledgments; the new one is filled in, completed and acknowledged again."""
    _require(actor, "handover.prepare", _("correct a handover"))
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Say why the handover is corrected."), details={"reason": ["required"]}
        )
    row = _locked(handover)
    if row.escort_acknowledged_at is None:
        raise ConflictError(
            _("This handover is not acknowledged yet: change it directly."),
            details={"handover": ["not acknowledged"]},
        )
    now = timezone.now()
    # Out of force first, so the new edition is the one record in force (the unique index).
    Handover.objects.filter(pk=row.pk).update(superseded_at=now)
    copied = {name: getattr(row, name) for name in (*CASEWORKER_FIELDS, *HEALTH_FIELDS)}
    new = Handover.objects.create(
        case_id=row.case_id,
        batch_id=row.batch_id,
        facility_id=row.facility_id,
        edition=row.edition + 1,
        health_reviewed_by=row.health_reviewed_by,
        health_reviewed_at=row.health_reviewed_at,
        correction_reason=reason,
        created_by=actor,
        updated_by=actor,
        **copied,
    )
    Handover.objects.filter(pk=row.pk).update(
        superseded_by=new, version=F("version") + 1, updated_by=actor, updated_at=now
    )
    return new
