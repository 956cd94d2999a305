"""Transports: planning a batch, booking a case on it with a reserved place (and rebooking),
departure and arrival, one case at a time or a whole transport in one action."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from program.cells import programmes
from program.cells import services as cells_services
from program.cells.models import Agreement
from program.core.errors import ApplicationError, ConflictError
from program.inmates.models import Judgment
from transfers import departure_checks, selectors
from transfers.models import ManifestEntry, TransferCase, TransportBatch
from transfers.moves import (
    ArriveInput,
    DepartInput,
    S,
    ScheduleInput,
)
from transfers.services._common import _free_reservation, _live_manifest, _require_role
from transfers.services.cases import capacity_over_horizon
from transfers.services.machine import MoveContext, case_transition, handles


@transaction.atomic
def batch_create(
    *,
    departs_on: date,
    direction: str,
    seats: int,
    escort: str = "",
    actor: User,
    agreement: Agreement | None = None,
) -> TransportBatch:
    """Plan a transport for a programme: the one given, else the actor's."""
    _require_role(actor, "transport.plan", _("plan transports"))
    programme = programmes.programme_for_new_work(user=actor, chosen=agreement)
    if direction not in TransportBatch.Direction.values:
        raise ApplicationError(_("Choose the direction."), details={"direction": ["required"]})
    if seats < 1:
        raise ApplicationError(_("A transport needs at least one seat."), details={"seats": [">0"]})
    return TransportBatch.objects.create(
        agreement=programme,
        departs_on=departs_on,
        direction=direction,
        seats=seats,
        escort=escort,
        created_by=actor,
    )


# --- Handlers ---------------------------------------------------------------------------------


@handles(S.SCHEDULED)
def _schedule(ctx: MoveContext) -> None:
    """Book the case (or rebook it) on a transport, with a place reserved from its departure.

    The appeal window and an open appeal apply alike to everybody: nobody is booked while the
    window is open, nor while an appeal that suspends the transfer waits for its outcome.
    """
    case, today = ctx.case, ctx.today
    chosen: ScheduleInput = ctx.input
    entry = _live_manifest(case)
    rebook = ctx.frm == S.SCHEDULED
    if ctx.frm in (S.NOTIFIED, S.UNDER_APPEAL):
        if case.appeal_deadline is None or today <= case.appeal_deadline:
            ctx.missing.append(
                _("the end of the appeal window (open until %(date)s)")
                % {"date": case.appeal_deadline.isoformat() if case.appeal_deadline else "—"}
            )
        if ctx.frm == S.UNDER_APPEAL and not case.appeal_outcome and ctx.params.appeal_suspends:
            ctx.missing.append(_("the appeal's outcome (an appeal suspends the transfer)"))
    if chosen.batch is None:
        if entry is not None and not rebook:
            ctx.payload.update(batch=entry.batch_id, kept_seat=True)
            return  # back from an appeal lodged after the booking: the seat was kept
        raise ApplicationError(_("Choose the transport."), details={"batch": ["required"]})
    batch = chosen.batch
    if batch.direction != TransportBatch.Direction.TO_HOST:
        raise ApplicationError(
            _("Choose a transport out to the host prison."), details={"batch": ["direction"]}
        )
    if batch.agreement_id != case.agreement_id:
        raise ApplicationError(
            _("Choose a transport of the case's programme (%(programme)s).")
            % {"programme": case.agreement.name},
            details={"batch": ["another programme"]},
        )
    if batch.departs_on < today:
        ctx.missing.append(
            _("a transport that has not left yet (this one left on %(date)s)")
            % {"date": batch.departs_on.isoformat()}
        )
    if entry is not None and entry.batch_id == batch.pk:
        raise ConflictError(
            _("The case is already booked on the transport of %(date)s.")
            % {"date": batch.departs_on.isoformat()},
            details={"batch": ["same transport"]},
        )
    if ctx.missing:
        return
    refusal = capacity_over_horizon(
        case=case,
        start=today,
        arrival=batch.departs_on,
        lead_days=0,
        ignore=entry.placement_id if entry is not None else None,
    )
    if refusal:
        ctx.missing.append(refusal)
        return
    # Lock the batch so two caseworkers cannot both take its last seat.
    locked = TransportBatch.objects.select_for_update().get(pk=batch.pk)
    taken = ManifestEntry.objects.filter(batch=locked, removed_at__isnull=True).count()
    if taken >= locked.seats:
        ctx.missing.append(
            _("a free seat (the transport of %(date)s is full: %(seats)s seats)")
            % {"date": locked.departs_on.isoformat(), "seats": locked.seats}
        )
        return
    if entry is not None:
        ctx.payload["from_batch"] = entry.batch_id
    ctx.payload["batch"] = locked.pk
    ctx.after.append(lambda: _reserve(ctx, locked, chosen))


