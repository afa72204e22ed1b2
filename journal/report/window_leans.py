"""The leans of the before-and-after windows, read as the report's tally reads a period's leans.

A five-year report compares dozens of events, whose windows hold thousands of leans: each is read
as an integer moment and its signs as stored text (no per-row datetime or JSON converter), placed
on its day in the owner's zone by the zone's UTC offsets, and its signs split once per distinct text.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache

from django.db.models import ExpressionWrapper, F, Field, QuerySet

from journal.fields import CodeSetField
from journal.models import Incident
from journal.report.before_after import LeanDay
from journal.report.kept_months import Microseconds
from journal.report.period import Period, period_filter
from journal.report.tally import DAY_SECONDS, EPOCH_ORDINAL, MICROSECONDS, _offsets_of_days


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
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
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
