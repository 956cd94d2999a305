"""The occupancy dashboard and the nominal roll as CSV.

The dashboard reads a GET form (facility, roll date, period); a bad value is named on the page
with a 400 and no figures, never a 500. The chart is SVG drawn here from the daily series and
the forecast, with a month-by-month table beside it for screen readers; no script, no CDN.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from program.audit.listing import log_listed
from program.cells import occupancy, programmes, selectors
from program.cells.models import Facility
from program.core import exports
from program.core.policy import allows
from program.core.roles import user_roles

Day = date  # inside the forms below, `date` is the name of a field

# --- Query forms ---------------------------------------------------------------------------------


_DATE_ERRORS = {"invalid": gettext_lazy("Enter the date as YYYY-MM-DD, for example 2027-04-01.")}


class _RollDateMixin:
    cleaned_data: dict[str, Any]
    today: date

    def _clean_roll_date(self) -> date:
        day: date = self.cleaned_data.get("date") or self.today
        if day > self.today:
            raise forms.ValidationError(
                _("The roll is for today or a past date; the forecast shows what lies ahead.")
            )
        return day


class OccupancyQueryForm(_RollDateMixin, forms.Form):
    """The dashboard's GET parameters: facility, date (of the roll), from and to (the period)."""

    facility = forms.TypedChoiceField(
        label=gettext_lazy("Facility"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There is no facility %(value)s; choose one from the list."
            )
        },
    )
    date = forms.DateField(
        label=gettext_lazy("Roll on"), required=False, error_messages=_DATE_ERRORS
    )
    start = forms.DateField(label=gettext_lazy("From"), required=False, error_messages=_DATE_ERRORS)
    end = forms.DateField(label=gettext_lazy("To"), required=False, error_messages=_DATE_ERRORS)

    def __init__(
        self,
        data: Any,
        *,
        facilities: Sequence[Facility],
        today: Day,
        default: Facility | None = None,
    ) -> None:
        super().__init__(data)
        self.default = default
        # The query string says from= and to=, which are Python keywords.
        self.fields["from"] = self.fields.pop("start")
        self.fields["to"] = self.fields.pop("end")
        self.fields["facility"].choices = [(f.pk, f.name) for f in facilities]  # type: ignore[attr-defined]
        self.facilities = {f.pk: f for f in facilities}
        self.today = today

    def clean_date(self) -> Day:
        return self._clean_roll_date()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        pk = data.get("facility")
        # Without a choice: the first facility of the user's programme, else the first of all.
        data["facility"] = (
            self.facilities.get(pk)
            if pk is not None
            else self.default or next(iter(self.facilities.values()))
        )
        if "from" in self.errors or "to" in self.errors:
            return data
        start, end = occupancy.period_or_default(data.get("from"), data.get("to"), today=self.today)
        problem = occupancy.window_problem(start, end)
        if problem is not None:
            # A reversed window is the start's fault; a too long one the end's, if one was given.
            self.add_error("to" if data.get("to") and start <= end else "from", problem)
        data["from"], data["to"] = start, end
        return data


class RollQueryForm(_RollDateMixin, forms.Form):
    """The roll CSV's GET parameters: date and facility (its id)."""

    date = forms.DateField(
        label=gettext_lazy("Roll on"), required=False, error_messages=_DATE_ERRORS
    )
    facility = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": gettext_lazy("The facility is given by its number (id).")},
    )

    def __init__(self, data: Any, *, today: Day) -> None:
        super().__init__(data)
        self.today = today

    def clean_date(self) -> Day:
        return self._clean_roll_date()


