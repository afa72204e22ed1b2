"""Chart geometry for the report, drawn on the server as inline SVG and CSS bars.

Pure functions of the report's numbers: the same numbers fill the tables beside the charts.
Plots use a 0-100 box (preserveAspectRatio="none") so they stretch to any width while the
text around them stays HTML, legible on a phone and crisp on paper.

What grows with the period (a column and a table row per week: 262 of each over five years) is
formatted here, in one pass of plain Python, rather than by template tags and localizing filters
per cell, which cost several times the report's own arithmetic.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Protocol

from django.utils.dates import MONTHS_3, MONTHS_AP, WEEKDAYS_ABBR
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from journal.report.period import decimal_text
from journal.vocabulary import ONE_DAY_EVENT_KINDS, Intensity

INTENSITY_MAX = max(Intensity.values)


class HeatBandLike(Protocol):
    label: str
    cells: list[tuple[int, int]]
    total: int


class CountRowLike(Protocol):
    label: str
    count: int
    pct: int


PLOT_HEIGHT = 100
TENTH = Decimal("0.1")


# Spanish writes month abbreviations in lower case ("7 dic 2026"), as its |short_date does.
LOWER_CASE_MONTHS = frozenset({"es"})
# German ends a shortened month with a full stop and writes the short ones whole ("7. Dez.",
# "7. Mai"): Django's "N" format, as the German |short_date writes them.
MONTHS_WITH_A_STOP = frozenset({"de"})


@dataclass(frozen=True)
class DateWords:
    """One language's weekday and month abbreviations and the order it writes a date in."""

    weekdays: dict[int, str]
    months: dict[int, str]
    pattern: str


def _names() -> DateWords:
    """Weekday and month abbreviations as the date filter writes them ("Mon", "Jan"), in the language."""
    return _names_in(get_language())


@cache
def _names_in(language: str | None) -> DateWords:
    """The words of one language: kept per language, since they are translated."""
    base = (language or "").split("-")[0]
    lower = base in LOWER_CASE_MONTHS
    months = MONTHS_AP if base in MONTHS_WITH_A_STOP else MONTHS_3
    return DateWords(
        {day: str(name) for day, name in WEEKDAYS_ABBR.items()},
        {month: str(name) if lower else str(name).title() for month, name in months.items()},
        # Translators: a date in the report's tables ("Mon 3 Mar 2025"); German "Mo, 3. März 2025".
        pgettext("weekday, day, month and year", "%(weekday)s %(day)s %(month)s %(year)s"),
    )


def short_date(day: dt.date) -> str:
    """The date filter's "D j M Y" ("Mon 3 Mar 2025") in the language's order, with no formatter per date."""
    words = _names()
    return words.pattern % {
        "weekday": words.weekdays[day.weekday()],
        "day": day.day,
        "month": words.months[day.month],
        "year": day.year,
    }


def one_decimal(value: float) -> str:
    """The floatformat:1 filter's text ("2.5", "3.0"; "2,5" in German): half up, as floatformat rounds."""
    return decimal_text(Decimal(str(value)).quantize(TENTH, rounding=ROUND_HALF_UP))


def nice_top(value: int) -> int:
    """The axis top for a count: the next of 2, 4, 6, 10, 20, 40, 60, 100... (even: a whole middle tick)."""
    if value <= 2:
        return 2
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 4, 6, 10):
        top = step * magnitude
        if top >= value and top % 2 == 0:
            return top
    return 10 * magnitude


@dataclass(frozen=True)
class Column:
    x: float
    width: float
    y: float
    height: float
    count: int
    mean_y: float | None

    @property
    def svg(self) -> tuple[str, str, str, str]:
        """x, y, width and height as SVG reads them: formatted here, not localized per number."""
        return f"{self.x:g}", f"{self.y:g}", f"{self.width:g}", f"{self.height:g}"


@dataclass(frozen=True)
class WeeklyChart:
    columns: list[Column]
    lines: list[str]
    top: int
    middle: int
    width: int
    intensity_top: int = INTENSITY_MAX
    intensity_middle: float = INTENSITY_MAX / 2

    @property
    def columns_svg(self) -> SafeString:
        """The columns as SVG rects; numbers only, so nothing to escape."""
        return mark_safe(
            "".join(
                f'<rect class="ll-column" x="{x}" y="{y}" width="{width}" height="{height}"></rect>'
                for x, y, width, height in (column.svg for column in self.columns)
            )
        )


