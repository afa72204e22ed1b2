"""The leans of the before-and-after windows, added up per day in the owner's zone.

A five-year report compares dozens of events, whose windows hold thousands of leans. The report
asks the database for one row per day (window_day_sums: leans, intensity, each sign group), one
UNION ALL of index seeks; window_lean_days reads the same leans one by one (integer moments,
signs as stored text), the plain reading the sums are tested against.

A window before the report's period lies in the past: kept_window_sums keeps its day sums in the
cache under the stamps of the UTC days it covers (DayStamp, moved by the database at every write
of a lean), so the report after a new lean reads those stamps, not the windows' leans again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import cache

from django.core.cache import cache as shared_cache
from django.db import connection
from django.db.models import (
    ExpressionWrapper,
    F,
    Field,
    Q,
    QuerySet,
)

from journal.fields import CodeSetField
from journal.models import DayStamp, Incident
from journal.report.before_after import GROUPS, DaySum, LeanDay
from journal.report.kept_months import TALLY_VERSION, Microseconds, days_basis, utc_day_span
from journal.report.period import Period, period_filter
from journal.report.rules import moment_of
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


def _part_sql(vendor: str) -> str:
    """One part of the windows' UNION ALL: a stretch of one dog's leans at one UTC offset, per day.

    Written out rather than built by the ORM: a five-year report has dozens of parts, and
    compiling each through querysets cost more than the database's work on them.
    """
    if vendor == "postgresql":
        day = "((occurred_at AT TIME ZONE 'UTC') + make_interval(secs => %s))::date"
    else:
        # Stored as UTC text; date() shifts it by "+3600 seconds" and keeps the day.
        day = "date(occurred_at, %s)"
    groups = ", ".join(
        "SUM(CASE WHEN " + " OR ".join(["signs LIKE %s"] * len(SIGN_GROUPS[group])) + " THEN 1 ELSE 0 END)"
        for group in GROUPS
    )
    return (
        f"SELECT {day}, COUNT(*), COALESCE(SUM(intensity), 0), COUNT(intensity), {groups} "
        f"FROM {Incident._meta.db_table} WHERE dog_id = %s AND occurred_at >= %s AND occurred_at < %s "
        "GROUP BY 1"
    )


# The signs of each group as the LIKE patterns of signs__has (codes are stored as ",a,b,").
GROUP_PATTERNS = [f"%,{code},%" for group in GROUPS for code in SIGN_GROUPS[group]]


def window_day_sums(
    dog_id: int, ranges: Sequence[tuple[dt.date, dt.date]], tz: dt.tzinfo
) -> dict[dt.date, DaySum]:
    """The dog's leans in the ranges of days (owner's zone) added up per day by the database.

    Each range is cut where the zone's clocks change, so that every part has one UTC offset and
    its days are a plain shift of UTC; a day cut in two is added up again here. One query per
    MAX_UNITED parts.
    """
    merged = merged_ranges(ranges)
    if not merged:
        return {}
    first = merged[0][0].toordinal() - EPOCH_ORDINAL - 1
    last = merged[-1][1].toordinal() - EPOCH_ORDINAL + 1
    changes, offsets = _offsets_of_days(tz, first, last)
    part = _part_sql(connection.vendor)
    adapt = connection.ops.adapt_datetimefield_value
    parts: list[list] = []
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
            shift = offset if connection.vendor == "postgresql" else f"{offset:+d} seconds"
            parts.append([shift, *GROUP_PATTERNS, dog_id, adapt(low), adapt(high)])
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for first_part in range(0, len(parts), MAX_UNITED):
            group = parts[first_part : first_part + MAX_UNITED]
            cursor.execute(" UNION ALL ".join([part] * len(group)), [value for one in group for value in one])
            rows += cursor.fetchall()
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


# A window's day sums are kept this long (their key changes with any write to its days).
WINDOW_CACHE_SECONDS = 60 * 60


def kept_window_sums(
    dog_id: int, ranges: Sequence[tuple[dt.date, dt.date]], tz: dt.tzinfo
) -> dict[dt.date, DaySum]:
    """window_day_sums, each range's sums kept in the cache under the stamps of its UTC days.

    One query for the stamps; the leans of a range are read again only when a write touched one
    of its days (or the cache forgot it). The key also names the range's bounds in UTC and the
    zone's clock changes in it, as a kept month's basis does.
    """
    merged = merged_ranges(ranges)
    if not merged:
        return {}
    spans = {}
    for start, end in merged:
        since, until = (moment_of(bound) for bound in Period(start, end).bounds(tz))
        spans[start, end] = (since, until, *utc_day_span(since, until))
    covered = Q()
    for _, _, first, last in spans.values():
        covered |= Q(day__gte=first, day__lte=last)
    stamps = list(DayStamp.objects.filter(covered, dog_id=dog_id).order_by("day").values_list("day", "stamp"))
    days = [day for day, _ in stamps]
    keys = {}
    for window, (since, until, first, last) in spans.items():
        own = stamps[bisect_left(days, first) : bisect_right(days, last)]
        basis = days_basis(tz, since, until, own)
        keys[window] = f"window-days-v{TALLY_VERSION}:{dog_id}:{tz}:{since}:{until}:{basis}"
    found = shared_cache.get_many(list(keys.values()))
    missing = [window for window, key in keys.items() if key not in found]
    read = window_day_sums(dog_id, missing, tz) if missing else {}
    to_keep = {}
    for start, end in missing:
        # The ranges are apart (merged_ranges), so each day read belongs to one of them.
        to_keep[keys[start, end]] = {day: sums for day, sums in read.items() if start <= day <= end}
    if to_keep:
        shared_cache.set_many(to_keep, WINDOW_CACHE_SECONDS)
    result: dict[dt.date, DaySum] = {}
    for kept in (*found.values(), *to_keep.values()):
        result.update(kept)
    return result
