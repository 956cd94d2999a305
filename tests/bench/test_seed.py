"""The benchmark harness works: a tiny seed keeps the constraints and the history switched back
on, and one page is measured with its limit query and budgets (the full run is `make bench`)."""

import io

import pytest
from django.db import connection

from bench import measure, report, scenarios
from bench.seed import Scale, seed
from bench.targets import INMATE_SEARCH_SQL, SEARCH
from program.audit.models import AccessLogEntry
from program.cells.models import Placement
from program.core.roles import roles_sync
from program.inmates.models import Inmate
from transfers.models import CaseEvent, TransferCase

pytestmark = pytest.mark.django_db

TINY = Scale(inmates=200)


def _history_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant names)
        return int(cursor.fetchone()[0])


def test_seeds_a_tiny_scale_and_measures_a_page(caseworker, make_user) -> None:
    roles_sync()
    history_before = _history_rows("audit_inmatechange")

    timings = seed(TINY, out=io.StringIO(), load_demo=False)

    bulk = Inmate.objects.filter(case_number__startswith="BX-")
    assert bulk.count() == TINY.inmates
    assert TransferCase.objects.filter(inmate__in=bulk).count() == TINY.cases
    # Every case has its "opened" event and one event per later version.
    assert CaseEvent.objects.filter(kind="opened").count() == TINY.cases
    assert AccessLogEntry.objects.count() >= TINY.access_rows
    assert "inmates" in timings
    # No history for the seeded rows, and the history trigger is on again afterwards.
    assert _history_rows("audit_inmatechange") == history_before
    Inmate.objects.filter(pk=bulk.order_by("pk")[0].pk).update(name="Changed After Seeding")
    assert _history_rows("audit_inmatechange") == history_before + 1
    # Placements need the demo's places; without them the seed adds none and breaks nothing.
    assert not Placement.objects.exists()

    url = f"/inmates/?search={SEARCH}"
    page = measure.time_django(lambda: caseworker.get(url), runs=3, warm_up=1)
    assert page.status == 200
    assert page.runs == 3
    assert page.median_ms > 0
    assert page.p95_ms >= page.median_ms
    assert page.queries is not None
    assert 0 < page.queries <= report.MAX_QUERIES

    with connection.cursor() as cursor:
        cursor.execute(INMATE_SEARCH_SQL, {"pattern": f"%{SEARCH}%"})
        limit_rows = cursor.fetchall()
    listed = Inmate.objects.filter(name__icontains=SEARCH).count()
    assert len(limit_rows) == min(listed, 50)
    assert listed > 0

    row = {"label": "inmate list", "group": "page", "system": page.as_dict(), "x_limit": 1.5}
    row |= {"floor_ms": 20.0, "limit": {"median_ms": 1.0}}
    assert report.p50_budget_ms(row) == 27.0
    assert ("p50≤27.0", page.median_ms <= 27.0) in report.row_budgets(row)


def test_the_import_file_passes_the_intake_checks() -> None:
    from program.inmates import selectors
    from transfers import intake

    parsed = intake.parse(scenarios.import_file(20), known_countries=selectors.country_codes())
    assert parsed.problems == []
    assert len(parsed.rows) == 20
