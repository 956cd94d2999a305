"""The schedule and the cost report as tables: their column headers and rows.

program/core/exports.py writes them as CSV or XLSX (formula guard, language, cell types).
Numbers and dates are handed over as numbers and dates so that the files keep them typed.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance.models import Tranche
from finance.selectors import CostReport, CostRow

SCHEDULE_HEADERS = [
    gettext_lazy("Id"),
    gettext_lazy("Agreement"),
    gettext_lazy("Stream"),
    gettext_lazy("Aid stream"),
    gettext_lazy("Period starts"),
    gettext_lazy("Period ends (exclusive)"),
    gettext_lazy("Due on"),
    gettext_lazy("Amount"),
    gettext_lazy("Currency"),
    gettext_lazy("Status"),
    gettext_lazy("Invoice reference"),
    gettext_lazy("Invoiced on"),
    gettext_lazy("Paid on"),
    gettext_lazy("Bank reference"),
    gettext_lazy("Amount (DKK)"),
    gettext_lazy("Reason"),
]


def schedule_rows(tranches: Iterable[Tranche]) -> list[list[Any]]:
    rows = []
    for t in tranches:
        payment = getattr(t, "payment", None) if t.status == Tranche.Status.PAID else None
        rows.append(
            [
                t.pk,
                t.agreement.name,
                t.get_stream_display(),
                t.aid_stream.name if t.aid_stream else "",
                t.period_start,
                t.period_end,
                t.due_on,
                t.amount,
                t.currency,
                t.get_status_display(),
                t.invoice_reference,
                t.invoiced_on,
                payment.paid_on if payment else None,
                payment.bank_reference if payment else "",
                payment.amount_dkk if payment else None,
                t.reason,
            ]
        )
    return rows


REPORT_HEADERS = [
    gettext_lazy("Period"),
    gettext_lazy("Granularity"),
    gettext_lazy("First day"),
    gettext_lazy("Last day"),
    gettext_lazy("Rent days"),
    gettext_lazy("Contracted places"),
    gettext_lazy("Rent owed"),
    gettext_lazy("Currency"),
    gettext_lazy("Occupied place-days"),
    gettext_lazy("Cost per occupied place-day"),
    gettext_lazy("Contracted place-days"),
    gettext_lazy("Paid-but-empty place-days"),
    gettext_lazy("Cost of paid-but-empty place-days"),
    gettext_lazy("Inmate-months (calendar months)"),
    gettext_lazy("Price per inmate-month (comparison)"),
    gettext_lazy("Same occupancy at the per-inmate-month price"),
]


def _report_row(row: CostRow, granularity: str) -> list[Any]:
    return [
        row.label,
        granularity,
        row.start,
        row.last_day,
        row.rent_days,
        row.contracted_places,
        row.rent_rounded,
        row.currency,
        row.occupied_place_days,
        row.cost_per_occupied_place_day,
        row.contracted_place_days,
        row.empty_place_days,
        row.empty_cost,
        row.inmate_months,
        row.per_inmate_month_fee,
        row.per_inmate_month_cost,
    ]


def report_rows(report: CostReport) -> list[list[Any]]:
    return [
        *(_report_row(row, _("year")) for row in report.years),
        *(_report_row(row, _("quarter")) for row in report.quarters),
        _report_row(report.total, _("whole period")),
    ]
