"""Geometry for server-drawn SVG charts: bar charts (templates/includes/bar_chart.html) and
line charts over days (templates/includes/line_chart.html).

No JavaScript and no inline styles, so a chart keeps the content security policy: this module
only computes rectangles and labels in SVG user units; the partial draws them with presentation
attributes. A chart is a picture of a table that the page shows as well: the table stays the
source of the figures (and of what a screen reader reads), the chart gets role="img" and a title.

Bar values are amounts or counts, never negative: a negative value is refused (ValueError), since
a bar growing downwards would need an axis these charts do not draw. None is "no figure" (no bar).
A line chart's values are counts by day (places occupied, a cap), drawn from zero.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.utils import formats

Number = Decimal | int | float

# Colours that stay apart for the common colour-vision deficiencies (Okabe–Ito), dark enough on
# white; a fifth series and more reuse them.
PALETTE = ("#0059b3", "#e69f00", "#6a3d9a", "#008139", "#bf4b00", "#5e5e5e")

PLOT_HEIGHT = 160  # the tallest bar
TOP = 12  # room above the tallest bar
BOTTOM = 24  # room for the category labels
LEFT = 8
BAR_WIDTH = 12
GROUP_GAP = 20  # between two categories
LABEL_CHAR_WIDTH = 7  # about one character of the 11-unit label font, so labels never overlap


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]


@dataclass(frozen=True)
class BarRect:
    x: int
    y: int
    width: int
    height: int
    colour: str
    label: str  # "2027, paid: EUR 15,000,000.00" (the rectangle's tooltip)


@dataclass(frozen=True)
class AxisLabel:
    x: int
    text: str


@dataclass(frozen=True)
class AxisTick:
    y: int
    text: str


@dataclass(frozen=True)
class LegendItem:
    name: str
    colour: str


@dataclass(frozen=True)
class BarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    baseline: int  # y of the axis line
    left: int
    right: int
    bars: list[BarRect]
    categories: list[AxisLabel]
    legend: list[LegendItem]
    # The value axis (a scale with round steps), when the chart was asked for one.
    ticks: list[AxisTick] = field(default_factory=list)


def nice_scale(largest: Decimal, *, steps: int = 4) -> tuple[Decimal, Decimal]:
    """A round axis for values up to `largest`: (step, top), the step 1, 2, 2.5 or 5 times a
    power of ten, and top the first multiple of the step at or above `largest`."""
    if largest <= 0:
        return Decimal(1), Decimal(steps)
    raw = largest / steps
    magnitude = Decimal(10) ** raw.adjusted()
    step = next(
        magnitude * factor
        for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if magnitude * factor >= raw
    )
    top = step * (largest / step).to_integral_value(rounding=ROUND_CEILING)
    return step, top


def bar_height(value: Number | None, top: Decimal, plot_height: int = PLOT_HEIGHT) -> int:
    """The height of one bar: proportional to `top` (the largest value) and rounded half up;
    a positive value is at least 1 unit tall so that it never looks like zero."""
    if value is None:
        return 0
    amount = Decimal(str(value))
    if amount < 0:
        raise ValueError(f"A bar chart shows no negative values: {value}")
    if amount == 0 or top <= 0:
        return 0
    height = int((amount / top * plot_height).to_integral_value(rounding=ROUND_HALF_UP))
    return max(1, min(plot_height, height))


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    value_text: Callable[[Number], str] = str,
    plot_height: int = PLOT_HEIGHT,
    axis_text: Callable[[Decimal], str] | None = None,
) -> BarChart:
    """Grouped bars: one group per category, one bar per series in each group. With
    `axis_text`, a value axis with round steps is drawn on the left (its labels written by
    `axis_text`) and the bars are scaled to its top."""
    for one in series:
        if len(one.values) != len(categories):
            raise ValueError(f"{one.name}: {len(one.values)} values for {len(categories)} labels")
    values = [Decimal(str(v)) for one in series for v in one.values if v is not None]
    if any(value < 0 for value in values):
        raise ValueError("A bar chart shows no negative values.")
    top = max(values, default=Decimal(0))
    left = LEFT
    tick_values: list[Decimal] = []
    if axis_text is not None:
        step, top = nice_scale(top)
        tick_values = [step * n for n in range(int(top / step) + 1)]
        longest_tick = max(len(axis_text(value)) for value in tick_values)
        left = LEFT + longest_tick * LABEL_CHAR_WIDTH + 6
    bars_width = max(len(series), 1) * BAR_WIDTH
    longest = max((len(category) for category in categories), default=0)
    group_width = max(bars_width + GROUP_GAP, longest * LABEL_CHAR_WIDTH + GROUP_GAP // 2)
    baseline = TOP + plot_height
    bars = []
    for index, category in enumerate(categories):
        # The bars sit in the middle of their group, above the category's label.
        group_x = left + index * group_width + (group_width - bars_width) // 2
        for position, one in enumerate(series):
            value = one.values[index]
            height = bar_height(value, top, plot_height)
            shown = value_text(value) if value is not None else "—"
            bars.append(
                BarRect(
                    x=group_x + position * BAR_WIDTH,
                    y=baseline - height,
                    width=BAR_WIDTH - 2,
                    height=height,
                    colour=PALETTE[position % len(PALETTE)],
                    label=f"{category}, {one.name}: {shown}",
                )
            )
    labels = [
        AxisLabel(
            x=left + index * group_width + group_width // 2,
            text=category,
        )
        for index, category in enumerate(categories)
    ]
    width = left + LEFT + max(len(categories), 1) * group_width
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=width,
        height=baseline + BOTTOM,
        baseline=baseline,
        left=left,
        right=width - LEFT,
        bars=bars,
        categories=labels,
        legend=[
            LegendItem(name=one.name, colour=PALETTE[position % len(PALETTE)])
            for position, one in enumerate(series)
        ],
        ticks=[
            AxisTick(y=baseline - bar_height(value, top, plot_height), text=axis_text(value))
            for value in tick_values
        ]
        if axis_text is not None
        else [],
    )


# --- Line charts over days -------------------------------------------------------------------

LINE_WIDTH = 720
LINE_HEIGHT = 300
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 52.0, 704.0, 16.0, 262.0
MAX_POINTS = 600  # about a point per pixel of the plot; longer windows keep each bucket's peak
X_TICKS = 6


@dataclass(frozen=True)
class Line:
    """One series of counts by day. `key` names it in the SVG (data-series), `name` in the
    legend. A measured series is thinned to MAX_POINTS (each bucket's peak); a `steps` series is
    a level that holds until it changes (a cap), drawn flat to the chart's last day."""

    key: str
    name: str
    points: Sequence[tuple[date, int]]
    colour: str
    stroke_width: str = "2"
    dash: str = ""  # stroke-dasharray; empty draws the line solid
    steps: bool = False
    layer: int = 0  # painted lowest layer first, so the measured figures can stay on top


@dataclass(frozen=True)
class DrawnLine:
    key: str
    name: str
    colour: str
    stroke_width: str
    dash: str
    points: str  # the polyline's points; empty when the series has none


@dataclass(frozen=True)
class Tick:
    position: str  # pre-formatted: a localised "12,5" would break the SVG
    label: str


@dataclass(frozen=True)
class Marker:
    """A day marked by a dashed vertical line (today), drawn when it falls inside the chart."""

    key: str
    name: str
    day: date


@dataclass(frozen=True)
class DrawnMarker:
    key: str
    name: str
    x: str


@dataclass(frozen=True)
class LineChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    left: str
    right: str
    top: str
    bottom: str
    lines: list[DrawnLine]  # in the legend's order
    painted: list[DrawnLine]  # the lines that have points, in the order they are painted
    marker: DrawnMarker | None
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    first: date
    last: date

    def line(self, key: str) -> DrawnLine:
        return next(line for line in self.lines if line.key == key)


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def whole_scale(highest: int, *, steps: int = 5) -> tuple[int, int]:
    """A round top for a count axis, 5 % above `highest`, and the whole-number step between
    its ticks (nice_scale's step, never a fraction)."""
    headroom = max(highest, 1) * 1.05
    step, _top = nice_scale(Decimal(max(highest, 1)) * Decimal("1.05"), steps=steps)
    whole = max(int(step), 1)
    return math.ceil(headroom / whole) * whole, whole


def thinned(points: Sequence[tuple[date, int]]) -> list[tuple[date, int]]:
    """At most MAX_POINTS points, each the highest value of its run of days."""
    size = max(1, math.ceil(len(points) / MAX_POINTS))
    return [
        (points[i][0], max(value for _day, value in points[i : i + size]))
        for i in range(0, len(points), size)
    ]


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    lines: Sequence[Line],
    marker: Marker | None = None,
) -> LineChart | None:
    """Counts by day as SVG coordinates: the x axis spans the first to the last day of any
    line, with X_TICKS dated ticks; the y axis runs from zero to a round top above the highest
    value. None when no line has a point (nothing to draw)."""
    days = sorted({day for line in lines for day, _value in line.points})
    if not days:
        return None
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    top, step = whole_scale(max(value for line in lines for _day, value in line.points))

    def x(day: date) -> float:
        return PLOT_LEFT + (day - first).days / span * (PLOT_RIGHT - PLOT_LEFT)

    def y(value: int) -> float:
        return PLOT_BOTTOM - value / top * (PLOT_BOTTOM - PLOT_TOP)

    def measured(points: Sequence[tuple[date, int]]) -> str:
        return " ".join(f"{_fmt(x(day))},{_fmt(y(value))}" for day, value in thinned(points))

    def level(values: Sequence[tuple[date, int]]) -> str:
        # Moves only where the value changes: a step up is two points, one above the other.
        points: list[tuple[float, int]] = []
        for day, value in values:
            if points and points[-1][1] != value:
                points.append((x(day), points[-1][1]))
            if not points or points[-1][1] != value:
                points.append((x(day), value))
        points.append((x(last), values[-1][1]))
        return " ".join(f"{_fmt(px)},{_fmt(y(value))}" for px, value in points)

    def drawn(line: Line) -> DrawnLine:
        points = sorted(line.points)
        path = "" if not points else level(points) if line.steps else measured(points)
        return DrawnLine(line.key, line.name, line.colour, line.stroke_width, line.dash, path)

    drawn_lines = [drawn(line) for line in lines]
    layers = {line.key: line.layer for line in lines}
    x_days = {first + timedelta(days=round(i * span / (X_TICKS - 1))) for i in range(X_TICKS)}
    return LineChart(
        chart_id=chart_id,
        title=title,
        description=description,
        width=LINE_WIDTH,
        height=LINE_HEIGHT,
        left=_fmt(PLOT_LEFT),
        right=_fmt(PLOT_RIGHT),
        top=_fmt(PLOT_TOP),
        bottom=_fmt(PLOT_BOTTOM),
        lines=drawn_lines,
        painted=sorted(
            (line for line in drawn_lines if line.points), key=lambda line: layers[line.key]
        ),
        marker=DrawnMarker(marker.key, marker.name, _fmt(x(marker.day)))
        if marker is not None and first <= marker.day <= last
        else None,
        y_ticks=[Tick(_fmt(y(value)), str(value)) for value in range(0, top + 1, step)],
        x_ticks=[
            Tick(_fmt(x(day)), formats.date_format(day, "SHORT_DATE_FORMAT"))
            for day in sorted(x_days)
        ],
        first=first,
        last=last,
    )
