"""The line-chart geometry behind server-drawn SVG charts of counts by day (core/charts.py)."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from program.core.charts import (
    MAX_POINTS,
    PLOT_BOTTOM,
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_TOP,
    Line,
    Marker,
    line_chart,
    thinned,
    whole_scale,
)

FIRST = date(2027, 1, 1)


def _days(*values: int, start: date = FIRST) -> list[tuple[date, int]]:
    return [(start + timedelta(days=n), value) for n, value in enumerate(values)]


def _chart(*lines: Line, marker: Marker | None = None):
    return line_chart(chart_id="c", title="T", description="D", lines=list(lines), marker=marker)


def _xy(points: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in points.split())]


def test_no_points_at_all_is_no_chart() -> None:
    assert _chart() is None
    assert _chart(Line("a", "A", [], colour="#000")) is None


def test_the_days_span_the_plot_and_values_rise_from_the_bottom() -> None:
    chart = _chart(Line("a", "A", _days(0, 50, 100), colour="#000"))
    assert chart is not None
    (x0, y0), (x1, y1), (x2, y2) = _xy(chart.line("a").points)
    assert (x0, x2) == (PLOT_LEFT, PLOT_RIGHT)
    assert x1 == pytest.approx((PLOT_LEFT + PLOT_RIGHT) / 2, abs=0.1)
    assert y0 == PLOT_BOTTOM
    assert PLOT_TOP < y2 < y1 < y0  # the top of the scale is above the highest value
    assert (chart.first, chart.last) == (FIRST, FIRST + timedelta(days=2))


def test_the_value_axis_has_whole_round_steps_from_zero_past_the_highest_value() -> None:
    chart = _chart(Line("a", "A", _days(3, 287), colour="#000"))
    assert chart is not None
    labels = [int(tick.label) for tick in chart.y_ticks]
    assert labels == [0, 100, 200, 300, 400]  # 5 % above 287 is 301.35: the next step up
    assert float(chart.y_ticks[0].position) == PLOT_BOTTOM
    assert float(chart.y_ticks[-1].position) == PLOT_TOP
    assert whole_scale(0) == (2, 1)  # an empty scale still has room for a one
    assert whole_scale(9) == (10, 2)  # 2.5 is no step for counts


@override_settings(LANGUAGE_CODE="en", USE_I18N=False)
def test_six_dated_ticks_run_from_the_first_to_the_last_day() -> None:
    chart = _chart(Line("a", "A", _days(*range(101)), colour="#000"))
    assert chart is not None
    assert [tick.label for tick in chart.x_ticks] == [
        "2027-01-01",
        "2027-01-21",
        "2027-02-10",
        "2027-03-02",
        "2027-03-22",
        "2027-04-11",
    ]
    assert float(chart.x_ticks[0].position) == PLOT_LEFT
    assert float(chart.x_ticks[-1].position) == PLOT_RIGHT
    one_day = _chart(Line("a", "A", _days(4), colour="#000"))
    # A single day is drawn over a day's width, so the axis still runs left to right.
    assert one_day is not None
    assert [tick.label for tick in one_day.x_ticks] == ["2027-01-01", "2027-01-02"]


def test_a_long_series_keeps_the_peak_of_each_bucket() -> None:
    points = _days(*[n % 7 for n in range(3000)])
    kept = thinned(points)
    assert len(kept) == MAX_POINTS  # 3000 days in buckets of five
    assert kept[:3] == [(FIRST, 4), (FIRST + timedelta(days=5), 6), (FIRST + timedelta(days=10), 6)]
    assert thinned(points[:MAX_POINTS]) == points[:MAX_POINTS]  # short enough: every point


def test_a_level_line_moves_only_where_it_changes_and_runs_to_the_last_day() -> None:
    chart = _chart(
        Line("cap", "Cap", _days(10, 10, 20, 20), colour="#000", steps=True),
        Line("a", "A", _days(1, 2, 3, 4, 5), colour="#000"),
    )
    assert chart is not None
    (_x0, y0), (x1, y1), (x2, y2), (x3, y3) = _xy(chart.line("cap").points)
    assert y0 == y1
    assert x1 == x2
    assert y2 == y3
    assert x3 == PLOT_RIGHT  # to the last day of the chart, which the other line reaches


def test_legend_order_paint_order_and_the_marker() -> None:
    chart = _chart(
        Line("measured", "Measured", _days(1, 2), colour="#000", layer=1),
        Line("empty", "Empty", [], colour="#000", layer=1),
        Line("cap", "Cap", _days(5, 5), colour="#111", steps=True),
        marker=Marker("today", "Today", FIRST + timedelta(days=1)),
    )
    assert chart is not None
    assert [line.key for line in chart.lines] == ["measured", "empty", "cap"]
    assert [line.key for line in chart.painted] == ["cap", "measured"]  # nothing to paint: empty
    assert chart.marker is not None
    assert float(chart.marker.x) == PLOT_RIGHT
    outside = _chart(
        Line("a", "A", _days(1, 2), colour="#000"),
        marker=Marker("today", "Today", date(2030, 1, 1)),
    )
    assert outside is not None
    assert outside.marker is None


def test_the_partial_draws_the_lines_the_ticks_and_the_legend() -> None:
    chart = _chart(
        Line("measured", "Measured", _days(1, 2), colour="#0059b3", dash="4 3"),
        Line("none", "Nothing yet", [], colour="#000"),
        marker=Marker("today", "Today", FIRST),
    )
    html = render_to_string("includes/line_chart.html", {"chart": chart})
    assert 'data-testid="c"' in html
    assert 'aria-labelledby="c-title c-desc"' in html
    assert '<title id="c-title">T</title>' in html
    assert 'stroke-dasharray="4 3" data-series="measured"' in html
    assert 'data-series="none"' not in html
    assert "Nothing yet" in html  # a line with no points is still named in the legend
    assert 'data-series="today"' in html