def _reserve(ctx: MoveContext, batch: TransportBatch, chosen: ScheduleInput) -> None:
    case = ctx.case
    # A rebooking frees the old seat and reservation first, so the same place can be taken
    # again from the new day; if the new one is refused, the whole move is undone.
    _free_reservation(
        case,
        reason=_("Rebooked on the transport of %(date)s") % {"date": batch.departs_on},
        actor=ctx.actor,
    )
    place = chosen.place or selectors.free_place_on(batch.departs_on, agreement=case.agreement)
    if place is None:
        raise ConflictError(
            _("No free place in %(programme)s from %(date)s.")
            % {"programme": case.agreement.name, "date": batch.departs_on.isoformat()},
            details={"missing": ["free place"]},
        )
    if chosen.place is not None and not selectors.place_in_programme(
        chosen.place, agreement=case.agreement
    ):
        raise ApplicationError(
            _("Choose a place of the case's programme (%(programme)s).")
            % {"programme": case.agreement.name},
            details={"place": ["another programme"]},
        )
    reservation = cells_services.reservation_create(
        inmate=case.inmate,
        place=place,
        arrival_on=batch.departs_on,
        reason=_("Transfer case %(pk)s, transport %(batch)s") % {"pk": case.pk, "batch": batch},
        actor=ctx.actor,
    )
    ManifestEntry.objects.create(batch=batch, case=case, placement=reservation, added_by=ctx.actor)
    TransferCase.objects.filter(pk=case.pk).update(placement=reservation)
    case.placement = reservation
    ctx.payload.update(place=place.pk, reservation=reservation.pk)


@handles(S.IN_TRANSIT)
def _depart(ctx: MoveContext) -> None:
    entry = _live_manifest(ctx.case)
    if entry is None:
        ctx.missing.append(_("a seat on a transport"))
        return
    on: date = ctx.input.on or ctx.today
    if on > ctx.today:
        raise ApplicationError(
            _("A departure cannot be recorded ahead of time."), details={"on": ["not after today"]}
        )
    if on < entry.batch.departs_on:
        ctx.missing.append(
            _("the transport's departure on %(date)s (in transit is recorded on or after it)")
            % {"date": entry.batch.departs_on.isoformat()}
        )
    # What other apps need ready first (the handover the escort acknowledged).
    ctx.missing += departure_checks.missing_before_departure(ctx.case, entry.batch)
    ctx.payload.update(batch=entry.batch_id, on=on.isoformat())


@handles(S.ADMITTED)
def _admit(ctx: MoveContext) -> None:
    """Arrival: the reserved place becomes the placement, dated the day of arrival."""
    case = ctx.case
    entry = _live_manifest(case)
    if entry is None or entry.placement is None:
        ctx.missing.append(_("a reserved place to admit into"))
        return
    on: date = ctx.input.on or ctx.today
    if on > ctx.today:
        raise ApplicationError(
            _("An arrival cannot be recorded ahead of time."), details={"on": ["not after today"]}
        )
    if on < entry.batch.departs_on:
        raise ApplicationError(
            _("The arrival cannot be before the departure (%(date)s).")
            % {"date": entry.batch.departs_on.isoformat()},
            details={"on": ["not before departure"]},
        )
    judgment = Judgment.objects.filter(inmate_id=case.inmate_id).order_by("-judgment_date").first()
    release = judgment.full_term_date if judgment else None
    place = entry.placement.place

    def admit() -> None:
        placement = cells_services.placement_admit(
            inmate=case.inmate,
            place=place,
            on=on,
            reason=_("Transfer case %(pk)s: arrival") % {"pk": case.pk},
            expected_release_on=release if release and release > on else None,
            actor=ctx.actor,
        )
        TransferCase.objects.filter(pk=case.pk).update(placement=placement)
        case.placement = placement
        ctx.payload.update(placement=placement.pk, on=on.isoformat())

    ctx.after.append(admit)


@handles(S.SERVING)
def _serve(ctx: MoveContext) -> None:
    ctx.fields["review_due_on"] = ctx.today + timedelta(days=ctx.params.review_interval_days)


@handles(S.RETURNED, frm=S.IN_TRANSIT)
def _refused_at_gate(ctx: MoveContext) -> None:
    case = ctx.case

    def free() -> None:
        _free_reservation(
            case,
            reason=ctx.text or _("Transfer case %(pk)s: refused at the gate") % {"pk": case.pk},
            actor=ctx.actor,
        )

    ctx.after.append(free)


# --- Typed services ---------------------------------------------------------------------------


