"""Races on real transactions (Test goals 10 and 13): many people acting on one place, one inmate
or one tranche at the same moment. Exactly one wins each round; the others are told it is taken
(409) or that the tranche moved since they read it (412), and nothing is double-booked.

Each test runs ROUNDS rounds; a barrier per round releases all attempts together (racing.py).
Between rounds the winner is released on the day the next round starts, so the next round
races for the same place or inmate again and its winner's period may touch the last one's
end: adjacent half-open [from, to) periods must be accepted.
"""

import time
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from finance import services as finance_services
from finance.models import Tranche
from program.cells import services as cells_services
from program.cells.models import Place, Placement
from program.core.errors import ConflictError, PreconditionFailedError
from program.core.roles import Role
from program.inmates.models import Inmate
from tests.factories import CellFactory, PlaceFactory, UnitFactory
from tests.finance.helpers import scheduled
from tests.reliability.racing import Race, overlapping_placements

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 50
THREADS = 20
API_ROUNDS = 10  # each attempt is a whole request through the middleware: fewer rounds
START = date(2027, 5, 3)
DAYS_PER_ROUND = 5  # attempts start on different days of a round, so the periods differ


def _round_start(round_: int) -> date:
    return START + timedelta(days=DAYS_PER_ROUND * round_)


def _attempt_start(round_: int, index: int) -> date:
    # Every attempt of a round is open-ended from some day of the round: they all overlap.
    return _round_start(round_) + timedelta(days=index % DAYS_PER_ROUND)


def _inmates(count: int, prefix: str) -> list[Inmate]:
    return Inmate.objects.bulk_create(
        Inmate(
            case_number=f"{prefix}-{n:04d}",
            name=f"Racing Inmate {n}",
            date_of_birth=date(1985, 1, 1),
            sex=Inmate.Sex.MALE,
            security_level=Inmate.SecurityLevel.LOW,
            home_institution="Statsfængslet Østjylland",
        )
        for n in range(count)
    )


def _places(count: int) -> list[Place]:
    unit = UnitFactory()
    return [PlaceFactory(cell=CellFactory(unit=unit)) for _n in range(count)]


def _admit(inmate: Inmate, place: Place, on: date) -> str:
    try:
        cells_services.placement_admit(
            inmate=inmate, place=place, on=on, reason="Transfer decision", actor=None
        )
    except ConflictError:
        return "conflict"
    return "admitted"


def _release_winner(round_: int) -> None:
    """End the round's placement on the first day of the next round (adjacent, not overlapping)."""
    winner = Placement.objects.get(period__upper_inf=True)  # the only one still open
    cells_services.placement_release(
        placement=winner, on=_round_start(round_ + 1), end_reason="returned", actor=None
    )


def _report(name: str, rounds: int, started: float, outcomes: list[list[str]]) -> None:
    wins = sum(round_.count("admitted") + round_.count("ok") for round_ in outcomes)
    print(
        f"\n{name}: {rounds} rounds × {len(outcomes[0])} threads, {wins} wins, "
        f"{overlapping_placements()} overlaps, {time.monotonic() - started:.1f} s"
    )


def test_twenty_admissions_of_different_inmates_to_one_place_let_exactly_one_in() -> None:
    started = time.monotonic()
    place = _places(1)[0]
    inmates = _inmates(THREADS, "PLACE")
    outcomes = []
    with Race(THREADS) as race:
        for round_ in range(ROUNDS):
            result = race.round(lambda i, r=round_: _admit(inmates[i], place, _attempt_start(r, i)))
            assert sorted(result) == ["admitted"] + ["conflict"] * (THREADS - 1), (round_, result)
            outcomes.append(result)
            _release_winner(round_)
    assert Placement.objects.filter(place=place).count() == ROUNDS
    assert overlapping_placements() == 0
    _report("one place, different inmates", ROUNDS, started, outcomes)


def test_one_inmate_admitted_to_two_places_at_once_gets_exactly_one() -> None:
    # Twenty attempts, ten for each place: a loser for the winner's place is stopped by the
    # place check, one for the other place only by the inmate's exclusion constraint.
    started = time.monotonic()
    places = _places(2)
    inmate = _inmates(1, "INMATE")[0]
    outcomes = []
    with Race(THREADS) as race:
        for round_ in range(ROUNDS):
            result = race.round(
                lambda i, r=round_: _admit(inmate, places[i % 2], _attempt_start(r, i))
            )
            assert sorted(result) == ["admitted"] + ["conflict"] * (THREADS - 1), (round_, result)
            outcomes.append(result)
            _release_winner(round_)
    assert Placement.objects.filter(inmate=inmate).count() == ROUNDS
    assert overlapping_placements() == 0
    _report("one inmate, two places", ROUNDS, started, outcomes)