def weekly_table_rows(
    weeks: Sequence[tuple[dt.date, int, float | None]], starts: Sequence[StartMark] = ()
) -> SafeString:
    """The weekly table's rows, (week start, leans, mean intensity or None) each: the chart's numbers.

    A week in which an event began says so under its date, as the chart's mark does; the
    event's title is the only thing a person typed, so the only thing escaped.
    """
    began: dict[dt.date, list[str]] = {}
    for mark in starts:
        values = {"title": escape(mark.title), "date": short_date(mark.started_on)}
        if mark.one_day:
            # Translators: under a week of the weekly table: an event of one day the owner named
            # (a vet visit, a move) and its date ("Mon 3 Mar 2025").
            words = _("%(title)s on %(date)s") % values
        else:
            # Translators: under a week of the weekly table: an event the owner named began on a
            # date ("Mon 3 Mar 2025").
            words = _("%(title)s began %(date)s") % values
        began.setdefault(mark.week_start, []).append(
            f'<span class="d-block small ll-week-start" data-event="{int(mark.event_id)}">'
            f"{int(mark.number)}. {words}</span>"
        )
    return mark_safe(
        "\n".join(
            f'<tr><th scope="row" class="fw-normal">'
            f'<time datetime="{start.isoformat()}">{short_date(start)}</time>'
            f"{''.join(began.get(start, ()))}</th>"
            f'<td class="text-end">{int(count)}</td>'
            f'<td class="text-end">{"–" if mean is None else one_decimal(mean)}</td></tr>'
            for start, count, mean in weeks
        )
    )


@dataclass(frozen=True)
class StartMark:
    """An event that began within the chart's weeks, numbered in start order."""

    number: int
    event_id: int
    title: str
    started_on: dt.date
    week_start: dt.date
    week_index: int
    # A vet visit or a move (ONE_DAY_EVENT_KINDS): it happened that day, it did not begin.
    one_day: bool = False


@dataclass(frozen=True)
class MarkLine:
    """A week's mark on the chart: a line at the centre of its column and its events' numbers."""

    x: str
    label: str
    titles: str


def event_marks(
    week_starts: Sequence[dt.date], events: Iterable[tuple[int, str, dt.date] | tuple[int, str, dt.date, str]]
) -> list[StartMark]:
    """A numbered mark for each event (id, title, start and, if known, kind) that began in one of
    the chart's weeks.

    The weeks are consecutive Mondays; an event that began before the first or after the last
    has no column to mark and is left out.
    """
    if not week_starts:
        return []
    first = week_starts[0]
    marks: list[StartMark] = []
    for event_id, title, started_on, *kind in sorted(events, key=lambda event: (event[2], event[0])):
        index = (started_on - first).days // 7
        if started_on >= first and index < len(week_starts):
            one_day = bool(kind) and kind[0] in ONE_DAY_EVENT_KINDS
            marks.append(
                StartMark(len(marks) + 1, event_id, title, started_on, week_starts[index], index, one_day)
            )
    return marks


def mark_lines(marks: Sequence[StartMark], weeks: int) -> list[MarkLine]:
    """One line per week with a start, at the centre of its column as a share of the plot's width.

    Percentages, so that a second SVG laid over the stretched plot draws the numbers unstretched.
    """
    by_week: dict[int, list[StartMark]] = {}
    for mark in marks:
        by_week.setdefault(mark.week_index, []).append(mark)
    lines = []
    for index, found in sorted(by_week.items()):
        x = round((index + 0.5) * 100 / max(weeks, 1), 2)
        lines.append(
            MarkLine(
                f"{x:g}%",
                ",".join(str(mark.number) for mark in found),
                "; ".join(f"{mark.number}. {mark.title}" for mark in found),
            )
        )
    return lines


@dataclass(frozen=True)
class WeekTick:
    """A week named under the chart, centred under its column (x: a share of the plot's width)."""

    x: str
    week_start: dt.date


# At most this many weeks are named under the chart, evenly spaced, the first always among them
# (a phone shows every other one of them: report.css).
MOST_WEEK_TICKS = 6


def week_ticks(week_starts: Sequence[dt.date], most: int = MOST_WEEK_TICKS) -> list[WeekTick]:
    """The weeks named under the chart: every week of a short period, every k-th of a long one."""
    count = len(week_starts)
    step = max(1, math.ceil(count / most))
    return [
        WeekTick(f"{round((index + 0.5) * 100 / count, 2):g}%", week_starts[index])
        for index in range(0, count, step)
    ]


