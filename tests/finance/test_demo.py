"""The demo payment schedule: settled through the services, deterministic and idempotent.

Loading the whole demo (400 inmates placed through the services) takes minutes, so one test loads
it and checks everything that needs the placements; the others run the finance loaders on the
agreement, its facility and the demo users alone.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance import demo as finance_demo
from finance import selectors
from finance.models import Payment, PricingTerms, Tranche, TrancheApproval
from program.cells import demo as cells_demo
from program.cells.models import Agreement
from program.core import demo_users
from program.core.demo import demo_load
from program.core.demo_users import demo_password

pytestmark = pytest.mark.django_db

TABLES = [
    "finance_pricingterms",
    "finance_tranche",
    "finance_tranchecondition",
    "finance_trancheapproval",
    "finance_payment",
    "finance_trancheevent",
    "auth_user",
    "auth_user_groups",
]


def _snapshot() -> dict[str, list[tuple]]:
    result = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - fixed table names
            result[table] = cursor.fetchall()
    return result


def _finance_demo() -> io.StringIO:
    """The agreement and facility, the terms, the demo users, then the schedule (no placements)."""
    out = io.StringIO()
    cells_demo.load(out)
    finance_demo.load(out)
    demo_users.load(out)
    finance_demo.load_schedule(out)
    return out


def test_the_demo_schedule_is_settled_up_to_october_with_one_disputed_and_one_overdue() -> None:
    out = _finance_demo()
    tranches = Tranche.objects.all()
    assert tranches.count() == 81  # start fee, 40 rent and 40 aid quarters over ten years
    paid = tranches.filter(status="paid")
    assert sorted((t.stream, t.due_on) for t in paid) == [
        ("aid", date(2026, 4, 1)),
        ("aid", date(2026, 7, 1)),
        ("rent", date(2026, 4, 1)),
        ("rent", date(2026, 7, 1)),
        ("start_fee", date(2022, 4, 26)),
    ]
    assert tranches.filter(due_on__lt=date(2026, 10, 1)).exclude(status="paid").count() == 0
    disputed = tranches.get(status="disputed")
    assert (disputed.stream, disputed.due_on) == ("aid", date(2026, 10, 1))
    assert disputed.reason
    assert disputed.decided_by is not None
    assert disputed.decided_by.get_username() == "finance_approver"
    overdue = tranches.get(status="overdue")
    assert (overdue.stream, overdue.due_on) == ("rent", date(2026, 10, 1))
    assert tranches.get(due_on=date(2027, 1, 1), stream="rent").conditions.count() == 1
    # Prepared by the officer, approved by two different approvers, paid to the cent.
    for tranche in paid:
        assert tranche.prepared_by is not None
        assert tranche.prepared_by.get_username() == "finance_officer"
        approvers = set(
            TrancheApproval.objects.filter(tranche=tranche).values_list(
                "approver__username", flat=True
            )
        )
        assert approvers == {"finance_approver", "finance_approver2"}
        assert Payment.objects.get(tranche=tranche).amount == tranche.amount
    assert sum(p.amount for p in Payment.objects.all()) == Decimal(
        "15500000.00"
    )  # 5 m + 2 × 3.75 m + 2 × 1.5 m
    assert "Payment schedule: 74 planned, 5 paid, 1 overdue, 1 disputed" in out.getvalue()


def test_the_demo_sets_the_comparison_price_and_the_second_approver_can_sign_in(client) -> None:
    out = _finance_demo()
    assert PricingTerms.objects.get().per_inmate_month_fee == Decimal("8500.00")
    second = get_user_model().objects.get(username="finance_approver2")
    assert list(second.groups.values_list("name", flat=True)) == ["finance_approver"]
    assert client.login(username="finance_approver2", password=demo_password("finance_approver2"))
    assert "finance_approver2" in out.getvalue()


def test_with_one_approval_level_no_second_approver_is_made(settings) -> None:
    settings.FINANCE_APPROVAL_LEVELS = 1
    _finance_demo()
    assert not get_user_model().objects.filter(username="finance_approver2").exists()
    assert Tranche.objects.filter(status="paid").count() == 5


def test_running_the_schedule_loader_twice_changes_nothing() -> None:
    _finance_demo()
    before = _snapshot()
    _finance_demo()
    assert _snapshot() == before


def test_the_schedule_loader_writes_in_bulk() -> None:
    # A ceiling on queries, not on time (time swings with the machine's load): fifteen years of
    # tranches written row by row would send thousands.
    out = io.StringIO()
    cells_demo.load(out)
    finance_demo.load(out)
    demo_users.load(out)
    with CaptureQueriesContext(connection) as queries:
        finance_demo.load_schedule(out)
    print(f"schedule loader: {len(queries)} queries")
    assert len(queries) < 500  # 385 in December 2026


def test_the_whole_demo_twice_and_its_cost_per_occupied_place_day(capsys) -> None:
    """The demo's figures, with occupied place-days recounted by hand."""
    demo_load(out=io.StringIO())
    before = _snapshot()
    demo_load(out=io.StringIO())
    assert _snapshot() == before

    agreement = Agreement.objects.get(name=cells_demo.AGREEMENT_NAME)  # the demo has two
    report = selectors.cost_report(
        agreement=agreement, start=date(2026, 1, 1), end=date(2028, 1, 1)
    )
    y2026, y2027 = report.years
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lower(pl.period), upper(pl.period) FROM cells_placement pl"
            " JOIN cells_place p ON p.id = pl.place_id JOIN cells_cell c ON c.id = p.cell_id"
            " JOIN cells_unit u ON u.id = c.unit_id JOIN cells_facility f ON f.id = u.facility_id"
            " WHERE pl.kind = 'placement' AND f.agreement_id = %s",
            [agreement.pk],
        )
        periods = cursor.fetchall()

    def nights(start: date, end: date) -> int:
        # Each placement's nights inside [start, end), summed in Python rather than SQL.
        return sum(
            max((min(upper or end, end) - max(lower, start)).days, 0) for lower, upper in periods
        )

    assert y2026.occupied_place_days == nights(date(2026, 1, 1), date(2027, 1, 1))
    assert y2027.occupied_place_days == nights(date(2027, 1, 1), date(2028, 1, 1))
    assert y2026.rent_rounded == Decimal("11250000.00")  # three quarters of EUR 15 m
    assert y2027.rent_rounded == Decimal("15000000.00")
    for row in (y2026, y2027):
        by_hand = (row.rent / row.occupied_place_days).quantize(Decimal("0.01"))
        assert row.cost_per_occupied_place_day == by_hand
    with capsys.disabled():
        for row in [*report.years, *report.quarters]:
            print(
                f"\n{row.label}: rent {row.rent_rounded}, rent days {row.rent_days}, occupied "
                f"{row.occupied_place_days}, per day {row.cost_per_occupied_place_day}, empty "
                f"{row.empty_place_days} costing {row.empty_cost}, inmate-months "
                f"{row.inmate_months} at 8,500 = {row.per_inmate_month_cost}"
            )