@transaction.atomic
def case_schedule(
    *,
    case: TransferCase,
    actor: User,
    batch: TransportBatch | None = None,
    place: object = None,
    text: str = "",
    expected_version: int | None = None,
) -> TransferCase:
    """Book the case on a transport with a reserved place (or, back from an appeal lodged after
    the booking, on the seat it kept)."""
    return case_transition(
        case=case,
        to=S.SCHEDULED,
        actor=actor,
        text=text,
        data=ScheduleInput(batch=batch, place=place),  # type: ignore[arg-type]
        expected_version=expected_version,
    )


case_rebook = case_schedule  # from scheduled, the same move rebooks: seat and reservation move


@transaction.atomic
def case_depart(
    *,
    case: TransferCase,
    actor: User,
    on: date | None = None,
    text: str = "",
    expected_version: int | None = None,
) -> TransferCase:
    """Record that the inmate left on the transport (on or after its departure day)."""
    return case_transition(
        case=case,
        to=S.IN_TRANSIT,
        actor=actor,
        text=text,
        data=DepartInput(on=on),
        expected_version=expected_version,
    )


@transaction.atomic
def case_admit(
    *,
    case: TransferCase,
    actor: User,
    on: date | None = None,
    text: str = "",
    expected_version: int | None = None,
) -> TransferCase:
    """Admit the arriving inmate to the reserved place; the case goes on to serving at once, in
    the same transaction (one fact, recorded once)."""
    case_transition(
        case=case,
        to=S.ADMITTED,
        actor=actor,
        text=text,
        data=ArriveInput(on=on),
        expected_version=expected_version,
    )
    return case_transition(case=case, to=S.SERVING, actor=actor)


@dataclass(frozen=True)
class BatchResult:
    moved: list[int]
    skipped: list[int]


def _whole_batch(
    batch: TransportBatch,
    *,
    state: str,
    exceptions: Iterable[int],
    act: Callable[[TransferCase], object],
) -> BatchResult:
    """Run `act` for every case of the batch in `state`, except the named ones; all or nothing,
    and every refusal named with its case."""
    skip = set(exceptions)
    cases = [
        entry.case
        for entry in ManifestEntry.objects.select_related("case")
        .filter(batch=batch, removed_at__isnull=True)
        .order_by("case_id")
    ]
    unknown = skip - {case.pk for case in cases}
    if unknown:
        raise ApplicationError(
            _("Not on this transport: case(s) %(ids)s.")
            % {"ids": ", ".join(f"#{pk}" for pk in sorted(unknown))},
            details={"exceptions": sorted(unknown)},
        )
    moved: list[int] = []
    problems: list[str] = []
    for case in cases:
        if case.pk in skip or case.state != state:
            continue
        try:
            with transaction.atomic():
                act(case)
        except ApplicationError as error:
            problems.append(f"#{case.pk}: {error.message}")
        else:
            moved.append(case.pk)
    if problems:
        raise ConflictError(
            _("Nothing was recorded. Mark these as exceptions or resolve them: %(problems)s")
            % {"problems": " | ".join(problems)},
            details={"cases": problems},
        )
    return BatchResult(moved=moved, skipped=sorted(skip))


@transaction.atomic
def batch_depart(
    *,
    batch: TransportBatch,
    actor: User,
    on: date | None = None,
    did_not_travel: Iterable[int] = (),
) -> BatchResult:
    """Record the departure of everyone booked on the transport, in one transaction.

    Those who did not travel stay scheduled with their seat (rebook them); a case held by an
    appeal is not scheduled, so it stays too. Any other refusal undoes the whole departure.
    """
    _require_role(actor, "transport.depart", _("record a transport's departure"))
    return _whole_batch(
        batch,
        state=S.SCHEDULED,
        exceptions=did_not_travel,
        act=lambda case: case_depart(case=case, actor=actor, on=on),
    )


@transaction.atomic
def batch_arrive(
    *,
    batch: TransportBatch,
    actor: User,
    on: date | None = None,
    refused_at_gate: Mapping[int, str] | None = None,
) -> BatchResult:
    """Admit everyone arriving on the transport to their reserved places, in one transaction.

    A person refused at the gate (case id → return reason code) goes back: their case is
    returned and the reserved place freed.
    """
    _require_role(actor, "transport.arrive", _("record a transport's arrival"))
    refused = dict(refused_at_gate or {})
    result = _whole_batch(
        batch,
        state=S.IN_TRANSIT,
        exceptions=refused,
        act=lambda case: case_admit(case=case, actor=actor, on=on),
    )
    for case in TransferCase.objects.filter(pk__in=refused, state=S.IN_TRANSIT).order_by("pk"):
        case_transition(
            case=case, to=S.RETURNED, actor=actor, reason_code=refused[case.pk] or "gate_refusal"
        )
    return result
