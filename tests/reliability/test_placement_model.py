"""Occupancy as a state machine (Test goal 11): Hypothesis drives admit, move, release, reserve and
cancel over a few inmates, places and days, against an in-memory model of the same rules.

The model predicts each action's outcome (done, refused as a conflict, refused as invalid input)
from the rules alone, and the services must agree. After every step the database must hold
exactly the model's placements, so the same places are held on the same days; no place or inmate
is held twice on a day (SQL self-join); and no day holds more places than the agreement's cap,
which here steps down during the window (a ramp-up step), so the cap binds.

Bounded for `make test` (MAX_EXAMPLES × STEPS, derandomized, so every run is the same run).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from program.cells import services
from program.cells.models import Placement
from program.core.errors import ApplicationError, ConflictError
from program.inmates.models import Inmate
from tests.factories import (
    AgreementFactory,
    CellFactory,
    FacilityFactory,
    PlaceFactory,
    RampUpCapFactory,
    UnitFactory,
)
from tests.reliability.racing import overlapping_placements

MAX_EXAMPLES = 25
STEPS = 20

D0 = date(2027, 5, 3)
DAYS = 16  # actions are dated D0 … D0 + DAYS - 1
INMATES = 5
PLACES = 4
CONTRACTED = 3
STEP_DAY = D0 + timedelta(days=8)  # from here on the ramp-up cap is lower
STEPPED_CAP = 2
# Every hold is open-ended or ends by D0 + DAYS, so counts on later days equal the last one's.
WINDOW = [D0 + timedelta(days=n) for n in range(DAYS + 2)]


def cap_on(day: date) -> int:
    return STEPPED_CAP if day >= STEP_DAY else CONTRACTED


@dataclass
class Hold:
    """The model's copy of one placements row."""

    pk: int
    inmate: int
    place: int
    kind: str
    start: date
    end: date | None = None  # None: open-ended
    end_reason: str = ""

    @property
    def live(self) -> bool:
        return self.end_reason != Placement.EndReason.CANCELLED

    @property
    def open(self) -> bool:
        return self.live and self.end is None and not self.end_reason

    def holds_from(self, day: date) -> bool:
        """Whether it holds its place on some day from `day` on."""
        return self.live and (self.end is None or self.end > day)

    def holds_on(self, day: date) -> bool:
        return self.live and self.start <= day and (self.end is None or day < self.end)


def _outcome(action: Callable[[], object]) -> tuple[str, object]:
    """What the service did: done (with its result), or refused as a conflict or as bad input."""
    try:
        return "done", action()
    except ConflictError:
        return "conflict", None
    except ApplicationError:
        return "invalid", None


