"""The report's chart geometry (journal/report/charts.py)."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
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
        '<tr><th scope="row">06–09</th><td class="ll-heat-0"><span class="visually-hidden">0</span></td>'
        '<td class="ll-heat-2">3</td>'
    )
    assert html.endswith('<td class="ll-heat-total">16</td></tr>')
    # An hour with no lean is empty to the eye and "0" to a screen reader.
    assert html.count('<span class="visually-hidden">0</span>') == 4


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


# Event starts on the weekly chart.

MONDAYS = [dt.date(2025, 3, 3), dt.date(2025, 3, 10), dt.date(2025, 3, 17), dt.date(2025, 3, 24)]


def test_it_marks_each_event_at_the_week_it_began_numbered_in_start_order() -> None:
    marks = charts.event_marks(
        MONDAYS, [(7, "Joint supplement", dt.date(2025, 3, 23)), (5, "Meloxicam", dt.date(2025, 3, 12))]
    )
    assert [(mark.number, mark.event_id, mark.week_start, mark.week_index) for mark in marks] == [
        (1, 5, dt.date(2025, 3, 10), 1),
        (2, 7, dt.date(2025, 3, 17), 2),
    ]


def test_it_leaves_out_events_that_began_outside_the_charts_weeks() -> None:
    events = [
        (1, "Before", dt.date(2025, 3, 2)),
        (2, "First day", dt.date(2025, 3, 3)),
        (3, "After", dt.date(2025, 3, 31)),
    ]
    assert [mark.title for mark in charts.event_marks(MONDAYS, events)] == ["First day"]


def test_it_marks_nothing_on_a_chart_without_weeks() -> None:
    assert charts.event_marks([], [(1, "Meloxicam", dt.date(2025, 3, 12))]) == []


def test_it_draws_a_line_at_the_centre_of_the_weeks_column() -> None:
    marks = charts.event_marks(
        MONDAYS,
        [
            (1, "Meloxicam", dt.date(2025, 3, 3)),
            (2, "Vet visit", dt.date(2025, 3, 9)),
            (3, "Diet", dt.date(2025, 3, 30)),
        ],
    )
    assert charts.mark_lines(marks, len(MONDAYS)) == [
        charts.MarkLine("12.5%", "1,2", "1. Meloxicam; 2. Vet visit"),
        charts.MarkLine("87.5%", "3", "3. Diet"),
    ]


def test_it_names_the_start_in_the_weekly_tables_row_escaping_the_title() -> None:
    marks = charts.event_marks(MONDAYS, [(9, "<b>Meloxicam</b>", dt.date(2025, 3, 12))])
    rows = charts.weekly_table_rows([(day, 2, None) for day in MONDAYS[:2]], marks).split("\n")
    assert "began" not in rows[0]
    assert (
        '<span class="d-block small ll-week-start" data-event="9">'
        "1. &lt;b&gt;Meloxicam&lt;/b&gt; began Wed 12 Mar 2025</span>" in rows[1]
    )


def mondays(count: int) -> list[dt.date]:
    return [dt.date(2025, 1, 6) + dt.timedelta(weeks=week) for week in range(count)]


def test_it_names_every_week_of_a_short_period_under_its_column() -> None:
    ticks = charts.week_ticks(mondays(5))
    assert [tick.x for tick in ticks] == ["10%", "30%", "50%", "70%", "90%"]
    assert [tick.week_start for tick in ticks] == mondays(5)


def test_it_names_a_few_evenly_spaced_weeks_of_a_long_period() -> None:
    weeks = mondays(262)
    ticks = charts.week_ticks(weeks)
    assert 2 <= len(ticks) <= charts.MOST_WEEK_TICKS
    assert ticks[0].week_start == weeks[0]
    gaps = {(later.week_start - earlier.week_start).days for earlier, later in pairwise(ticks)}
    assert len(gaps) == 1


def test_it_centres_a_lone_week_and_names_none_of_no_weeks() -> None:
    assert [tick.x for tick in charts.week_ticks(mondays(1))] == ["50%"]
    assert charts.week_ticks([]) == []


def test_it_names_a_vet_visit_in_the_weekly_table_as_on_its_day_not_begun() -> None:
    marks = charts.event_marks(
        MONDAYS,
        [
            (3, "Check-up", dt.date(2025, 3, 12), "vet_visit"),
            (4, "Meloxicam", dt.date(2025, 3, 13), "medication"),
        ],
    )
    rows = charts.weekly_table_rows([(day, 2, None) for day in MONDAYS[:2]], marks)

    assert "1. Check-up on Wed 12 Mar 2025</span>" in rows
    assert "2. Meloxicam began Thu 13 Mar 2025</span>" in rows
