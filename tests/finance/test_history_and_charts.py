"""The tranche page's history in words, and the dashboard's and cost report's SVG charts."""

import re

import pytest
from django.urls import reverse

from tests.finance.helpers import due, first_rent, scheduled
from tests.finance.test_cost_report import occupied_agreement

pytestmark = pytest.mark.django_db


def test_the_tranche_history_says_who_changed_what_from_what_to_what(
    finance_officer, finance_approver
) -> None:
    tranche = due(first_rent(scheduled()))
    response = finance_officer.post(
        reverse("finance:tranche-invoice", args=[tranche.pk]),
        {
            "invoice-invoice_reference": "KOS-2026-01",
            "invoice-invoiced_on": "2026-04-02",
            "invoice-amount": "3750000.00",
            "invoice-expected_version": tranche.version,
        },
    )
    assert response.status_code == 302
    tranche.refresh_from_db()
    response = finance_approver.post(
        reverse("finance:tranche-approve", args=[tranche.pk]),
        {"approve-comment": "Matches the occupancy statement", "approve-expected_version": 3},
    )
    assert response.status_code == 302

    page = finance_approver.get(reverse("finance:tranche-detail", args=[tranche.pk]))
    assert '<h2 id="history-heading">History</h2>' in page.content.decode()
    history_url = reverse("finance:tranche-history", args=[tranche.pk])
    assert f'hx-get="{history_url}"' in page.content.decode()  # loaded on request
    fragment = finance_approver.get(history_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    history = finance_approver.get(history_url).content.decode()
    assert "Back to the record" in history
    assert fragment.strip() in history
    # The officer's invoice: the status in words, from → to, and who did it.
    assert "Status changed from Due to Invoiced" in history
    assert "Invoice reference changed from nothing to KOS-2026-01" in history
    assert "by frida on" in history
    # A foreign key reads as the person or record it names, never as a bare id.
    assert re.search(r"Prepared by changed from nothing to frida\b", history), history
    # The approver's approval, summed up when added, with its comment.
    assert "Approval added" in history
    assert "Comment: Matches the occupancy statement" in history
    assert "by anders on" in history


def _svg(page: str, testid: str) -> str:
    match = re.search(
        rf'<figure class="app-chart" data-testid="{testid}">(.*?)</figure>', page, re.S
    )
    assert match, f"no chart {testid}"
    return match.group(1)


def test_the_dashboard_draws_planned_invoiced_approved_and_paid_by_year(finance_approver) -> None:
    scheduled()
    page = finance_approver.get(reverse("finance:dashboard")).content.decode()
    chart = _svg(page, "chart-by-year")
    assert 'role="img"' in chart
    assert '<title id="chart-by-year-title">' in chart
    assert 'aria-labelledby="chart-by-year-title chart-by-year-desc"' in chart
    for series in ("Planned", "Invoiced", "Approved", "Paid"):
        assert f"</svg> {series}</li>" in chart
    # Nothing is paid yet: only planned bars are drawn, one per year of the ten-year term + 1.
    assert chart.count("<rect x=") == len(re.findall(r", Planned: EUR", chart))
    assert "style=" not in chart
    assert "<script" not in chart
    # The table stays on the page as the source of the figures.
    assert 'data-testid="totals-by-year"' in page


def test_the_cost_report_draws_the_cost_per_place_day_by_year_and_by_quarter(auditor) -> None:
    occupied_agreement()
    page = auditor.get(
        reverse("finance:cost-report"), {"from": "2026-04-01", "to": "2026-12-31"}
    ).content.decode()
    by_year = _svg(page, "chart-cost-by-year")
    by_quarter = _svg(page, "chart-cost-by-quarter")
    assert "2026, Cost per occupied place-day: EUR" in by_year
    # One category label per quarter (the value axis's tick labels are texts too)
    assert by_quarter.count('dy="16">') == 3  # Q2, Q3, Q4 of 2026
    assert 'data-testid="cost-by-quarter"' in page
