"""Writes to places: admit, move, release, reserve, cancel, and taking cells out of use.

Each service owns its transaction. Admissions and reservations lock the agreement row first, so
two administrators filling the last places (or the same place) are served one after the other and
the second is told plainly what changed. PostgreSQL's exclusion constraints stay the last word:
a write that slips past these checks is still refused, and reported as a conflict.
"""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateRange
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.cells import selectors
from program.cells.models import Agreement, Cell, Outage, Place, Placement
from program.core.capabilities import require
from program.core.errors import ApplicationError, ConflictError
from program.inmates.models import Inmate, NonAssociation

# Lazy: read at import, they must still speak the language of the request that fails.
_CONSTRAINT_MESSAGES = {
    "placement_one_inmate_per_place": gettext_lazy(
        "The place is already taken for part of that period."
    ),
    "placement_one_place_per_inmate": gettext_lazy(
        "The inmate already has a place for part of that period."
    ),
    "placement_period_not_empty": gettext_lazy("A placement must last at least one day."),
    "outage_cell_no_overlap": gettext_lazy(
        "This cell is already out of use for part of that period."
    ),
    "outage_place_no_overlap": gettext_lazy(
        "This place is already out of use for part of that period."
    ),
}

END_REASONS_FOR_RELEASE = {
    Placement.EndReason.DEPORTED,
    Placement.EndReason.RETURNED,
    Placement.EndReason.RELEASED,
}


def require_capability(actor: AbstractBaseUser | None, capability: str, what: str) -> None:
    """The service rule: the actor must hold the capability. No actor is the programme itself
    (its demo data, a system task), which holds every capability."""
    if actor is not None:
        require(actor, capability, what)