class PlacementMachine(RuleBasedStateMachine):
    examples = 0
    steps = 0

    def __init__(self) -> None:
        super().__init__()
        PlacementMachine.examples += 1
        # Each example runs in a savepoint that teardown rolls back, so it starts empty.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        agreement = AgreementFactory(contracted_places=CONTRACTED)
        RampUpCapFactory(agreement=agreement, effective_from=STEP_DAY, places=STEPPED_CAP)
        unit = UnitFactory(facility=FacilityFactory(agreement=agreement))
        self.places = [PlaceFactory(cell=CellFactory(unit=unit)) for _n in range(PLACES)]
        self.inmates = [
            Inmate.objects.create(
                case_number=f"MODEL-{n}",
                name=f"Model Inmate {n}",
                date_of_birth=date(1985, 1, 1),
                sex=Inmate.Sex.MALE,
                security_level=Inmate.SecurityLevel.LOW,
                home_institution="Statsfængslet Østjylland",
            )
            for n in range(INMATES)
        ]
        self.holds: list[Hold] = []

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- The model's rules ---------------------------------------------------------------------

    def _others(self, skip: Hold | None) -> list[Hold]:
        return [h for h in self.holds if h is not skip and h.live]

    def _place_free_from(self, place: int, day: date, skip: Hold | None = None) -> bool:
        return not any(h.place == place and h.holds_from(day) for h in self._others(skip))

    def _inmate_free_from(self, inmate: int, day: date, skip: Hold | None = None) -> bool:
        return not any(h.inmate == inmate and h.holds_from(day) for h in self._others(skip))

    def _cap_allows_from(self, day: date, skip: Hold | None = None) -> bool:
        """One more open-ended hold from `day` keeps every later day within its cap."""
        others = self._others(skip)
        return all(sum(h.holds_on(d) for h in others) + 1 <= cap_on(d) for d in WINDOW if d >= day)

    def _live_reservation(self, inmate: int) -> Hold | None:
        return next(
            (h for h in self.holds if h.inmate == inmate and h.kind == "reservation" and h.open),
            None,
        )

    def _check(self, predicted: str, actual: str, what: str) -> None:
        PlacementMachine.steps += 1
        assert actual == predicted, f"{what}: the model says {predicted}, the service {actual}"

    # --- Rules -------------------------------------------------------------------------------

    @rule(
        inmate=st.integers(0, INMATES - 1),
        place=st.integers(0, PLACES - 1),
        day=st.integers(0, DAYS - 1),
    )
    def admit(self, inmate: int, place: int, day: int) -> None:
        on = D0 + timedelta(days=day)
        reservation = self._live_reservation(inmate)
        legal = (
            (reservation is None or reservation.place == place)
            and self._place_free_from(place, on, skip=reservation)
            and self._inmate_free_from(inmate, on, skip=reservation)
            and self._cap_allows_from(on, skip=reservation)
        )
        actual, placement = _outcome(
            lambda: services.placement_admit(
                inmate=self.inmates[inmate],
                place=self.places[place],
                on=on,
                reason="Transfer decision",
                actor=None,
            )
        )
        self._check("done" if legal else "conflict", actual, f"admit {inmate}→{place} {on}")
        if actual != "done":
            return
        assert isinstance(placement, Placement)
        if reservation is not None:
            self.holds.remove(reservation)  # taken up: the same row, now a placement from `on`
        self.holds.append(Hold(placement.pk, inmate, place, "placement", on))

    @rule(
        inmate=st.integers(0, INMATES - 1),
        place=st.integers(0, PLACES - 1),
        day=st.integers(0, DAYS - 1),
    )
    def reserve(self, inmate: int, place: int, day: int) -> None:
        on = D0 + timedelta(days=day)
        legal = (
            self._place_free_from(place, on)
            and self._inmate_free_from(inmate, on)
            and self._cap_allows_from(on)
        )
        actual, reservation = _outcome(
            lambda: services.reservation_create(
                inmate=self.inmates[inmate],
                place=self.places[place],
                arrival_on=on,
                reason="Transport booked",
                actor=None,
            )
        )
        self._check("done" if legal else "conflict", actual, f"reserve {inmate}→{place} {on}")
        if actual == "done":
            assert isinstance(reservation, Placement)
            self.holds.append(Hold(reservation.pk, inmate, place, "reservation", on))

    def _placements(self) -> list[Hold]:
        return [h for h in self.holds if h.kind == "placement"]

    @precondition(lambda self: self._placements())
    @rule(
        pick=st.integers(0, 10**6),
        to_place=st.integers(0, PLACES - 1),
        day=st.integers(0, DAYS - 1),
    )
    def move(self, pick: int, to_place: int, day: int) -> None:
        placements = self._placements()
        hold = placements[pick % len(placements)]
        on = D0 + timedelta(days=day)
        if not hold.open:
            predicted = "conflict"
        elif on < hold.start or to_place == hold.place:
            predicted = "invalid"
        elif not self._place_free_from(to_place, on):
            predicted = "conflict"
        else:
            predicted = "done"
        actual, moved = _outcome(
            lambda: services.placement_move(
                placement=Placement(pk=hold.pk),
                to_place=self.places[to_place],
                on=on,
                reason="Cell change",
                actor=None,
            )
        )
        self._check(predicted, actual, f"move {hold.pk}→{to_place} {on}")
        if actual != "done":
            return
        assert isinstance(moved, Placement)
        if on == hold.start:
            hold.place = to_place  # moved on the day of admission: the same row, re-pointed
        else:
            hold.end, hold.end_reason = on, Placement.EndReason.MOVED
            self.holds.append(Hold(moved.pk, hold.inmate, to_place, "placement", on))

    @precondition(lambda self: self._placements())
    @rule(pick=st.integers(0, 10**6), day=st.integers(0, DAYS - 1))
    def release(self, pick: int, day: int) -> None:
        placements = self._placements()
        hold = placements[pick % len(placements)]
        on = D0 + timedelta(days=day)
        if not hold.open:
            predicted = "conflict"
        elif on <= hold.start:
            predicted = "invalid"
        else:
            predicted = "done"
        actual, _released = _outcome(
            lambda: services.placement_release(
                placement=Placement(pk=hold.pk),
                on=on,
                end_reason=Placement.EndReason.RETURNED,
                actor=None,
            )
        )
        self._check(predicted, actual, f"release {hold.pk} {on}")
        if actual == "done":
            hold.end, hold.end_reason = on, Placement.EndReason.RETURNED

    @precondition(lambda self: self.holds)
    @rule(pick=st.integers(0, 10**6))
    def cancel_reservation(self, pick: int) -> None:
        hold = self.holds[pick % len(self.holds)]
        predicted = "done" if hold.kind == "reservation" and hold.open else "conflict"
        actual, _cancelled = _outcome(
            lambda: services.reservation_cancel(
                reservation=Placement(pk=hold.pk), reason="Transport cancelled", actor=None
            )
        )
        self._check(predicted, actual, f"cancel {hold.pk}")
        if actual == "done":
            hold.end_reason = Placement.EndReason.CANCELLED

    # --- Invariants ----------------------------------------------------------------------------

    @invariant()
    def the_database_holds_what_the_model_holds(self) -> None:
        rows = {
            (p.pk, p.inmate_id, p.place_id, p.kind, p.period.lower, p.period.upper, p.end_reason)
            for p in Placement.objects.all()
        }
        model = {
            (
                h.pk,
                self.inmates[h.inmate].pk,
                self.places[h.place].pk,
                h.kind,
                h.start,
                h.end,
                h.end_reason,
            )
            for h in self.holds
        }
        assert rows == model

    @invariant()
    def each_day_is_within_the_cap_and_counts_like_the_model(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT day::date,
                       count(p.id),
                       count(p.id) FILTER (WHERE p.kind = 'placement')
                FROM generate_series(%s::date, %s::date, interval '1 day') AS day
                LEFT JOIN cells_placement p
                  ON p.period @> day::date AND p.end_reason <> 'cancelled'
                GROUP BY day ORDER BY day
                """,
                [WINDOW[0], WINDOW[-1]],
            )
            counts = cursor.fetchall()
        for day, held, occupied in counts:
            live = [h for h in self.holds if h.holds_on(day)]
            assert held == len(live), day
            assert occupied == sum(h.kind == "placement" for h in live), day
            assert held <= cap_on(day), f"{held} places held on {day}, cap {cap_on(day)}"

    @invariant()
    def no_place_or_inmate_is_held_twice_on_a_day(self) -> None:
        assert overlapping_placements() == 0


@pytest.mark.django_db
def test_placements_follow_the_model() -> None:
    started = time.monotonic()
    PlacementMachine.examples = PlacementMachine.steps = 0
    run_state_machine_as_test(
        PlacementMachine,
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    print(
        f"\nplacement model: {PlacementMachine.examples} runs, {PlacementMachine.steps} steps "
        f"checked against the model, {time.monotonic() - started:.1f} s"
    )
    assert PlacementMachine.examples >= MAX_EXAMPLES
