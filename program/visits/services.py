"""Writes of family contact: request a visit, book it, record how it ended.

Each service owns its transaction, checks the acting user's role and scope (a host-facility
user only at their own facility, a caseworker only for the people of their cases), and moves the
visit by compare-and-set on its version. The rule that one person is never booked twice at the
same time is PostgreSQL's (an exclusion constraint); the service names the clash in words.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from program.cells.models import Facility
from program.core.capabilities import can, holds
from program.core.errors import ApplicationError, ConflictError
from program.core.roles import user_roles
from program.core.versioning import lock_with_status, save_locked
from program.host.selectors import posted_facility
from program.inmates.models import Inmate
from program.visits import selectors
from program.visits.models import Visit, Visitor

# A visit longer than this is a mistyped time, not a visit.
LONGEST_VISIT = timedelta(hours=8)


@dataclass(frozen=True)
class VisitorInput:
    name: str
    relation: str
    age_group: str = ""


def _check_visitors(visitors: list[VisitorInput]) -> list[VisitorInput]:
    cleaned = []
    for number, visitor in enumerate(visitors, start=1):
        name = visitor.name.strip()
        if not name:
            raise ApplicationError(
                _("Visitor %(n)d: give the visitor's name.") % {"n": number},
                details={"visitors": [_("A visitor without a name.")]},
            )
        if visitor.relation not in Visitor.Relation.values:
            raise ApplicationError(
                _("Visitor %(n)d: choose the relation (child, partner, parent, sibling, other).")
                % {"n": number},
                details={"visitors": [_("An unknown relation.")]},
            )
        if visitor.relation == Visitor.Relation.CHILD and not visitor.age_group:
            raise ApplicationError(
                _("Visitor %(n)d is a child: choose the child's age group.") % {"n": number},
                details={"visitors": [_("A child without an age group.")]},
            )
        if visitor.age_group and visitor.age_group not in Visitor.AgeGroup.values:
            raise ApplicationError(
                _("Visitor %(n)d: choose an age group from the list.") % {"n": number},
                details={"visitors": [_("An unknown age group.")]},
            )
        age_group = visitor.age_group if visitor.relation == Visitor.Relation.CHILD else ""
        cleaned.append(VisitorInput(name=name, relation=visitor.relation, age_group=age_group))
    if not cleaned:
        raise ApplicationError(
            _("Name at least one visitor, with their relation to the inmate."),
            details={"visitors": [_("No visitor.")]},
        )
    return cleaned


def _require_role(actor: AbstractBaseUser, capability: str, action: str) -> None:
    """The service rule: refuse unless the actor holds the capability."""
    if not can(actor, capability):
        raise ApplicationError(
            _("Your role may not %(action)s a visit.") % {"action": action},
            details={"actor": actor.pk},
        )


def _require_scope(actor: AbstractBaseUser, *, inmate_id: int, facility_id: int) -> None:
    """A host-facility user acts at their own facility; a caseworker for their own cases."""
    roles = user_roles(actor)
    if holds(roles, "host.work"):
        facility = posted_facility(actor)
        if facility is not None and facility.pk == facility_id:
            return
    if holds(roles, "case.manage") and (
        Inmate.objects.filter(pk=inmate_id, pk__in=selectors._caseworker_inmates(actor)).exists()
    ):
        return
    raise ApplicationError(
        _(
            "This visit is not yours to change: host-facility staff act for their own "
            "facility, caseworkers for the people of their own cases."
        ),
        details={"actor": actor.pk},
    )


def _lock(visit: Visit | int, expected_version: int | None) -> Visit:
    return lock_with_status(
        Visit,
        visit,
        expected_version,
        missing=_("The visit no longer exists."),
        stale=_(
            "Someone changed this visit after you opened it (it is now %(status)s). Nothing "
            "was saved; reload it and try again."
        ),
    )


def _require_status(visit: Visit, allowed: tuple[str, ...], action: str) -> None:
    if visit.status not in allowed:
        raise ConflictError(
            _("The visit is %(status)s and cannot be %(action)s.")
            % {"status": visit.get_status_display().lower(), "action": action},
            details={"status": visit.status},
        )


@transaction.atomic
def visit_request(
    *,
    inmate: Inmate | int,
    facility: Facility | int,
    kind: str,
    requested_by: str,
    visitors: list[VisitorInput],
    actor: AbstractBaseUser,
    requested_on: date | None = None,
    wished_on: date | None = None,
    interpreter_needed: bool = False,
    interpreter_language: str = "",
    note: str = "",
) -> Visit:
    """Record a request for a visit or a video call, with who would come. A caseworker requests
    for the people of their cases, host-facility staff for their facility."""
    _require_role(actor, "visit.request", _("request"))
    inmate_id = inmate if isinstance(inmate, int) else inmate.pk
    facility_id = facility if isinstance(facility, int) else facility.pk
    _require_scope(actor, inmate_id=inmate_id, facility_id=facility_id)
    if kind not in Visit.Kind.values:
        raise ApplicationError(
            _("Choose whether the visit is in person or a video call."), details={"kind": ""}
        )
    if requested_by not in Visit.RequestedBy.values:
        raise ApplicationError(
            _("Say who asked for the visit: the inmate, a relative or the caseworker."),
            details={"requested_by": ""},
        )
    language = interpreter_language.strip()
    if interpreter_needed and not language:
        raise ApplicationError(
            _("An interpreter is needed: say for which language."),
            details={"interpreter_language": [_("Give the language.")]},
        )
    today = timezone.localdate()
    if wished_on is not None and wished_on < today:
        raise ApplicationError(
            _("The wished-for day %(day)s has passed; give a day from today on.")
            % {"day": wished_on.isoformat()},
            details={"wished_on": [_("A day from today on.")]},
        )
    checked = _check_visitors(visitors)
    visit = Visit.objects.create(
        inmate_id=inmate_id,
        facility_id=facility_id,
        kind=kind,
        requested_by=requested_by,
        requested_on=requested_on or today,
        wished_on=wished_on,
        interpreter_needed=interpreter_needed,
        interpreter_language=language if interpreter_needed else "",
        note=note.strip(),
        recorded_by_id=actor.pk,
    )
    Visitor.objects.bulk_create(
        Visitor(visit=visit, name=v.name, relation=v.relation, age_group=v.age_group)
        for v in checked
    )
    return visit


@transaction.atomic
def visit_book(
    *,
    visit: Visit | int,
    starts_at: datetime,
    ends_at: datetime,
    actor: AbstractBaseUser,
    expected_version: int | None = None,
) -> Visit:
    """Book (or move) a requested visit to a time at the facility, by the facility's own staff.
    The same person is never booked twice at overlapping times (PostgreSQL refuses it)."""
    _require_role(actor, "visit.book", _("book"))
    locked = _lock(visit, expected_version)
    _require_scope(actor, inmate_id=locked.inmate_id, facility_id=locked.facility_id)
    _require_status(locked, (Visit.Status.REQUESTED, Visit.Status.BOOKED), _("booked"))
    if ends_at <= starts_at:
        raise ApplicationError(
            _("The visit must end after it starts."), details={"ends_at": [_("After the start.")]}
        )
    if ends_at - starts_at > LONGEST_VISIT:
        raise ApplicationError(
            _("A visit lasts at most 8 hours; check the times."),
            details={"ends_at": [_("At most 8 hours after the start.")]},
        )
    if starts_at < timezone.now():
        raise ApplicationError(
            _("The time has passed; book a time from now on."),
            details={"starts_at": [_("A time from now on.")]},
        )
    clash = selectors.holding_clash(
        inmate_id=locked.inmate_id, starts_at=starts_at, ends_at=ends_at, exclude=locked.pk
    )
    if clash is not None:
        raise ConflictError(_clash_message(clash), details={"clash": clash.pk})
    try:
        with transaction.atomic():
            return save_locked(
                locked,
                status=Visit.Status.BOOKED,
                starts_at=starts_at,
                ends_at=ends_at,
                booked_by=actor,
            )
    except IntegrityError as error:  # a booking made between our check and our write
        raise ConflictError(
            _("The inmate already has a visit booked at that time; choose another time.")
        ) from error


def _clash_message(clash: Visit) -> str:
    assert clash.starts_at is not None  # noqa: S101 (booked)
    assert clash.ends_at is not None  # noqa: S101 (booked)
    starts = timezone.localtime(clash.starts_at)
    ends = timezone.localtime(clash.ends_at)
    return _(
        "The inmate already has a visit booked on %(day)s from %(start)s to %(end)s (visit "
        "%(pk)d); choose another time."
    ) % {
        "day": starts.date().isoformat(),
        "start": starts.strftime("%H:%M"),
        "end": ends.strftime("%H:%M"),
        "pk": clash.pk,
    }


OUTCOMES = (Visit.Status.TOOK_PLACE, Visit.Status.CANCELLED, Visit.Status.REFUSED)


@transaction.atomic
def visit_record_outcome(
    *,
    visit: Visit | int,
    outcome: str,
    reason: str = "",
    actor: AbstractBaseUser,
    expected_version: int | None = None,
) -> Visit:
    """Record how a visit ended: it took place (a booked visit, by the facility's staff, once
    its time has begun), or it was cancelled or refused, with the reason."""
    if outcome not in OUTCOMES:
        raise ApplicationError(
            _("Choose the outcome: took place, cancelled or refused."), details={"outcome": ""}
        )
    allowed = "visit.book" if outcome == Visit.Status.TOOK_PLACE else "visit.request"
    _require_role(actor, allowed, _("record the outcome of"))
    locked = _lock(visit, expected_version)
    _require_scope(actor, inmate_id=locked.inmate_id, facility_id=locked.facility_id)
    reason = reason.strip()
    if outcome == Visit.Status.TOOK_PLACE:
        _require_status(locked, (Visit.Status.BOOKED,), _("recorded as held"))
        assert locked.starts_at is not None  # noqa: S101 (booked)
        if locked.starts_at > timezone.now():
            raise ConflictError(
                _("The visit has not begun yet; record that it took place once it has.")
            )
    else:
        _require_status(
            locked,
            (Visit.Status.REQUESTED, Visit.Status.BOOKED),
            _("cancelled") if outcome == Visit.Status.CANCELLED else _("refused"),
        )
        if not reason:
            raise ApplicationError(
                _("Say why the visit was cancelled or refused."),
                details={"reason": [_("Give the reason.")]},
            )
    return save_locked(
        locked,
        status=outcome,
        outcome_reason=reason,
        outcome_by=actor,
        outcome_at=timezone.now(),
    )
