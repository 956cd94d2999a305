"""The cost report page and the CSV/XLSX exports, with spreadsheet formulas neutralised."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance import services
from finance.models import Tranche
from program.core.exports import neutralise
from tests.finance.helpers import due, first_rent, scheduled, user
from tests.finance.test_cost_report import occupied_agreement

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+45 1234", "'+45 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("INV-1", "INV-1"),
        (Decimal("-1.00"), Decimal("-1.00")),
        (None, None),
    ],
)
def test_text_that_a_spreadsheet_would_run_is_neutralised(value, written) -> None:
    assert neutralise(value) == written


def _disputed_with_a_formula() -> Tranche:
    tranche = due(first_rent(scheduled()))
    return services.tranche_dispute(tranche=tranche, reason=FORMULA, actor=user("frida"))


def test_the_schedule_exports_as_csv_with_the_formula_neutralised(auditor) -> None:
    _disputed_with_a_formula()
    response = auditor.get(reverse("finance:schedule-export"), {"format": "csv", "stream": "rent"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="payment-schedule-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Id"
    assert len(rows) == 1 + 40  # the header and the rent tranches of ten years
    disputed = next(row for row in rows if row[9] == "Disputed")
    assert disputed[15] == "'" + FORMULA
    assert disputed[7] == "3750000.00"


def test_the_schedule_exports_as_xlsx_with_the_formula_neutralised(auditor) -> None:
    _disputed_with_a_formula()
    response = auditor.get(reverse("finance:schedule-export"), {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 81
    disputed = next(row for row in rows if row[9] == "Disputed")
    assert disputed[15] == "'" + FORMULA
    assert disputed[7] == 3750000  # a number, not text
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("agreements", [1, 3])
def test_schedule_export_query_count(auditor, django_assert_num_queries, agreements) -> None:
    for _ in range(agreements):
        scheduled()
    # session, user (with its roles), the programmes (the schedule's programme filter), the
    # user's programme, the tranches with agreement, aid stream and payment
    with django_assert_num_queries(5):
        assert auditor.get(reverse("finance:schedule-export")).status_code == 200


def test_the_cost_report_page_shows_years_quarters_and_the_comparison(finance_approver) -> None:
    occupied_agreement(per_inmate_month_fee=Decimal("8500.00"))
    response = finance_approver.get(
        reverse("finance:cost-report"), {"from": "2026-01-01", "to": "2026-12-31"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="per-day-2026-q2">EUR 4,120.88' in body
    assert 'data-testid="per-day-2026">EUR 4,090.91' in body
    assert "counts calendar months" in body
    assert "EUR 8,500.00" in body
    assert "Download XLSX" in body


def test_a_reversed_period_is_named_in_an_alert(auditor) -> None:
    scheduled()
    response = auditor.get(
        reverse("finance:cost-report"), {"from": "2027-01-01", "to": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "before the first day" in response.content.decode()
    response = auditor.get(reverse("finance:cost-report"), {"from": "1 Jan"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()


def test_the_cost_report_exports_as_xlsx(auditor) -> None:
    occupied_agreement(per_inmate_month_fee=Decimal("8500.00"))
    response = auditor.get(
        reverse("finance:report-export"),
        {"from": "2026-01-01", "to": "2026-12-31", "format": "xlsx"},
    )
    assert response.status_code == 200
    assert (
        'filename="cost-per-place-day-2026-01-01-2026-12-31.xlsx"'
        in response["Content-Disposition"]
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][9] == "Cost per occupied place-day"
    year = rows[1]
    assert (year[0], year[1], year[8], year[9]) == ("2026", "year", 2750, 4090.91)
    assert [row[0] for row in rows[2:6]] == ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]


def test_the_cost_report_exports_as_csv(auditor) -> None:
    occupied_agreement()
    response = auditor.get(
        reverse("finance:report-export"), {"from": "2026-04-01", "to": "2026-06-30"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["2026", "year"]
    assert rows[1][9] == "4120.88"


@pytest.mark.parametrize("last", ["2026-12-31", "2027-12-31"])
def test_cost_report_page_query_count(auditor, django_assert_num_queries, last) -> None:
    scheduled()
    # session, user (with its roles), the programmes for the filter, the user's programme, the
    # chosen agreement, its terms, the occupancy of every quarter in one query, its rent
    # tranches: the same count for one year and for two
    with django_assert_num_queries(8):
        response = auditor.get(reverse("finance:cost-report"), {"from": "2026-01-01", "to": last})
    assert response.status_code == 200


def test_cost_report_is_for_finance_readers_only(caseworker, occupancy_admin) -> None:
    assert caseworker.get(reverse("finance:cost-report")).status_code == 403
    assert occupancy_admin.get(reverse("finance:report-export")).status_code == 403
