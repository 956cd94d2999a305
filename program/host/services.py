"""The host facility's writes: the arrival check-in (admit or refuse at the gate) and the daily
headcount confirmation. Each is one user action in one transaction; the acting user must hold a
host role and be posted to the facility, which scopes everything they touch.

The admission goes through program.cells.stays (the same path as the occupancy administrator's
admission on the unit page), the refusal through the transfer case's own move (program.host.
arrivals), so the case, its place and its transport stay one truth and the timeline names the
officer who did it.
"""

from collections.abc import Iterable
from typing import Any, cast

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from program.cells import stays
from program.cells.models import Facility, Place, Unit
from program.core.capabilities import can, users_with
from program.core.errors import ApplicationError, ConflictError
from program.host import arrivals, selectors
from program.host.arrivals import ArrivingPerson
from program.host.models import ArrivalCheck, HeadcountConfirmation
from program.inmates.models import Inmate
from program.notifications import services as notifications
from program.notifications.models import Notification

HEADCOUNT_SUBJECT = "headcount"


def _posted(actor: AbstractBaseUser) -> Facility:
    """The actor's facility, or a refusal saying what to do about it."""
    if not can(actor, "host.work"):
        raise ApplicationError(
            _("Only the host facility's staff may do this."), details={"role": "host"}
        )
    facility = selectors.posted_facility(actor)
    if facility is None:
        raise ApplicationError(
            _(
                "You are not posted to a facility yet. Ask the system administrator to post "
                "you to yours."
            ),
            details={"posting": None},
        )
    return facility


def _arriving(*, facility: Facility, case_id: int) -> ArrivingPerson:
    person = arrivals.source().person(case_id=case_id)
    if person is None or person.facility_id != facility.pk:
        raise ApplicationError(
            _("Nobody on a transport to %(facility)s has transfer case #%(case)s.")
            % {"facility": facility.name, "case": case_id},
            details={"case": case_id},
        )
    if not person.on_the_way:
        raise ConflictError(
            _(
                "The transport of %(date)s has not been recorded as departed. The caseworker "
                "records the departure first; then the arrival can be checked in."
            )
            % {"date": formats.date_format(person.departs_on, "SHORT_DATE_FORMAT")},
            details={"case": case_id, "needs": "departure"},
        )
    return person


def _not_checked_yet(case_id: int) -> None:
    done = selectors.check_for_case(case_id=case_id)
    if done is not None:
        raise ConflictError(
            _("This arrival was already checked in on %(date)s by %(user)s (%(outcome)s).")
            % {
                "date": formats.date_format(done.checked_on, "SHORT_DATE_FORMAT"),
                "user": done.checked_by.get_username(),
                "outcome": done.get_outcome_display(),
            },
            details={"case": case_id, "outcome": done.outcome},
        )


def _items(items: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(items))
    unknown = [item for item in chosen if item not in ArrivalCheck.Item.values]
    if unknown:
        raise ApplicationError(
            _("Unknown items: %(items)s.") % {"items": ", ".join(unknown)},
            details={"items": unknown},
        )
    return chosen


def _keep_check(
    *,
    facility: Facility,
    person: ArrivingPerson,
    case_id: int,
    items: list[str],
    remarks: str,
    actor: AbstractBaseUser,
    **outcome: Any,
) -> ArrivalCheck:
    """The record of what happened at the gate. Admission and refusal keep the same facts about
    who arrived and who checked; `outcome` holds what differs (the placement, or the reason)."""
    return ArrivalCheck.objects.create(
        facility=facility,
        inmate_id=person.inmate_id,
        case_id=case_id,
        transport_id=person.transport_id,
        items=items,
        remarks=remarks.strip(),
        checked_by=cast(User, actor),
        **outcome,
    )


@transaction.atomic
def arrival_admit(
    *,
    case_id: int,
    identity_confirmed: bool,
    items: Iterable[str],
    remarks: str,
    actor: AbstractBaseUser,
) -> ArrivalCheck:
    """Check in an arriving person and admit them into the place reserved for them today: the
    case moves to serving, the reservation becomes the placement, and the check-in (identity,
    what arrived, remarks) is kept; all or nothing."""
    facility = _posted(actor)
    person = _arriving(facility=facility, case_id=case_id)
    if not identity_confirmed:
        raise ApplicationError(
            _(
                "Confirm that the person is who the papers say before admitting them, or "
                "refuse them at the gate with a reason."
            ),
            details={"identity_confirmed": ["required"]},
        )
    chosen = _items(items)
    _not_checked_yet(case_id)
    today = timezone.localdate()
    placement = stays.stay_admit(
        inmate=Inmate.objects.get(pk=person.inmate_id),
        place=Place.objects.get(pk=person.place_id),
        on=today,
        reason=_("Arrival checked in at the gate"),
        actor=actor,
    )
    return _keep_check(
        facility=facility,
        person=person,
        case_id=case_id,
        items=chosen,
        remarks=remarks,
        actor=actor,
        outcome=ArrivalCheck.Outcome.ADMITTED,
        identity_confirmed=True,
        placement=placement,
        checked_on=today,
    )