def weekly_chart(counts: Sequence[int], means: Sequence[float | None]) -> WeeklyChart:
    """Columns for the weekly counts and a broken line for the mean intensity (absent weeks break it)."""
    top = nice_top(max(counts, default=0))
    slot = 10
    columns = []
    for index, (count, mean) in enumerate(zip(counts, means, strict=True)):
        height = round(PLOT_HEIGHT * count / top, 2)
        mean_y = None if mean is None else round(PLOT_HEIGHT * (1 - mean / INTENSITY_MAX), 2)
        columns.append(Column(index * slot + 1.5, slot - 3, PLOT_HEIGHT - height, height, count, mean_y))
    lines: list[str] = []
    run: list[str] = []
    for column in columns:
        if column.mean_y is None:
            if run:
                lines.append(" ".join(run))
            run = []
            continue
        # Each week's mean spans its column, so a lone week still shows as a short line.
        run += [f"{column.x:g},{column.mean_y:g}", f"{column.x + column.width:g},{column.mean_y:g}"]
    if run:
        lines.append(" ".join(run))
    return WeeklyChart(columns, lines, top, top // 2, max(len(columns), 1) * slot)


# The rest of the report's repeated rows, written in one pass for the same reason as the weeks.


# An hour of a weekday with no lean: an empty cell to the eye, so that the hours with leans stand
# out of a sparse journal's map; "0" to a screen reader, which reads the table cell by cell.
EMPTY_HEAT_CELL = '<td class="ll-heat-0"><span class="visually-hidden">0</span></td>'


def _heat_cell(cell: tuple[int, int]) -> str:
    count, bucket = cell
    return f'<td class="ll-heat-{int(bucket)}">{int(count)}</td>' if count else EMPTY_HEAT_CELL


def heat_rows(bands: Sequence[HeatBandLike]) -> SafeString:
    """The heat map's rows: a band of hours, its weekdays shaded by bucket, and its total."""
    return mark_safe(
        "\n".join(
            f'<tr><th scope="row">{escape(band.label)}</th>'
            + "".join(map(_heat_cell, band.cells))
            + f'<td class="ll-heat-total">{int(band.total)}</td></tr>'
            for band in bands
        )
    )


def per_cent(number: int, written: str | None = None) -> str:
    """A share as the reader's language writes it: 64% in English, 64 % in German and Spanish.

    `written` is that format already translated (share_format), for a list of shares.
    """
    return (written or share_format()) % {"number": number}


def share_format() -> str:
    return _("%(number)s%%")


def bar_items(rows: Sequence[CountRowLike]) -> SafeString:
    """A breakdown's bars: each answer with its share, on the one 0-100% scale."""
    written = share_format()
    return mark_safe(
        "\n".join(
            f'<li><span class="ll-hbar-label">{escape(row.label)}</span>'
            '<span class="ll-bar" aria-hidden="true">'
            f'<span class="ll-bar-fill ll-w-{int(row.pct)}"></span></span>'
            f'<span class="ll-hbar-value">{per_cent(int(row.pct), written)}</span></li>'
            for row in rows
        )
    )


def count_rows(rows: Sequence[CountRowLike], unnoted: int) -> SafeString:
    """A breakdown's table: each answer's leans and share, then the leans that noted none."""
    written = share_format()
    lines = [
        f'<tr><th scope="row" class="fw-normal">{escape(row.label)}</th>'
        f'<td class="text-end">{int(row.count)}</td>'
        f'<td class="text-end">{per_cent(int(row.pct), written)}</td></tr>'
        for row in rows
    ]
    if unnoted:
        # Translators: the last row of a breakdown's table: the leans that noted none of its answers.
        not_noted = escape(_("Not noted"))
        lines.append(
            f'<tr class="text-body-secondary"><th scope="row" class="fw-normal fst-italic">{not_noted}</th>'
            f'<td class="text-end">{int(unnoted)}</td><td class="text-end"></td></tr>'
        )
    return mark_safe("\n".join(lines))


@dataclass(frozen=True)
class BreakdownView:
    """A breakdown (report.Breakdown) with its bars and table rows written."""

    part: object
    bars: SafeString
    rows: SafeString
