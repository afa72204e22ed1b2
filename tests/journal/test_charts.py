"""The report's chart geometry (journal/charts.py)."""

from __future__ import annotations

import pytest

from journal.charts import nice_top, weekly_chart


@pytest.mark.parametrize(
    ("largest", "top"), [(0, 2), (1, 2), (3, 4), (5, 6), (7, 10), (11, 20), (50, 60), (61, 100)]
)
def test_it_tops_the_axis_at_an_even_round_number(largest: int, top: int) -> None:
    assert nice_top(largest) == top


def test_it_draws_each_week_as_a_share_of_the_axis() -> None:
    chart = weekly_chart([1, 4, 0], [2.0, 4.0, None])
    assert [(column.y, column.height) for column in chart.columns] == [(75, 25), (0, 100), (100, 0)]


def test_it_breaks_the_intensity_line_at_a_week_without_leans() -> None:
    chart = weekly_chart([1, 0, 2], [5.0, None, 2.5])
    assert chart.lines == ["1.5,0 8.5,0", "21.5,50 28.5,50"]


def test_it_gives_an_empty_period_an_axis_and_no_line() -> None:
    chart = weekly_chart([], [])
    assert (chart.columns, chart.lines, chart.top) == ([], [], 2)
