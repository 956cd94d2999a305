"""The demo's transfer cases: every state, consistent with the placements, loaded once."""

import io
import time

import pytest
from django.db import connection

from program.cells.models import Placement
from program.core.demo import demo_load
from transfers.models import CaseEvent, ManifestEntry, Screening, TransferCase

pytestmark = pytest.mark.django_db
S = TransferCase.State

TABLES = [
    "transfers_transfercase",
    "transfers_caseevent",
    "transfers_screening",
    "transfers_decision",
    "transfers_inmateopinion",
    "transfers_transportbatch",
    "transfers_manifestentry",
    "cells_placement",
]


def _snapshot() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - fixed names
            result[table] = cursor.fetchall()
    return result


def _load_timing_transfers() -> float:
    """Load the demo in its order, timing the transfer cases' loader alone."""
    from django.utils.module_loading import autodiscover_modules

    from program.core import demo as core_demo
    from transfers import demo as transfers_demo

    autodiscover_modules("demo")
    took = 0.0
    for loader in sorted(core_demo._LOADERS, key=lambda item: item.order):
        # This process's CPU time: wall time swings with the machine's other load (an idle
        # machine takes 2-3.5 s wall time in all; see the report).
        started = time.process_time()
        loader.load(io.StringIO())
        if loader.load is transfers_demo.load:
            took = time.process_time() - started
    return took


def test_the_demo_has_consistent_cases_in_every_state_fast_and_once(db) -> None:
    took = _load_timing_transfers()
    print(f"transfers demo: {took:.2f} s")
    assert took < 5, f"the transfers demo took {took:.1f} s of CPU"
    present = set(TransferCase.objects.values_list("state", flat=True))
    assert present == set(TransferCase.State.values), set(TransferCase.State.values) - present
    _check_placements()
    _check_screenings()
    before = _snapshot()
    demo_load(out=io.StringIO())
    assert _snapshot() == before


def _check_placements() -> None:
    for case in TransferCase.objects.select_related("placement"):
        placement = case.placement
        if case.state in (S.SERVING, S.ADMITTED, S.RELEASE_PREP, S.RETURN_PENDING):
            assert placement is not None, case
            assert placement.kind == "placement", case
            assert placement.inmate_id == case.inmate_id
            assert not placement.end_reason, case
        elif case.state in (S.SCHEDULED, S.IN_TRANSIT):
            assert placement is not None, case
            assert placement.kind == "reservation", case
            assert ManifestEntry.objects.filter(case=case, placement=placement).exists()
        elif case.state == S.DEPORTED:
            assert placement is not None
            assert placement.end_reason == "deported"
        elif case.state == S.RETURNED:
            assert placement is not None
            assert placement.end_reason == "returned"
        elif case.state == S.RELEASED_NOT_REMOVABLE:
            assert placement is not None
            assert placement.end_reason == "released"
        else:
            assert placement is None, case
    # Everyone in place at Gjilan, or holding a reservation, has a case.
    held = Placement.objects.filter(end_reason="").values_list("inmate_id", flat=True)
    with_case = set(TransferCase.objects.values_list("inmate_id", flat=True))
    assert set(held) <= with_case


def _check_screenings() -> None:
    for case in TransferCase.objects.filter(state__in=[S.ELIGIBLE, S.INELIGIBLE, S.NEEDS_REVIEW]):
        assert Screening.objects.filter(case=case).exists()
        assert case.events.filter(kind=CaseEvent.Kind.SCREENING).exists()