def _error_list(form: forms.Form) -> list[dict[str, str]]:
    """The form's errors for the error summary, each linking to its field."""
    return [
        {"field": name, "label": str(form.fields[name].label or name), "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


# --- The chart -----------------------------------------------------------------------------------

CHART_WIDTH = 720
CHART_HEIGHT = 300
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 52.0, 704.0, 16.0, 262.0
MAX_POINTS = 600  # about a point per pixel of the plot; longer windows keep each bucket's peak


@dataclass(frozen=True)
class Tick:
    position: str  # pre-formatted: a localised "12,5" would break the SVG
    label: str


@dataclass(frozen=True)
class MonthRow:
    month: str
    average: Decimal
    highest: int
    cap: int
    contracted: int
    level: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: str
    right: str
    top: str
    bottom: str
    occupied: str
    forecast: str
    cap: str
    contracted: str
    today_x: str | None
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    first: date
    last: date
    history_months: list[MonthRow]
    forecast_months: list[MonthRow]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _nice_top(highest: int) -> tuple[int, int]:
    """A round top for the y axis and the step between its five or so ticks."""
    raw = max(highest, 1) * 1.05 / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(int(step), 1)
    return math.ceil(max(highest, 1) * 1.05 / step) * step, step


def _buckets(points: Sequence[tuple[date, int]]) -> list[tuple[date, int]]:
    """At most MAX_POINTS points, each the highest value of its run of days."""
    size = max(1, math.ceil(len(points) / MAX_POINTS))
    return [
        (points[i][0], max(value for _day, value in points[i : i + size]))
        for i in range(0, len(points), size)
    ]


def _months(
    rows: Iterable[tuple[date, int, int, int]],
) -> list[MonthRow]:
    """(day, value, cap, contracted) rows summarised by month: average and highest value, the
    cap at the month's end and the highest level reached."""
    by_month: dict[str, list[tuple[date, int, int, int]]] = {}
    for row in rows:
        by_month.setdefault(row[0].strftime("%Y-%m"), []).append(row)
    result = []
    for month, days in by_month.items():
        values = [value for _day, value, _cap, _contracted in days]
        levels = [occupancy.capacity_level(held=value, cap=cap) for _d, value, cap, _c in days]
        result.append(
            MonthRow(
                month=month,
                average=(Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")),
                highest=max(values),
                cap=days[-1][2],
                contracted=days[-1][3],
                level=str(occupancy.Level(max(levels, key=occupancy.level_rank)).label),
            )
        )
    return result


def occupancy_chart(
    *,
    series: Sequence[occupancy.SeriesDay],
    forecast: Sequence[occupancy.ForecastDay],
    today: date,
) -> Chart | None:
    """Occupied places up to today, the forecast after it, the cap in force and the contracted
    places, as SVG coordinates; None when there is nothing to draw."""
    history = [(row.day, row.occupied) for row in series if row.day <= today]
    ahead = [(row.day, row.projected) for row in forecast]
    caps = {row.day: (row.cap, row.contracted) for row in series}
    caps.update({row.day: (row.cap, row.contracted) for row in forecast})
    if not caps:
        return None
    days = sorted(caps)
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    highest = max(
        [value for _day, value in history + ahead]
        + [cap for cap, _contracted in caps.values()]
        + [contracted for _cap, contracted in caps.values()]
    )
    top, step = _nice_top(highest)

    def x(day: date) -> float:
        return PLOT_LEFT + (day - first).days / span * (PLOT_RIGHT - PLOT_LEFT)

    def y(value: int) -> float:
        return PLOT_BOTTOM - value / top * (PLOT_BOTTOM - PLOT_TOP)

    def line(points: Sequence[tuple[date, int]]) -> str:
        return " ".join(f"{_fmt(x(day))},{_fmt(y(value))}" for day, value in _buckets(points))

    def steps(values: list[tuple[date, int]]) -> str:
        # A level line that only moves where the value changes (ramp-up steps).
        points: list[tuple[float, int]] = []
        for day, value in values:
            if points and points[-1][1] != value:
                points.append((x(day), points[-1][1]))
            if not points or points[-1][1] != value:
                points.append((x(day), value))
        points.append((x(last), values[-1][1]))
        return " ".join(f"{_fmt(px)},{_fmt(y(value))}" for px, value in points)

    tick_count = 6
    x_ticks = [
        Tick(_fmt(x(day)), formats.date_format(day, "SHORT_DATE_FORMAT"))
        for day in sorted(
            {first + timedelta(days=round(i * span / (tick_count - 1))) for i in range(tick_count)}
        )
    ]
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        left=_fmt(PLOT_LEFT),
        right=_fmt(PLOT_RIGHT),
        top=_fmt(PLOT_TOP),
        bottom=_fmt(PLOT_BOTTOM),
        occupied=line(history) if history else "",
        forecast=line(ahead) if ahead else "",
        cap=steps([(day, caps[day][0]) for day in days]),
        contracted=steps([(day, caps[day][1]) for day in days]),
        today_x=_fmt(x(today)) if first <= today <= last else None,
        y_ticks=[Tick(_fmt(y(value)), str(value)) for value in range(0, top + 1, step)],
        x_ticks=x_ticks,
        first=first,
        last=last,
        history_months=_months(
            (row.day, row.occupied, row.cap, row.contracted) for row in series if row.day <= today
        ),
        forecast_months=_months(
            (row.day, row.projected, row.cap, row.contracted) for row in forecast
        ),
    )


# --- Views ---------------------------------------------------------------------------------------


def occupancy_dashboard(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    today = timezone.localdate()
    facilities = list(occupancy.facility_choices())
    context: dict[str, Any] = {"today": today, "facilities": facilities}
    if not facilities:
        return render(request, "cells/occupancy/dashboard.html", context)
    mine = programmes.user_programme(request.user)
    default = next((f for f in facilities if mine is not None and f.agreement_id == mine.pk), None)
    form = OccupancyQueryForm(request.GET, facilities=facilities, today=today, default=default)
    context["form"] = form
    if not form.is_valid():
        context["errors"] = _error_list(form)
        context["values"] = {name: request.GET.get(name, "") for name in form.fields}
        return render(request, "cells/occupancy/dashboard.html", context, status=400)

    facility: Facility = form.cleaned_data["facility"]
    agreement = facility.agreement
    day: date = form.cleaned_data["date"]
    start: date = form.cleaned_data["from"]
    end: date = form.cleaned_data["to"]
    roll = occupancy.roll_on(facility=facility, on=day)
    cap_on_day = selectors.ramp_up_cap_on(agreement=agreement, on=day)
    series = occupancy.occupancy_series(agreement=agreement, start=start, end=end)
    ahead = occupancy.forecast(agreement=agreement, today=today)
    held_today = ahead[0]
    # The forecast's own alert only when it is worse than today's, which is already shown.
    worst_ahead = occupancy.worst_day(ahead[1:])
    if worst_ahead and occupancy.level_rank(worst_ahead.level) <= occupancy.level_rank(
        held_today.level
    ):
        worst_ahead = None
    context.update(
        {
            "values": {
                "facility": str(facility.pk),  # query-string values: never localized
                "date": day.isoformat(),
                "from": start.isoformat(),
                "to": end.isoformat(),
            },
            "facility": facility,
            "agreement": agreement,
            "day": day,
            "roll": roll,
            "cap_on_day": cap_on_day,
            "percent_of_cap": occupancy.percent(roll.total.occupied, cap_on_day),
            "percent_of_contracted": occupancy.percent(
                roll.total.occupied, agreement.contracted_places
            ),
            "held_today": held_today,
            "worst_day": worst_ahead,
            "forecast_last": ahead[-1].day,
            "chart": occupancy_chart(
                series=series, forecast=ahead if end >= today else [], today=today
            ),
            "utilisation": occupancy.utilisation(agreement=agreement, start=start, end=end),
            "show_unit_links": allows("cells:unit-detail", roles),
            "show_roll_csv": allows("cells:roll-csv", roles),
            "several_facilities": len(facilities) > 1,
        }
    )
    return render(request, "cells/occupancy/dashboard.html", context)


@never_cache
@require_GET
def roll_csv(request: HttpRequest) -> HttpResponse:
    """The nominal roll of a facility on a date. The file name carries the facility and the date,
    never a person's data; the response is not cached anywhere on the way."""
    today = timezone.localdate()
    form = RollQueryForm(request.GET, today=today)
    if not form.is_valid():
        return _bad_request(form.errors.get_json_data())
    pk = form.cleaned_data["facility"]
    facilities = Facility.objects.order_by("name", "pk")
    facility = facilities.filter(pk=pk).first() if pk is not None else facilities.first()
    if facility is None:
        message = (
            _("There is no facility %(id)s.") % {"id": pk}
            if pk is not None
            else _("No facility has been recorded yet.")
        )
        return _bad_request({"facility": [{"message": message}]})
    day: date = form.cleaned_data["date"]
    lines = occupancy.nominal_roll(facility=facility, on=day)
    log_listed(
        request,
        lines,
        ("placement.inmate_id",),
        criterion={"facility": facility.pk, "date": day.isoformat()},
        action="export",
    )

    headers = [
        _("Unit"),
        _("Cell"),
        _("Place"),
        _("Case number"),
        _("Name"),
        _("Since"),
        _("Expected release"),
        _("Status"),
    ]
    rows = []
    for line in lines:
        person = line.placement.inmate if line.placement is not None else None
        rows.append(
            [
                line.place.cell.unit.code,
                line.place.cell.number,
                line.place.number,
                person.case_number if person else "",
                person.name if person else "",
                line.since,
                line.expected_release,
                line.status_label,
            ]
        )
    return exports.table_response(
        fmt="csv",
        stem=f"nominal-roll-{slugify(facility.name) or facility.pk}-{day.isoformat()}",
        headers=headers,
        rows=rows,
    )


def _bad_request(errors: dict[str, list[dict[str, str]]]) -> HttpResponse:
    text = "\n".join(
        f"{name}: {error['message']}" for name, items in errors.items() for error in items
    )
    return HttpResponseBadRequest(text + "\n", content_type="text/plain; charset=utf-8")