def _save_or_conflict(obj: Placement | Outage) -> None:
    """Save inside a savepoint; turn an exclusion or check violation into a domain conflict."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        cause = getattr(error, "__cause__", None)
        diag = getattr(cause, "diag", None)
        name = getattr(diag, "constraint_name", "") or ""
        raise ConflictError(
            str(_CONSTRAINT_MESSAGES.get(name, _("The change clashes with another record."))),
            details={"constraint": name},
        ) from error


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(
            _("Give a reason (for example the transfer decision or the move's cause)."),
            details={"reason": ["required"]},
        )
    return reason


def _with_note(reason: str, note: str) -> str:
    """A placement's reason with a note added (a cancellation, a move, a release).

    The two share one column, so a note that does not fit is refused here, naming how much to
    cut, rather than by the database as an error the user cannot act on.
    """
    combined = f"{reason} · {note}"
    limit = Placement._meta.get_field("reason").max_length or len(combined)
    if len(combined) > limit:
        raise ApplicationError(
            _(
                "Shorten the reason by %(over)d characters: it is added to the reason the record "
                "already holds, and together they may have at most %(limit)d."
            )
            % {"over": len(combined) - limit, "limit": limit},
            details={"reason": [f"{len(combined) - limit} characters too long"]},
        )
    return combined


def _lock_agreement(place: Place) -> Agreement:
    # of=("self",): lock the agreement row only, not every joined facility, unit and cell.
    return Agreement.objects.select_for_update(of=("self",)).get(
        facilities__units__cells__places=place
    )


def _check_in_use(place: Place, on: date) -> None:
    """The place must be in use from `on` on: an outage that starts later blocks it too, since a
    placement or reservation is open-ended."""
    outage = (
        Outage.objects.filter(
            Q(place=place) | Q(cell_id=place.cell_id), period__overlap=DateRange(on, None)
        )
        .order_by("period")
        .first()
    )
    if outage is None:
        return
    back = outage.expected_back_on.isoformat() if outage.expected_back_on else _("unknown")
    values = {
        "place": place,
        "date": on.isoformat(),
        "start": outage.period.lower.isoformat(),
        "reason": outage.get_reason_display(),
        "back": back,
    }
    if outage.period.lower <= on:
        message = _(
            "Place %(place)s is out of use on %(date)s (%(reason)s; expected back %(back)s)."
        )
    else:
        message = _(
            "Place %(place)s goes out of use on %(start)s (%(reason)s; expected back %(back)s); "
            "choose another place."
        )
    raise ConflictError(message % values)


def _check_free(place: Place, period: DateRange, *, ignore: Placement | None = None) -> None:
    clash = Placement.objects.filter(place=place, period__overlap=period).exclude(
        end_reason=Placement.EndReason.CANCELLED
    )
    if ignore is not None:
        clash = clash.exclude(pk=ignore.pk)
    other = clash.select_related("inmate").first()
    if other is not None:
        raise ConflictError(
            _("Place %(place)s is already %(kind)s from %(start)s.")
            % {
                "place": place,
                "kind": _("reserved") if other.kind == Placement.Kind.RESERVATION else _("taken"),
                "start": other.period.lower.isoformat(),
            }
        )


def _check_attributes(inmate: Inmate, place: Place) -> None:
    cell = place.cell
    if cell.medical_observation and not (
        inmate.specialist_treatment or inmate.serious_mental_disorder
    ):
        raise ConflictError(
            _("Cell %(cell)s is kept for medical observation; this inmate has no medical flag.")
            % {"cell": cell.number}
        )
    if cell.cpt_capacity < 1:
        raise ConflictError(
            _("Cell %(cell)s may hold nobody under the CPT standards.") % {"cell": cell.number}
        )


def _check_non_associations(
    inmate: Inmate, place: Place, period: DateRange, *, ignore: Placement | None = None
) -> None:
    rules = NonAssociation.objects.filter(
        Q(inmate_a=inmate) | Q(inmate_b=inmate), active__overlap=period
    )
    for rule in rules:
        other_id = rule.inmate_b_id if rule.inmate_a_id == inmate.pk else rule.inmate_a_id
        near = Placement.objects.filter(inmate_id=other_id, period__overlap=period).exclude(
            end_reason=Placement.EndReason.CANCELLED
        )
        if ignore is not None:
            near = near.exclude(pk=ignore.pk)
        if rule.scope == NonAssociation.Scope.CELL:
            near = near.filter(place__cell_id=place.cell_id)
        elif rule.scope == NonAssociation.Scope.UNIT:
            near = near.filter(place__cell__unit_id=place.cell.unit_id)
        else:
            near = near.filter(place__cell__unit__facility_id=place.cell.unit.facility_id)
        if near.exists():
            raise ConflictError(
                _(
                    "This inmate must not share a %(scope)s with another inmate placed there "
                    "(non-association: %(reason)s)."
                )
                % {"scope": rule.get_scope_display().lower(), "reason": rule.reason},
                details={"non_association": rule.pk},
            )


def _check_cap(agreement: Agreement, period: DateRange, *, ignore: Placement | None = None) -> None:
    """Adding a hold over `period` must keep every day under the cap in force that day.

    Holds only start on known days, so the count can rise only on the first day of the period,
    on a day another hold starts, or where a ramp-up step lowers the cap: those days are checked.
    """
    days = selectors.hold_counts_on_change_days(agreement=agreement, period=period, ignore=ignore)
    for day, held in sorted(days.items()):
        cap = selectors.ramp_up_cap_on(agreement=agreement, on=day)
        if held >= cap:
            raise ConflictError(
                _(
                    "The agreement allows %(cap)s places on %(date)s and %(held)s are already "
                    "occupied or reserved then."
                )
                % {"cap": cap, "date": day.isoformat(), "held": held},
                details={"cap": cap, "held": held, "date": day.isoformat()},
            )


def _live_reservation(inmate: Inmate, on: date) -> Placement | None:
    return (
        Placement.objects.select_for_update()
        .filter(inmate=inmate, kind=Placement.Kind.RESERVATION, period__overlap=DateRange(on, None))
        .exclude(end_reason=Placement.EndReason.CANCELLED)
        .first()
    )


@transaction.atomic
def placement_admit(
    *,
    inmate: Inmate,
    place: Place,
    on: date,
    reason: str,
    expected_release_on: date | None = None,
    actor: AbstractBaseUser | None,
) -> Placement:
    """Put an inmate in a place from `on`, taking up their reservation of that place if any.

    Refused, with the reason in words, when the place is out of use or taken, the inmate already
    has a place, a non-association forbids it, the cell's attributes do not fit, or the
    agreement's cap for that day (ramp-up included) is reached.
    """
    reason = _require_reason(reason)
    agreement = _lock_agreement(place)
    place = Place.objects.select_related("cell__unit__facility").get(pk=place.pk)
    if expected_release_on is not None and expected_release_on <= on:
        raise ApplicationError(
            _("The expected release must be after the admission date."),
            details={"expected_release_on": ["after admission"]},
        )
    reservation = _live_reservation(inmate, on)
    if reservation is not None and reservation.place_id != place.pk:
        raise ConflictError(
            _("The inmate holds a reservation for place %(place)s; admit them there or cancel it.")
            % {"place": reservation.place}
        )
    period = DateRange(on, None)
    _check_in_use(place, on)
    _check_free(place, period, ignore=reservation)
    _check_attributes(inmate, place)
    _check_non_associations(inmate, place, period, ignore=reservation)
    # Taking up a reservation early holds the place on days the reservation did not: check always.
    _check_cap(agreement, period, ignore=reservation)
    if reservation is None:
        placement = Placement(inmate=inmate, place=place, kind=Placement.Kind.PLACEMENT)
    else:
        placement = reservation
        placement.kind = Placement.Kind.PLACEMENT
    placement.period = period
    placement.reason = reason
    placement.expected_release_on = expected_release_on
    _save_or_conflict(placement)
    return placement


@transaction.atomic
def reservation_create(
    *, inmate: Inmate, place: Place, arrival_on: date, reason: str, actor: AbstractBaseUser | None
) -> Placement:
    """Hold a place for an expected arrival; it counts against the cap from that day."""
    reason = _require_reason(reason)
    agreement = _lock_agreement(place)
    place = Place.objects.select_related("cell__unit__facility").get(pk=place.pk)
    period = DateRange(arrival_on, None)
    _check_in_use(place, arrival_on)
    _check_free(place, period)
    _check_attributes(inmate, place)
    _check_non_associations(inmate, place, period)
    _check_cap(agreement, period)
    reservation = Placement(
        inmate=inmate, place=place, kind=Placement.Kind.RESERVATION, period=period, reason=reason
    )
    _save_or_conflict(reservation)
    return reservation


def _locked_open(placement: Placement, kind: str) -> Placement:
    locked = (
        Placement.objects.select_for_update()
        .select_related("place__cell__unit")
        .get(pk=placement.pk)
    )
    if locked.kind != kind or locked.end_reason or locked.period.upper is not None:
        raise ConflictError(
            _("This %(kind)s has already ended or changed; reload to see its state.")
            % {"kind": Placement.Kind(kind).label.lower()}
        )
    return locked


@transaction.atomic
def reservation_cancel(
    *, reservation: Placement, reason: str, actor: AbstractBaseUser | None
) -> Placement:
    """Free a reserved place (for example when the transport is cancelled)."""
    reason = _require_reason(reason)
    locked = _locked_open(reservation, Placement.Kind.RESERVATION)
    locked.end_reason = Placement.EndReason.CANCELLED
    locked.reason = _with_note(locked.reason, _("cancelled: %(reason)s") % {"reason": reason})
    locked.save(update_fields=["end_reason", "reason", "updated_at"])
    return locked


@transaction.atomic
def placement_move(
    *, placement: Placement, to_place: Place, on: date, reason: str, actor: AbstractBaseUser | None
) -> Placement:
    """Close the current placement the day before `on` and open one in `to_place` from `on`."""
    require_capability(actor, "placement.move", _("move someone to another place"))
    reason = _require_reason(reason)
    _lock_agreement(to_place)
    current = _locked_open(placement, Placement.Kind.PLACEMENT)
    if on < current.period.lower:
        raise ApplicationError(
            _("A move cannot be dated before the admission (%(start)s).")
            % {"start": current.period.lower.isoformat()},
            details={"on": ["before admission"]},
        )
    if to_place.pk == current.place_id:
        raise ApplicationError(
            _("The inmate is already in that place."), details={"to_place": ["same"]}
        )
    to_place = Place.objects.select_related("cell__unit__facility").get(pk=to_place.pk)
    if to_place.cell.unit.facility_id != current.place.cell.unit.facility_id:
        raise ApplicationError(
            _("A move stays within the facility; use release and admission between facilities."),
            details={"to_place": ["other facility"]},
        )
    period = DateRange(on, None)
    inmate = current.inmate
    _check_in_use(to_place, on)
    _check_free(to_place, period)
    _check_attributes(inmate, to_place)
    _check_non_associations(inmate, to_place, period, ignore=current)
    if on == current.period.lower:
        # Moved on the day of admission: the first placement never held a night; just re-point it.
        current.place = to_place
        current.reason = _with_note(current.reason, f"{_('moved')}: {reason}")
        _save_or_conflict(current)
        return current
    current.period = DateRange(current.period.lower, on)
    current.end_reason = Placement.EndReason.MOVED
    _save_or_conflict(current)
    moved = Placement(
        inmate=inmate,
        place=to_place,
        kind=Placement.Kind.PLACEMENT,
        period=period,
        reason=reason,
        expected_release_on=current.expected_release_on,
    )
    _save_or_conflict(moved)
    return moved


@transaction.atomic
def placement_release(
    *,
    placement: Placement,
    on: date,
    end_reason: str,
    reason: str = "",
    actor: AbstractBaseUser | None,
) -> Placement:
    """End a placement on `on` (the inmate's last night is the one before)."""
    if end_reason not in END_REASONS_FOR_RELEASE:
        raise ApplicationError(
            _("Say why the stay ends: deported, returned to Denmark or released."),
            details={"end_reason": ["one of deported, returned, released"]},
        )
    current = _locked_open(placement, Placement.Kind.PLACEMENT)
    if on <= current.period.lower:
        raise ApplicationError(
            _("The release must be after the admission (%(start)s).")
            % {"start": current.period.lower.isoformat()},
            details={"on": ["after admission"]},
        )
    current.period = DateRange(current.period.lower, on)
    current.end_reason = end_reason
    if reason.strip():
        current.reason = _with_note(current.reason, reason.strip())
    _save_or_conflict(current)
    return current


@transaction.atomic
def outage_start(
    *,
    reason: str,
    starts_on: date,
    expected_back_on: date | None,
    note: str = "",
    cell: Cell | None = None,
    place: Place | None = None,
    actor: AbstractBaseUser | None,
) -> Outage:
    """Take a cell or one place out of use. Refused while someone is placed or reserved there."""
    require_capability(actor, "outage.manage", _("record an outage"))
    if (cell is None) == (place is None):
        raise ApplicationError(_("Choose either a cell or one place."))
    if reason not in Outage.Reason.values:
        raise ApplicationError(
            _("Choose the reason from the list."), details={"reason": list(Outage.Reason.values)}
        )
    if expected_back_on is not None and expected_back_on <= starts_on:
        raise ApplicationError(
            _("The expected return must be after the start."),
            details={"expected_back_on": ["after start"]},
        )
    target_places = (
        Place.objects.filter(cell=cell) if cell is not None else Place.objects.filter(pk=place.pk)  # type: ignore[union-attr]
    )
    # The same lock admissions take, so nobody is admitted while the outage is being recorded.
    target_cell_id = cell.pk if cell is not None else place.cell_id  # type: ignore[union-attr]
    Agreement.objects.select_for_update(of=("self",)).get(
        facilities__units__cells__pk=target_cell_id
    )
    busy = (
        Placement.objects.filter(
            place__in=target_places, period__overlap=DateRange(starts_on, None)
        )
        .exclude(end_reason=Placement.EndReason.CANCELLED)
        .select_related("place__cell")
        .first()
    )
    if busy is not None:
        raise ConflictError(
            _("Place %(place)s is taken or reserved from %(start)s; move or cancel first.")
            % {"place": busy.place, "start": busy.period.lower.isoformat()}
        )
    outage = Outage(
        cell=cell,
        place=place,
        reason=reason,
        note=note,
        period=DateRange(starts_on, None),
        expected_back_on=expected_back_on,
    )
    _save_or_conflict(outage)
    return outage


@transaction.atomic
def outage_end(*, outage: Outage, on: date, actor: AbstractBaseUser | None) -> Outage:
    """Bring a cell or place back into use from `on`."""
    require_capability(actor, "outage.manage", _("record an outage"))
    locked = Outage.objects.select_for_update().get(pk=outage.pk)
    if locked.ended_on is not None:
        raise ConflictError(_("This cell or place is already back in use."))
    if on <= locked.period.lower:
        raise ApplicationError(
            _("It can come back at the earliest the day after it went out of use."),
            details={"on": ["after start"]},
        )
    locked.period = DateRange(locked.period.lower, on)
    locked.ended_on = on
    _save_or_conflict(locked)
    return locked