@transaction.atomic
def arrival_refuse(
    *,
    case_id: int,
    reason: str,
    items: Iterable[str],
    remarks: str,
    actor: AbstractBaseUser,
) -> ArrivalCheck:
    """Refuse an arriving person at the gate: the case is returned, the reserved place freed
    and the seat given up, and the refusal with its reason is kept; all or nothing."""
    facility = _posted(actor)
    person = _arriving(facility=facility, case_id=case_id)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Write why the person is refused at the gate."),
            details={"reason": ["required"]},
        )
    chosen = _items(items)
    _not_checked_yet(case_id)
    arrivals.source().refuse_at_gate(case_id=case_id, reason=reason, actor=actor)
    return _keep_check(
        facility=facility,
        person=person,
        case_id=case_id,
        items=chosen,
        remarks=remarks,
        actor=actor,
        outcome=ArrivalCheck.Outcome.REFUSED,
        identity_confirmed=False,
        refusal_reason=reason,
        checked_on=timezone.localdate(),
    )


def _tell_occupancy(confirmation: HeadcountConfirmation) -> None:
    """A count that differs from the roll is the occupancy administrators' to follow up."""
    recipients = users_with("occupancy.notified").values_list("pk", flat=True)

    def text() -> str:
        where = confirmation.unit.name if confirmation.unit else _("the whole facility")
        return _(
            "Headcount at %(facility)s (%(where)s) on %(day)s: %(counted)d counted, %(on_roll)d "
            "on the roll. Explanation: %(reason)s"
        ) % {
            "facility": confirmation.facility.name,
            "where": where,
            "day": formats.date_format(confirmation.day, "SHORT_DATE_FORMAT"),
            "counted": confirmation.counted,
            "on_roll": confirmation.on_roll,
            "reason": confirmation.difference_reason,
        }

    notifications.notify_users(
        user_ids=list(recipients),
        kind=Notification.Kind.WAITING,
        text=text,
        subject_type=HEADCOUNT_SUBJECT,
        subject_id=confirmation.pk,
        link=reverse("cells:occupancy"),
        dedupe_key=f"headcount:{confirmation.pk}",
    )


@transaction.atomic
def headcount_confirm(
    *,
    unit_id: int | None,
    counted: int,
    reason: str,
    actor: AbstractBaseUser,
) -> HeadcountConfirmation:
    """Confirm today's count for a unit of the actor's facility (None: the whole facility).

    A count that differs from the roll needs its explanation and tells the occupancy
    administrators. A second confirmation the same day is a correction: the earlier one is kept,
    marked superseded by the new one.
    """
    facility = _posted(actor)
    if counted < 0:
        raise ApplicationError(_("The count cannot be negative."), details={"counted": [">=0"]})
    # Serialise confirmations of one facility: the roll is counted and the one in force
    # replaced as one step (the unique constraint is the last line of defence).
    Facility.objects.select_for_update().filter(pk=facility.pk).first()
    unit: Unit | None = None
    if unit_id is not None:
        unit = selectors.units(facility=facility).filter(pk=unit_id).first()
        if unit is None:
            raise ApplicationError(
                _("Choose a unit of %(facility)s.") % {"facility": facility.name},
                details={"unit": [unit_id]},
            )
    today = timezone.localdate()
    on_roll = selectors.roll_count(facility=facility, unit=unit, on=today)
    reason = reason.strip()
    if counted != on_roll and not reason:
        raise ApplicationError(
            _(
                "%(counted)d counted but %(on_roll)d on the roll: explain the difference "
                "(who is missing or extra, and why)."
            )
            % {"counted": counted, "on_roll": on_roll},
            details={"reason": ["required"]},
        )
    previous = HeadcountConfirmation.objects.filter(
        facility=facility, unit=unit, day=today, superseded_at__isnull=True
    ).first()
    if previous is not None:
        previous.superseded_at = timezone.now()
        previous.save(update_fields=["superseded_at", "updated_at"])
    try:
        with transaction.atomic():
            confirmation = HeadcountConfirmation.objects.create(
                facility=facility,
                unit=unit,
                day=today,
                counted=counted,
                on_roll=on_roll,
                difference_reason=reason if counted != on_roll else "",
                confirmed_by=cast(User, actor),
            )
    except IntegrityError as error:
        raise ConflictError(
            _("Someone confirmed this count at the same moment. Reload the page and look.")
        ) from error
    if previous is not None:
        previous.superseded_by = confirmation
        previous.save(update_fields=["superseded_by", "updated_at"])
    if counted != on_roll:
        _tell_occupancy(confirmation)
    return confirmation