def _signed_in_clients(count: int) -> list[Client]:
    user = User.objects.create_user(username="otto")
    user.groups.add(Group.objects.get(name=Role.OCCUPANCY_ADMIN))
    clients = []
    for _n in range(count):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_twenty_admissions_over_the_api_give_one_201_and_nineteen_409s() -> None:
    started = time.monotonic()
    place = _places(1)[0]
    inmates = _inmates(THREADS, "API")
    clients = _signed_in_clients(THREADS)
    url = reverse("api:placement-admit")

    def attempt(index: int, round_: int) -> str:
        response = clients[index].post(
            url,
            {
                "inmate": inmates[index].pk,
                "place": place.pk,
                "on": _attempt_start(round_, index).isoformat(),
                "reason": "Transfer decision",
            },
            content_type="application/json",
        )
        body: dict[str, Any] = response.json()
        if response.status_code == 409:
            assert body["error"]["code"] == "conflict"
            assert body["error"]["message"]  # says what is taken, for the person who lost
        return str(response.status_code)

    outcomes = []
    with Race(THREADS) as race:
        for round_ in range(API_ROUNDS):
            result = race.round(lambda i, r=round_: attempt(i, r))
            assert sorted(result) == ["201"] + ["409"] * (THREADS - 1), (round_, result)
            outcomes.append(["admitted" if r == "201" else r for r in result])
            _release_winner(round_)
    assert overlapping_placements() == 0
    _report("one place over the API", API_ROUNDS, started, outcomes)


# --- Two approvals of one tranche ----------------------------------------------------------------


def _approver(username: str) -> User:
    user = User.objects.create_user(username=username)
    user.groups.add(Group.objects.get(name=Role.FINANCE_APPROVER))
    return user


def _invoiced_tranches(count: int) -> list[Tranche]:
    terms = scheduled()  # makes the preparer "frida", who may not approve
    preparer = User.objects.get(username="frida")
    tranches = list(Tranche.objects.filter(agreement=terms.agreement).order_by("due_on", "pk"))
    tranches = tranches[:count]
    assert len(tranches) == count
    finance_services.tranches_advance(today=tranches[-1].due_on)
    for tranche in tranches:
        tranche.refresh_from_db()
        finance_services.tranche_invoice(
            tranche=tranche.pk,
            amount=tranche.amount,
            invoice_reference=f"INV-{tranche.pk}",
            invoiced_on=tranche.due_on,
            actor=preparer,
        )
    return [Tranche.objects.get(pk=t.pk) for t in tranches]


def _approve(tranche: Tranche, approver: User, read_version: int | None) -> str:
    try:
        finance_services.tranche_approve(
            tranche=tranche.pk, actor=approver, expected_version=read_version
        )
    except PreconditionFailedError:
        return "412"  # checked first: a PreconditionFailedError is a ConflictError too
    except ConflictError:
        return "409"
    return "ok"


def test_two_approvers_at_once_exactly_one_succeeds(settings) -> None:
    started = time.monotonic()
    approvers = [_approver("anders"), _approver("birgit")]
    tranches = _invoiced_tranches(ROUNDS)
    # Both read the tranche at the same version (the API's If-Match, a page's hidden field):
    # even where two levels are needed, the second approval would go to a tranche its approver
    # has not seen, so it is refused as stale (412). Without a read version and with one level,
    # the second finds the tranche approved already (409). One flush for both: half each.
    phases = [(2, True, "412"), (1, False, "409")]
    outcomes = []
    with Race(2) as race:
        for number, tranche in enumerate(tranches):
            levels, with_read_version, loser = phases[number * len(phases) // len(tranches)]
            settings.FINANCE_APPROVAL_LEVELS = levels
            read_version = tranche.version if with_read_version else None
            result = race.round(lambda i, t=tranche, v=read_version: _approve(t, approvers[i], v))
            assert sorted(result) == sorted(["ok", loser]), (tranche.pk, levels, result)
            outcomes.append(result)
            tranche.refresh_from_db()
            assert tranche.approvals.count() == 1
            assert tranche.status == ("approved" if levels == 1 else "invoiced")
    _report("two approvals of one tranche", len(tranches), started, outcomes)
