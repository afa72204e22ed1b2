"""The report's chart geometry (journal/report/charts.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from journal.report import charts
from journal.report.charts import nice_top, weekly_chart


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


def test_it_writes_the_heat_rows_with_their_shades_and_totals() -> None:
    band = SimpleNamespace(
        label="06–09", cells=[(0, 0), (3, 2), (12, 4), (0, 0), (1, 1), (0, 0), (0, 0)], total=16
    )
    html = charts.heat_rows([band])
    assert html.startswith(
        '<tr><th scope="row">06–09</th><td class="ll-heat-0">0</td><td class="ll-heat-2">3</td>'
    )
    assert html.endswith('<td class="ll-heat-total">16</td></tr>')


def test_it_writes_a_breakdowns_bars_and_table_escaping_each_label() -> None:
    rows = [
        SimpleNamespace(label="Home", count=9, pct=75),
        SimpleNamespace(label="<b>Car</b>", count=3, pct=25),
    ]
    bars = charts.bar_items(rows)
    table = charts.count_rows(rows, unnoted=2)
    assert '<span class="ll-bar-fill ll-w-75"></span>' in bars
    assert "&lt;b&gt;Car&lt;/b&gt;" in bars and "<b>" not in bars
    assert '<td class="text-end">9</td><td class="text-end">75%</td>' in table
    assert table.endswith('Not noted</th><td class="text-end">2</td><td class="text-end"></td></tr>')
    assert "Not noted" not in charts.count_rows(rows, unnoted=0)
