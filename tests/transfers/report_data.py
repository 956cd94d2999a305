"""A hand-built programme history for the report's tests, and the figures counted in Python.

The history is written as the services write it (a transition event per move, with the payload
each move records) but dated by hand, across 2025 and 2026, with one case of another programme
that must never count. `walk` recounts every figure by walking the events one by one in Python,
independently of the report's SQL.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.db.backends.postgresql.psycopg_any import DateRange

from program.cells.models import Agreement, Facility, Place, Placement, RampUpCap
from program.inmates.models import Inmate, Judgment
from tests.factories import AgreementFactory, CellFactory, FacilityFactory, PlaceFactory
from tests.inmates.factories import InmateFactory, JudgmentFactory
from transfers.models import CaseEvent, Decision, ReasonCode, TransferCase

S = TransferCase.State
K = CaseEvent.Kind
TZ = ZoneInfo(settings.TIME_ZONE)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=TZ)


@dataclass
class History:
    agreement: Agreement
    other: Agreement
    actor: User
    facility: Facility
    cases: dict[str, TransferCase] = field(default_factory=dict)

    # --- writing ------------------------------------------------------------------------------

    def event(
        self,
        case: TransferCase,
        kind: str,
        *,
        recorded: date,
        frm: str = "",
        to: str = "",
        reason: str = "",
        payload: dict[str, Any] | None = None,
    ) -> CaseEvent:
        # Events are append-only and stamped on insert: the clock is set to the day recorded.
        with time_machine.travel(noon(recorded), tick=False):
            return CaseEvent.objects.create(
                case=case,
                kind=kind,
                from_state=frm,
                to_state=to,
                actor=self.actor,
                reason_code=ReasonCode.objects.get(code=reason) if reason else None,
                payload=payload or {},
            )

    def move(self, case: TransferCase, frm: str, to: str, *, recorded: date, **kw: Any) -> None:
        self.event(case, K.TRANSITION, frm=frm, to=to, recorded=recorded, **kw)

    def decide(
        self, case: TransferCase, outcome: str, *, decided_on: date, recorded: date, **kw: Any
    ) -> None:
        decision = Decision.objects.create(
            case=case,
            outcome=outcome,
            authority="Kriminalforsorgen",
            legal_basis="Straffuldbyrdelsesloven § 78 a",
            decided_on=decided_on,
            recorded_by=self.actor,
        )
        to = S.DECIDED_TRANSFER if outcome == Decision.Outcome.TRANSFER else S.DECIDED_NO_TRANSFER
        self.move(
            case,
            S.HOST_REVIEW,
            to,
            recorded=recorded,
            payload={"decision": decision.pk},
            **kw,
        )

    def case(
        self,
        name: str,
        *,
        opened: date,
        state: str,
        stay: tuple[date, date | None, str] | None = None,
        place: Place | None = None,
        release_on: date | None = None,
        agreement: Agreement | None = None,
    ) -> TransferCase:
        inmate = cast(Inmate, InmateFactory(name=f"Report {name}"))
        if release_on is not None:
            length = 400
            JudgmentFactory(
                inmate=inmate,
                sentence_start=release_on - timedelta(days=length - 30),
                length_days=length,
                remand_days=30,
            )
            assert Judgment.objects.get(inmate=inmate).full_term_date == release_on
        placement = None
        if stay is not None:
            start, end, end_reason = stay
            placement = Placement.objects.create(
                inmate=inmate,
                place=place or PlaceFactory(cell=CellFactory(unit__facility=self.facility)),
                kind=Placement.Kind.RESERVATION
                if end_reason == Placement.EndReason.CANCELLED
                else Placement.Kind.PLACEMENT,
                period=DateRange(start, end, "[)"),
                reason="Report test",
                end_reason=end_reason,
            )
        closed = state in {S.DEPORTED, S.RETURNED, S.RELEASED_NOT_REMOVABLE, S.DECIDED_NO_TRANSFER}
        case = TransferCase.objects.create(
            inmate=inmate,
            agreement=agreement or self.agreement,
            caseworker=self.actor,
            state=state,
            placement=placement,
            closed_at=noon(opened) if closed else None,
        )
        self.event(case, K.OPENED, to=S.IDENTIFIED, recorded=opened)
        self.cases[name] = case
        return case


def build(actor: User) -> History:
    """The programme's history. Days are chosen to sit on both sides of quarter ends."""
    agreement = AgreementFactory(name="Report programme", signed_on=date(2022, 4, 26))
    other = AgreementFactory(name="Another programme", signed_on=date(2023, 1, 1))
    RampUpCap.objects.create(agreement=agreement, effective_from=date(2025, 1, 1), places=2)
    RampUpCap.objects.create(agreement=agreement, effective_from=date(2026, 7, 1), places=3)
    facility = FacilityFactory(agreement=agreement)
    history = History(agreement=agreement, other=other, actor=actor, facility=facility)
    h = history

    # A: decided (decision dated apart from its recording), appealed, appeal rejected, arrived,
    # deported five days after the release day.
    a = h.case(
        "A",
        opened=date(2026, 1, 10),
        state=S.DEPORTED,
        stay=(date(2026, 5, 3), date(2026, 8, 15), Placement.EndReason.DEPORTED),
        release_on=date(2026, 8, 10),
    )
    h.decide(a, Decision.Outcome.TRANSFER, decided_on=date(2026, 3, 20), recorded=date(2026, 3, 23))
    h.move(a, S.DECIDED_TRANSFER, S.NOTIFIED, recorded=date(2026, 3, 25))
    h.move(
        a,
        S.NOTIFIED,
        S.UNDER_APPEAL,
        recorded=date(2026, 4, 3),
        payload={"lodged_on": "2026-03-31"},
    )
    h.event(
        a,
        K.APPEAL,
        recorded=date(2026, 4, 21),
        payload={"outcome": "rejected", "decided_on": "2026-04-20", "state": S.UNDER_APPEAL},
    )
    h.move(a, S.UNDER_APPEAL, S.SCHEDULED, recorded=date(2026, 4, 22))
    h.move(a, S.SCHEDULED, S.IN_TRANSIT, recorded=date(2026, 5, 2), payload={"on": "2026-05-01"})
    h.move(a, S.IN_TRANSIT, S.ADMITTED, recorded=date(2026, 5, 4), payload={"on": "2026-05-03"})
    h.move(a, S.ADMITTED, S.SERVING, recorded=date(2026, 5, 5))
    h.move(a, S.SERVING, S.RELEASE_PREP, recorded=date(2026, 7, 1))
    h.move(a, S.RELEASE_PREP, S.DEPORTED, recorded=date(2026, 8, 16), payload={"on": "2026-08-15"})

    # B: decided as the demo writes it (the day in payload "on"), arrived 1 July, returned for
    # medical reasons.
    b = h.case(
        "B",
        opened=date(2026, 2, 1),
        state=S.RETURNED,
        stay=(date(2026, 7, 1), date(2026, 8, 20), Placement.EndReason.RETURNED),
    )
    h.move(
        b,
        S.HOST_REVIEW,
        S.DECIDED_TRANSFER,
        recorded=date(2026, 4, 10),
        payload={"on": "2026-04-09"},
    )
    h.move(b, S.IN_TRANSIT, S.ADMITTED, recorded=date(2026, 7, 1), payload={"on": "2026-07-01"})
    h.move(b, S.SERVING, S.RETURN_PENDING, recorded=date(2026, 8, 1), reason="return_medical")
    h.move(
        b, S.RETURN_PENDING, S.RETURNED, recorded=date(2026, 8, 21), payload={"on": "2026-08-20"}
    )

    # C: refused by the host (a coded reason), decided 30 June, recorded 1 July.
    c = h.case("C", opened=date(2026, 3, 1), state=S.DECIDED_NO_TRANSFER)
    h.decide(
        c,
        Decision.Outcome.NO_TRANSFER,
        decided_on=date(2026, 6, 30),
        recorded=date(2026, 7, 1),
        reason="host_refused",
    )

    # D: decided, appealed (no lodged day in the payload: the day recorded), appeal upheld.
    d = h.case("D", opened=date(2026, 3, 5), state=S.DECIDED_NO_TRANSFER)
    h.decide(d, Decision.Outcome.TRANSFER, decided_on=date(2026, 6, 1), recorded=date(2026, 6, 1))
    h.move(d, S.NOTIFIED, S.UNDER_APPEAL, recorded=date(2026, 6, 20))
    h.event(
        d,
        K.APPEAL,
        recorded=date(2026, 7, 10),
        payload={"outcome": "upheld", "decided_on": "2026-07-10", "state": S.UNDER_APPEAL},
    )
    h.move(d, S.UNDER_APPEAL, S.DECIDED_NO_TRANSFER, recorded=date(2026, 7, 10))

    # E: refused at the gate (the move records no day: dated by its recording).
    e = h.case(
        "E",
        opened=date(2026, 4, 1),
        state=S.RETURNED,
        stay=(date(2026, 9, 14), date(2026, 9, 15), Placement.EndReason.CANCELLED),
    )
    h.decide(e, Decision.Outcome.TRANSFER, decided_on=date(2026, 7, 15), recorded=date(2026, 7, 15))
    h.move(e, S.IN_TRANSIT, S.RETURNED, recorded=date(2026, 9, 15), reason="gate_refusal")

    # F: deported on the release day; G: released, not removable; both in Q3 2026.
    f = h.case(
        "F",
        opened=date(2025, 6, 1),
        state=S.DEPORTED,
        stay=(date(2025, 9, 1), date(2026, 9, 30), Placement.EndReason.DEPORTED),
        release_on=date(2026, 9, 30),
    )
    h.decide(f, Decision.Outcome.TRANSFER, decided_on=date(2025, 7, 1), recorded=date(2025, 7, 2))
    h.move(f, S.IN_TRANSIT, S.ADMITTED, recorded=date(2025, 9, 1), payload={"on": "2025-09-01"})
    h.move(f, S.RELEASE_PREP, S.DEPORTED, recorded=date(2026, 9, 30), payload={"on": "2026-09-30"})
    g = h.case(
        "G",
        opened=date(2025, 6, 2),
        state=S.RELEASED_NOT_REMOVABLE,
        stay=(date(2025, 10, 1), date(2026, 8, 1), Placement.EndReason.RELEASED),
    )
    h.move(
        g,
        S.RELEASE_PREP,
        S.RELEASED_NOT_REMOVABLE,
        recorded=date(2026, 8, 1),
        payload={"on": "2026-08-01"},
    )

    # H: serving since 20 June 2026, still there (an open placement).
    hh = h.case("H", opened=date(2026, 1, 5), state=S.SERVING, stay=(date(2026, 6, 20), None, ""))
    h.decide(hh, Decision.Outcome.TRANSFER, decided_on=date(2026, 4, 30), recorded=date(2026, 5, 4))
    h.move(hh, S.IN_TRANSIT, S.ADMITTED, recorded=date(2026, 6, 20), payload={"on": "2026-06-20"})

    # X: another programme's case (it carries that programme, and its place is at its facility).
    other_place = PlaceFactory(cell=CellFactory(unit__facility=FacilityFactory(agreement=other)))
    x = h.case(
        "X",
        opened=date(2026, 1, 2),
        state=S.SERVING,
        stay=(date(2026, 5, 1), None, ""),
        place=other_place,
        agreement=other,
    )
    h.decide(x, Decision.Outcome.TRANSFER, decided_on=date(2026, 3, 1), recorded=date(2026, 3, 1))
    h.move(x, S.IN_TRANSIT, S.ADMITTED, recorded=date(2026, 5, 1), payload={"on": "2026-05-01"})
    return history


