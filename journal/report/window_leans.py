"""The leans of the before-and-after windows, added up per day in the owner's zone.

A five-year report compares dozens of events, whose windows hold thousands of leans. The report
asks the database for one row per day (window_day_sums: leans, intensity, each sign group), one
UNION ALL of index seeks; window_lean_days reads the same leans one by one (integer moments,
signs as stored text), the plain reading the sums are tested against.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    Field,
    Func,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from journal.fields import CodeSetField
from journal.models import Incident
from journal.report.before_after import GROUPS, DaySum, LeanDay
from journal.report.kept_months import Microseconds
from journal.report.period import Period, period_filter
from journal.report.tally import DAY_SECONDS, EPOCH_ORDINAL, MICROSECONDS, _offsets_of_days
from journal.vocabulary import SIGN_GROUPS


@cache
def _signs(stored: str) -> tuple[str, ...]:
    return tuple(CodeSetField.split(stored))


def merged_ranges(ranges: Sequence[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or touching ranges of days as one: fewer ranges for the database to test."""
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# SQLite takes at most 500 SELECTs in one compound statement; a longer timeline asks again.
MAX_UNITED = 200


def united(parts: Sequence[QuerySet]) -> list[tuple]:
    """The rows of every part, by UNION ALL, in one query per MAX_UNITED parts."""
    rows: list[tuple] = []
    for first in range(0, len(parts), MAX_UNITED):
        group = parts[first : first + MAX_UNITED]
        rows += group[0].union(*group[1:], all=True) if len(group) > 1 else group[0]
    return rows


def window_lean_days(
    leans: QuerySet[Incident], ranges: Sequence[tuple[dt.date, dt.date]], tz: dt.tzinfo
) -> list[LeanDay]:
    """Each lean in any of the ranges of days (owner's zone) as the windows count it, in one query."""
    if not ranges:
        return []
    columns = leans.order_by().annotate(
        moment=ExpressionWrapper(Microseconds("occurred_at"), output_field=Field()),
        stored_signs=ExpressionWrapper(F("signs"), output_field=Field()),
    )
    # One SELECT per range, joined by UNION ALL: each seeks its stretch of the (dog, time) index,
    # where one WHERE with the ranges OR-ed together walks the dog's whole journal.
    parts = [
        columns.filter(period_filter(Period(start, end), tz)).values_list(
            "moment", "intensity", "stored_signs"
        )
        for start, end in merged_ranges(ranges)
    ]
    rows = united(parts)
    # A day either side: a zone's offset moves a lean's UTC day by at most one.
    first = min(start for start, _ in ranges).toordinal() - EPOCH_ORDINAL - 1
    last = max(end for _, end in ranges).toordinal() - EPOCH_ORDINAL + 1
    # The tally's own kept offsets: finding a zone's clock changes over years is the dear part.
    changes, offsets = _offsets_of_days(tz, first, last)
    days: dict[int, dt.date] = {}
    result = []
    for moment, intensity, stored in rows:
        seconds = moment // MICROSECONDS
        number = (seconds + offsets[bisect_right(changes, seconds)]) // DAY_SECONDS
        day = days.get(number)
        if day is None:
            day = days[number] = dt.date.fromordinal(number + EPOCH_ORDINAL)
        signs = _signs(stored) if isinstance(stored, str) else tuple(stored or ())
        result.append(LeanDay(day, intensity, signs))
    return result


class ShiftedDate(Func):
    """A moment's calendar day at a fixed UTC offset in seconds, worked out by the database."""

    output_field = Field()

    def __init__(self, expression: str, offset: int) -> None:
        super().__init__(expression)
        self.offset = int(offset)

    def as_sqlite(self, compiler, connection, **extra):
        # Times are stored as UTC text; date() shifts it by the offset and keeps the day.
        return self.as_sql(
            compiler, connection, template=f"date(%(expressions)s, '{self.offset:+d} seconds')"
        )

    def as_postgresql(self, compiler, connection, **extra):
        template = f"((%(expressions)s AT TIME ZONE 'UTC') + interval '{self.offset} seconds')::date"
        return self.as_sql(compiler, connection, template=template, **extra)


def _with_a_sign_of(group: str) -> Sum:
    """How many leans carry at least one sign of the group (the signs are stored as ",a,b,")."""
    codes = SIGN_GROUPS[group]
    # Raw SQL: the same LIKEs as signs__has, without building a lookup per code for every part.
    test = " OR ".join(["signs LIKE %s"] * len(codes))
    return Sum(RawSQL(f"CASE WHEN {test} THEN 1 ELSE 0 END", [f"%,{code},%" for code in codes]))


def window_day_sums(
    leans: QuerySet[Incident], ranges: Sequence[tuple[dt.date, dt.date]], tz: dt.tzinfo
) -> dict[dt.date, DaySum]:
    """The leans of the ranges of days (owner's zone) added up per day by the database, in one query.

    Each range is cut where the zone's clocks change, so that every part has one UTC offset and
    its days are a plain shift of UTC; a day cut in two is added up again here.
    """
    merged = merged_ranges(ranges)
    if not merged:
        return {}
    first = merged[0][0].toordinal() - EPOCH_ORDINAL - 1
    last = merged[-1][1].toordinal() - EPOCH_ORDINAL + 1
    changes, offsets = _offsets_of_days(tz, first, last)
    columns = {
        "incidents": Count("pk"),
        "intensity_sum": Coalesce(Sum("intensity"), Value(0)),
        "intensity_noted": Count("intensity"),
        **{group: _with_a_sign_of(group) for group in GROUPS},
    }
    parts = []
    for start, end in merged:
        since, until = Period(start, end).bounds(tz)
        cuts = [since]
        place = bisect_right(changes, int(since.timestamp()))
        while place < len(changes) and changes[place] < until.timestamp():
            cuts.append(dt.datetime.fromtimestamp(changes[place], dt.UTC))
            place += 1
        cuts.append(until)
        for low, high in itertools.pairwise(cuts):
            offset = offsets[bisect_right(changes, int(low.timestamp()))]
            parts.append(
                leans.order_by()
                .filter(occurred_at__gte=low, occurred_at__lt=high)
                .annotate(day=ShiftedDate("occurred_at", offset))
                .values("day")
                .annotate(**columns)
                .values_list("day", *columns)
            )
    rows = united(parts)
    sums: dict[dt.date, DaySum] = {}
    for day, *counts in rows:
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        found = sums.get(day)
        sums[day] = (
            [int(n) for n in counts]
            if found is None
            else [a + int(b) for a, b in zip(found, counts, strict=True)]
        )
    return sums
