"""The occupancy dashboard and the nominal roll as CSV.

The dashboard reads a GET form (facility, roll date, period); a bad value is named on the page
with a 400 and no figures, never a 500. The chart is SVG (program/core/charts.py, line_chart)
from the daily series and the forecast, with a month-by-month table beside it for screen
readers; no script, no CDN.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
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

from program.cells import occupancy, programmes, selectors
from program.cells.models import Facility
from program.cells.roll_export import logged_nominal_roll
from program.core import charts, exports
from program.core.policy import allows
from program.core.roles import user_roles

Day = date  # inside the forms below, `date` is the name of a field
OCCUPIED = "#0059b3"  # the measured line and the forecast that continues it

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


@dataclass(frozen=True)
class MonthRow:
    month: str
    average: Decimal
    highest: int
    cap: int
    contracted: int
    level: str


@dataclass(frozen=True)
class ChartMonths:
    """The chart as tables, month by month: what the screen reader reads."""

    history: list[MonthRow]
    forecast: list[MonthRow]


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


def chart_months(
    *,
    series: Sequence[occupancy.SeriesDay],
    forecast: Sequence[occupancy.ForecastDay],
    today: date,
) -> ChartMonths:
    return ChartMonths(
        history=_months(
            (row.day, row.occupied, row.cap, row.contracted) for row in series if row.day <= today
        ),
        forecast=_months((row.day, row.projected, row.cap, row.contracted) for row in forecast),
    )


def occupancy_chart(
    *,
    series: Sequence[occupancy.SeriesDay],
    forecast: Sequence[occupancy.ForecastDay],
    today: date,
) -> charts.LineChart | None:
    """Occupied places up to today, the forecast after it, the cap in force and the contracted
    places; None when there is nothing to draw."""
    caps = {row.day: (row.cap, row.contracted) for row in series}
    caps.update({row.day: (row.cap, row.contracted) for row in forecast})
    if not caps:
        return None
    days = sorted(caps)
    lines = [
        charts.Line(
            "occupied",
            _("Occupied"),
            [(row.day, row.occupied) for row in series if row.day <= today],
            colour=OCCUPIED,
            layer=1,
        ),
    ]
    if forecast:
        lines.append(
            charts.Line(
                "forecast",
                _("Forecast (placements and arriving reservations)"),
                [(row.day, row.projected) for row in forecast],
                colour=OCCUPIED,
                dash="4 3",
                layer=1,
            )
        )
    lines += [
        charts.Line(
            "cap",
            _("Cap in force (ramp-up)"),
            [(day, caps[day][0]) for day in days],
            colour="#bf4b00",
            steps=True,
        ),
        charts.Line(
            "contracted",
            _("Contracted places"),
            [(day, caps[day][1]) for day in days],
            colour="#5e5e5e",
            stroke_width="1.5",
            dash="6 4",
            steps=True,
            layer=-1,
        ),
    ]
    short = "SHORT_DATE_FORMAT"
    return charts.line_chart(
        chart_id="occupancy-chart",
        title=_("Occupied places from %(first)s to %(last)s")
        % {
            "first": formats.date_format(days[0], short),
            "last": formats.date_format(days[-1], short),
        },
        description=_(
            "Occupied places each day up to today, the forecast after today, the cap in force "
            "and the contracted places. The same figures are in the table below the chart."
        ),
        lines=lines,
        marker=charts.Marker("today", _("Today"), today),
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
    shown_ahead = ahead if end >= today else []
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
            "chart": occupancy_chart(series=series, forecast=shown_ahead, today=today),
            "chart_months": chart_months(series=series, forecast=shown_ahead, today=today),
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
    lines = logged_nominal_roll(request, facility=facility, on=day)

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
