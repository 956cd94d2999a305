"""How the report's numbers read: in the page and the PDF, the spreadsheet and the charts."""

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from program.core import charts
from transfers.report.figures import NOT_RECORDED, ProgrammeReport, Row

UNITS: dict[str, Callable[[str], str]] = {
    "days": lambda currency: _("days"),
    "places": lambda currency: _("places"),
    "place_days": lambda currency: _("place-days"),
    "percent": lambda currency: "%",
    "money": lambda currency: currency,
}


def unit_text(row: Row, currency: str) -> str:
    unit = UNITS.get(row.kind)
    return str(unit(currency)) if unit else ""


def value_text(row: Row, currency: str) -> str:
    """The value as read in the active language; a dash when there is none (no case counted)."""
    value = row.value
    if value is None:
        return "\u2014"
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if row.kind == "money":
        number = formats.number_format(value, 2, use_l10n=True, force_grouping=True)
        return f"{currency} {number}"
    places = 1 if isinstance(value, Decimal) else 0
    text = formats.number_format(value, places, use_l10n=True, force_grouping=True)
    if row.kind == "percent":
        return f"{text} %"
    return text


HEADERS = ("figure", "measure", "value", "unit", "definition")


def export_headers() -> list[str]:
    return [_("Figure"), _("Measure"), _("Value"), pgettext("measurement", "Unit"), _("Definition")]


def export_rows(report: ProgrammeReport) -> Iterator[list[Any]]:
    """One line per number, typed (numbers stay numbers), with the figure's definition."""
    for result in report.results:
        for row in result.rows:
            yield [
                str(result.figure.title),
                row.label,
                row.value,
                unit_text(row, report.currency),
                str(result.figure.definition),
            ]
    for missing in NOT_RECORDED:
        yield [str(missing.title), _("Not recorded"), None, "", str(missing.note)]


def _counts(report: ProgrammeReport, keys: list[tuple[str, str]]) -> list[int]:
    return [int(report.result(figure).value(key) or 0) for figure, key in keys]


def report_charts(report: ProgrammeReport) -> dict[str, charts.BarChart]:
    """The charts beside the tables: each a picture of numbers the tables give too."""
    cases = [
        ("decided", "total", _("Decided")),
        ("carried_out", "total", _("Carried out")),
        ("refused", "total", _("Refused")),
        ("appeals_lodged", "total", _("Appeals")),
        ("gate_refusals", "total", _("Gate refusals")),
        ("returns", "total", _("Returns")),
        ("removals", "total", _("Removals")),
    ]
    days = [
        ("days_to_decision", _("Candidate to decision")),
        ("days_to_arrival", _("Decision to arrival")),
    ]
    occupancy = report.result("occupancy")
    described = _("The table beside the chart gives the same figures.")
    return {
        "cases": charts.bar_chart(
            chart_id="chart-cases",
            title=_("Cases in the period"),
            description=described,
            categories=[str(label) for _f, _k, label in cases],
            series=[charts.Series(_("Cases"), _counts(report, [(f, k) for f, k, _l in cases]))],
        ),
        "days": charts.bar_chart(
            chart_id="chart-days",
            title=_("Days taken"),
            description=described,
            categories=[str(label) for _f, label in days],
            series=[
                charts.Series(_("Median"), [report.result(f).value("median") for f, _l in days]),
                charts.Series(
                    _("90th percentile"), [report.result(f).value("p90") for f, _l in days]
                ),
            ],
        ),
        "occupancy": charts.bar_chart(
            chart_id="chart-occupancy",
            title=_("Occupied places"),
            description=described,
            categories=[_("Average"), _("Peak"), _("Cap"), _("Contracted")],
            series=[
                charts.Series(
                    _("Places"),
                    [
                        occupancy.value("average"),
                        occupancy.value("peak"),
                        occupancy.value("cap_high"),
                        occupancy.value("contracted"),
                    ],
                )
            ],
        ),
    }
