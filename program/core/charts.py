"""Bar-chart geometry for server-drawn SVG charts (templates/includes/bar_chart.html).

No JavaScript and no inline styles, so a chart keeps the content security policy: this module
only computes rectangles and labels in SVG user units; the partial draws them with presentation
attributes. A chart is a picture of a table that the page shows as well: the table stays the
source of the figures (and of what a screen reader reads), the chart gets role="img" and a title.

Values are amounts or counts, never negative: a negative value is refused (ValueError), since a
bar growing downwards would need an axis these charts do not draw. None is "no figure" (no bar).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

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
