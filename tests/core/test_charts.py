"""The bar-chart geometry behind the server-drawn SVG charts (program/core/charts.py)."""

from decimal import Decimal

import pytest

from program.core import charts
from program.core.charts import BAR_WIDTH, PLOT_HEIGHT, TOP, Series, bar_chart, bar_height


def _chart(*series: Series, categories=("2026", "2027")) -> charts.BarChart:
    return bar_chart(
        chart_id="c", title="T", description="D", categories=list(categories), series=list(series)
    )


def test_the_largest_value_fills_the_plot_and_the_others_scale_with_it() -> None:
    chart = _chart(Series("Planned", [Decimal("20"), Decimal("5")]))
    tallest, quarter = chart.bars
    assert tallest.height == PLOT_HEIGHT
    assert quarter.height == PLOT_HEIGHT // 4
    # Bars stand on the baseline: y + height is the axis line for every bar.
    assert chart.baseline == TOP + PLOT_HEIGHT
    assert {bar.y + bar.height for bar in chart.bars} == {chart.baseline}


def test_heights_round_half_up_and_a_tiny_value_still_shows() -> None:
    assert bar_height(Decimal("1"), Decimal("320")) == 1  # 0.5 rounds up
    assert bar_height(Decimal("1"), Decimal("1000000")) == 1  # 0.00016: at least one unit
    assert bar_height(Decimal("3"), Decimal("960")) == 1  # 0.5 → 1
    assert bar_height(Decimal("0.01"), Decimal("0.02")) == PLOT_HEIGHT // 2


def test_zero_values_and_an_all_zero_chart_draw_no_bar_and_do_not_divide_by_zero() -> None:
    chart = _chart(Series("Paid", [0, 0]))
    assert [bar.height for bar in chart.bars] == [0, 0]
    assert bar_height(0, Decimal(0)) == 0
    assert bar_height(None, Decimal(10)) == 0


def test_a_missing_figure_has_no_bar_and_says_so_in_its_label() -> None:
    chart = _chart(Series("Cost", [None, Decimal("12.5")]), categories=("Q1", "Q2"))
    assert chart.bars[0].height == 0
    assert chart.bars[0].label == "Q1, Cost: —"
    assert chart.bars[1].height == PLOT_HEIGHT


def test_negative_values_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        _chart(Series("Paid", [Decimal("-1"), Decimal("2")]))
    with pytest.raises(ValueError, match="negative"):
        bar_height(-1, Decimal(10))


def test_each_series_needs_one_value_per_category() -> None:
    with pytest.raises(ValueError, match="1 values for 2 labels"):
        _chart(Series("Paid", [1]))


def test_groups_sit_side_by_side_with_one_colour_per_series() -> None:
    chart = bar_chart(
        chart_id="c",
        title="T",
        description="D",
        categories=["2026", "2027", "2028"],
        series=[Series("Planned", [3, 2, 1]), Series("Paid", [1, 1, 0])],
        value_text=lambda value: f"EUR {value}",
    )
    assert len(chart.bars) == 6
    first_planned, first_paid = chart.bars[0], chart.bars[1]
    assert first_paid.x - first_planned.x == BAR_WIDTH
    assert first_planned.colour != first_paid.colour
    assert [item.name for item in chart.legend] == ["Planned", "Paid"]
    assert chart.bars[1].label == "2026, Paid: EUR 1"
    xs = [label.x for label in chart.categories]
    assert xs == sorted(xs)
    assert len(set(xs)) == 3
    # Everything fits inside the drawing.
    assert all(bar.x >= 0 and bar.x + bar.width <= chart.width for bar in chart.bars)
    assert chart.height > chart.baseline


def test_long_labels_widen_the_groups_so_that_labels_do_not_overlap() -> None:
    chart = _chart(Series("Cost", [1, 2, 3]), categories=("2026 Q2", "2026 Q3", "2026 Q4"))
    xs = [label.x for label in chart.categories]
    spacing = xs[1] - xs[0]
    assert spacing >= len("2026 Q2") * charts.LABEL_CHAR_WIDTH
    # Each bar stands over its own label.
    for bar, label in zip(chart.bars, chart.categories, strict=True):
        assert bar.x <= label.x <= bar.x + BAR_WIDTH
