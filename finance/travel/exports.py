"""The travel-support budget report as a table (program/core/exports.py writes CSV or XLSX)."""

from typing import Any

from django.utils.translation import gettext_lazy

from finance.travel.selectors import BudgetRow

REPORT_HEADERS = [
    gettext_lazy("Programme"),
    gettext_lazy("Year"),
    gettext_lazy("Currency"),
    gettext_lazy("Budget"),
    gettext_lazy("Granted"),
    gettext_lazy("Approved"),
    gettext_lazy("Paid"),
    gettext_lazy("Left"),
    gettext_lazy("Waiting for approval"),
]


def report_rows(rows: list[BudgetRow]) -> list[list[Any]]:
    return [
        [
            r.agreement,
            r.year,
            r.currency,
            r.budget,
            r.granted,
            r.approved,
            r.paid,
            r.left,
            r.waiting,
        ]
        for r in rows
    ]