# --- Counting in Python -------------------------------------------------------------------------


def _payload_day(event: CaseEvent, key: str) -> date | None:
    raw = (event.payload or {}).get(key)
    return date.fromisoformat(raw) if raw else None


def happened_on(event: CaseEvent) -> date:
    """The day a move happened: its own day, else its decision's date, else when recorded."""
    day = _payload_day(event, "on")
    if day is None and "decision" in (event.payload or {}):
        day = Decision.objects.get(pk=event.payload["decision"]).decided_on
    return day or event.at.astimezone(TZ).date()


def in_programme(case: TransferCase, agreement: Agreement) -> bool:
    return case.agreement_id == agreement.pk


def percentile(values: list[int], fraction: float) -> float | None:
    """Linear interpolation between the nearest ranks (PostgreSQL's percentile_cont)."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def walk(agreement: Agreement, start: date, until: date) -> dict[str, Any]:
    """Every figure over [start, until), by walking the events one at a time."""
    events = list(CaseEvent.objects.select_related("case", "reason_code").order_by("at", "id"))
    mine = [e for e in events if in_programme(e.case, agreement)]

    def inside(day: date) -> bool:
        return start <= day < until

    def moves(to: str, frm: tuple[str, ...] = ()) -> list[CaseEvent]:
        return [
            e
            for e in mine
            if e.kind == K.TRANSITION
            and e.to_state == to
            and (not frm or e.from_state in frm)
            and inside(happened_on(e))
        ]

    decided = moves(S.DECIDED_TRANSFER)
    refused = moves(S.DECIDED_NO_TRANSFER)
    arrived = moves(S.ADMITTED, (S.IN_TRANSIT,))

    def opened_on(case_id: int) -> date:
        first = next(e for e in events if e.case_id == case_id and e.kind == K.OPENED)
        return _payload_day(first, "on") or first.at.astimezone(TZ).date()

    to_decision = [(happened_on(e) - opened_on(e.case_id)).days for e in decided]
    to_arrival = []
    for e in arrived:
        day = happened_on(e)
        decisions = [
            d.decided_on
            for d in Decision.objects.filter(case_id=e.case_id, outcome="transfer")
            if d.decided_on <= day
        ]
        if decisions:
            to_arrival.append((day - max(decisions)).days)

    lodged = []
    for e in mine:
        if e.kind == K.TRANSITION and e.to_state == S.UNDER_APPEAL:
            day = _payload_day(e, "lodged_on") or happened_on(e)
            if inside(day):
                lodged.append(e)
    outcomes: dict[str, int] = {}
    for e in mine:
        decided_on = _payload_day(e, "decided_on") or happened_on(e)
        if e.kind == K.APPEAL and (e.payload or {}).get("outcome") and inside(decided_on):
            outcomes[e.payload["outcome"]] = outcomes.get(e.payload["outcome"], 0) + 1

    def reasons(found: list[CaseEvent]) -> dict[str, int]:
        counted: dict[str, int] = {}
        for e in found:
            if e.reason_code_id:
                key = e.reason_code_id
            elif e.from_state in (S.UNDER_APPEAL, S.SCHEDULED):
                key = "appeal_upheld"
            else:
                key = "none"
            counted[key] = counted.get(key, 0) + 1
        return counted

    returns: dict[str, int] = {}
    for e in moves(S.RETURNED, (S.RETURN_PENDING,)):
        pending = [
            p
            for p in mine
            if p.case_id == e.case_id and p.to_state == S.RETURN_PENDING and p.at <= e.at
        ]
        key = pending[-1].reason_code_id if pending and pending[-1].reason_code_id else "none"
        returns[key] = returns.get(key, 0) + 1

    lateness = []
    for e in moves(S.DEPORTED):
        judgment = (
            Judgment.objects.filter(inmate_id=e.case.inmate_id).order_by("-judgment_date").first()
        )
        release = judgment.full_term_date if judgment is not None else None
        lateness.append(None if release is None else (happened_on(e) - release).days)
    late = [days for days in lateness if days is not None and days > 0]

    # Occupancy: day by day, the placements (not reservations) at the programme's places.
    placements = [
        p
        for p in Placement.objects.select_related("place__cell__unit__facility")
        if p.kind == Placement.Kind.PLACEMENT
        and p.place.cell.unit.facility.agreement_id == agreement.pk
    ]
    caps = list(RampUpCap.objects.filter(agreement=agreement).order_by("effective_from"))
    per_day = []
    over = 0
    cap_values = []
    day = start
    while day < until:
        occupied = sum(
            1
            for p in placements
            if p.period.lower <= day and (p.period.upper is None or day < p.period.upper)
        )
        in_force = [c.places for c in caps if c.effective_from <= day]
        cap = min(
            in_force[-1] if in_force else agreement.contracted_places, agreement.contracted_places
        )
        cap_values.append(cap)
        over += occupied > cap
        per_day.append((day, occupied))
        day += timedelta(days=1)
    peak = max(n for _d, n in per_day)
    return {
        "decided": len(decided),
        "carried_out": len(arrived),
        "refused": reasons(refused),
        "to_decision": to_decision,
        "to_arrival": to_arrival,
        "appeals_lodged": len(lodged),
        "appeal_outcomes": outcomes,
        "gate_refusals": reasons(moves(S.RETURNED, (S.IN_TRANSIT,))),
        "returns": returns,
        "removals": len(lateness),
        "removals_early": sum(1 for d in lateness if d is not None and d < 0),
        "removals_on_day": sum(1 for d in lateness if d == 0),
        "removals_late": len(late),
        "median_late": statistics.median(late) if late else None,
        "max_late": max(late) if late else None,
        "not_removable": len(moves(S.RELEASED_NOT_REMOVABLE)),
        "place_days": sum(n for _d, n in per_day),
        "average": sum(n for _d, n in per_day) / len(per_day),
        "peak": peak,
        "peak_day": next(d for d, n in per_day if n == peak),
        "cap_low": min(cap_values),
        "cap_high": max(cap_values),
        "days_over_cap": over,
    }
