"""Kept months: a long report adds up monthly tallies instead of reading every lean again.

A report's period is cut into whole months of the viewer's time zone and the ragged days at
either end. Each whole month's tally is kept (ReportPart) under a basis: the stamps of the UTC
days it covers (DayStamp, moved by database triggers at every write of a lean, whatever the
path), the zone's clock changes in it and what the counting code is. A kept month whose basis
still holds is added up as it is; the others are read again in the same query as the ragged
ends and kept anew. A five-year report so reads a few dozen kept months and about two months
of leans, whatever the size of the journal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import BigIntegerField, ExpressionWrapper, F, Field, Func, Q, QuerySet

from journal import vocabulary
from journal.models import DayStamp, Incident, ReportPart
from journal.report import rules, tally
from journal.report.period import Period, period_filter
from journal.report.rules import moment_of
from journal.report.tally import (
    COUNTED_COLUMNS,
    DAY_SECONDS,
    MICROSECONDS,
    ROW_FIELDS,
    STORED_AS_IS,
    Tally,
    _offsets_of_days,
    merged,
    tally_of,
)

# Part of every kept month's basis: bump it to have every kept month counted again.
TALLY_VERSION = 1
# And what the counting reads, so that a change to it recounts them without anyone remembering
# to bump: the tally's code, and the rules' view of a lean (which codes they read, the sign
# groups) that shapes its profiles.
COUNTING = hashlib.blake2b(
    "\x1f".join(
        (
            inspect.getsource(tally),
            *(
                inspect.getsource(view)
                for view in (rules.rule_activity, rules.rule_response, rules.rule_outcome)
            ),
            *(inspect.getsource(view) for view in (rules.rule_triggers, rules.rule_signs, rules.groups_of)),
            repr(sorted(rules.RULE_SIGNS)),
            repr(sorted(rules.RULE_ACTIVITIES)),
            repr(sorted(rules.RULE_TRIGGERS)),
            repr(sorted(rules.BUSY_ACTIVITIES)),
            repr(sorted(vocabulary.GROUP_OF_SIGN.items())),
        )
    ).encode(),
    digest_size=6,
).hexdigest()


class Microseconds(Func):
    """A moment as whole microseconds since 1970 (UTC), worked out by the database.

    An integer costs far less to read than a datetime and keeps every digit, so that a lean and
    an acknowledgement in the same second still compare exactly.
    """

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps times as "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC. The fraction is padded
        # with zeros, so that none (or fewer digits) still reads as microseconds.
        template = (
            "(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) * 1000000"
            " + CAST(substr(%(expressions)s || '000000', 21, 6) AS INTEGER))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        # EXTRACT gives an exact numeric (PostgreSQL 14 and later).
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)


def period_rows(queryset: QuerySet[Incident], *leading: str) -> QuerySet:
    """The queryset's ROW_FIELDS (after any leading fields) in the loader's terms, newest first.

    Times come as microseconds (Microseconds) and code sets as stored text, without Django's
    per-row converters: tally_of splits each distinct code string once. The order, newest
    first and then by id, is the order of every flag's and note's incident_ids.
    """
    as_stored = {f"stored_{name}": ExpressionWrapper(F(name), output_field=Field()) for name in STORED_AS_IS}
    # Read as the plain integer it is (Django would otherwise call int() on each).
    as_stored["moment"] = ExpressionWrapper(Microseconds("occurred_at"), output_field=Field())
    fields = [
        "moment" if name == "occurred_at" else f"stored_{name}" if name in STORED_AS_IS else name
        for name in ROW_FIELDS
    ]
    return (
        queryset.order_by(*leading, "-occurred_at", "id").annotate(**as_stored).values_list(*leading, *fields)
    )


def whole_months(period: Period) -> list[dt.date]:
    """The first days of the calendar months that lie wholly inside the period, newest first."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    months = []
    while _next_month(first) - dt.timedelta(days=1) <= period.end:
        months.append(first)
        first = _next_month(first)
    return months[::-1]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_period(first: dt.date) -> Period:
    return Period(first, _next_month(first) - dt.timedelta(days=1))


def _utc_day(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d")


def utc_days(first: dt.date, tz: dt.tzinfo) -> tuple[str, str]:
    """The first and last UTC day ("YYYY-MM-DD") that a month of the zone touches."""
    since, until = month_period(first).bounds(tz)
    return _utc_day(since), _utc_day(until - dt.timedelta(microseconds=1))


def basis_of(first: dt.date, tz: dt.tzinfo, stamps: Sequence[tuple[str, int]]) -> str:
    """What a month of the zone is counted under: its days' stamps, its clock changes, the code."""
    since, until = (moment_of(bound) // MICROSECONDS for bound in month_period(first).bounds(tz))
    clock = _offsets_of_days(tz, since // DAY_SECONDS, (until - 1) // DAY_SECONDS)
    text = ";".join(f"{day}={stamp}" for day, stamp in stamps)
    digest = hashlib.blake2b(f"{clock}|{text}".encode(), digest_size=12).hexdigest()
    return f"v{TALLY_VERSION}:{COUNTING}:{digest}"


@dataclass(frozen=True)
class Segment:
    """A run of the period's leans: a whole month (month set) or ragged days at an end."""

    since: int
    until: int
    month: dt.date | None = None


def period_tally(dog_id: int, period: Period, tz: dt.tzinfo) -> Tally:
    """The period's tally in three reads (day stamps, kept months, the other leans).

    Keeping the months it counted anew adds a write (three queries with its savepoint).
    """
    leans = Incident.objects.filter(dog_id=dog_id)
    months = whole_months(period)
    if not months:
        return tally_of(list(period_rows(leans.filter(period_filter(period, tz)))), tz)
    zone = str(tz)
    # The bases are read before the leans: what is kept under a basis is never older than it.
    spans = {month: utc_days(month, tz) for month in months}
    stamped = list(
        DayStamp.objects.filter(
            dog_id=dog_id,
            day__gte=min(a for a, _ in spans.values()),
            day__lte=max(b for _, b in spans.values()),
        )
        .order_by("day")
        .values_list("day", "stamp")
    )
    days = [day for day, _ in stamped]
    basis = {
        month: basis_of(month, tz, stamped[bisect_left(days, first) : bisect_right(days, last)])
        for month, (first, last) in spans.items()
    }
    kept = {
        part.month: part
        for part in ReportPart.objects.filter(dog_id=dog_id, zone=zone, month__in=months)
        if part.basis == basis[part.month]
    }

    # The segments, newest first: the ragged end, the whole months, the ragged start.
    since, until = (moment_of(bound) for bound in period.bounds(tz))
    month_bounds = {month: tuple(moment_of(b) for b in month_period(month).bounds(tz)) for month in months}
    segments = [Segment(month_bounds[months[0]][1], until)]
    segments += [Segment(*month_bounds[month], month=month) for month in months]
    segments.append(Segment(since, month_bounds[months[-1]][0]))
    to_read = [s for s in segments if s.since < s.until and (s.month is None or s.month not in kept)]
    rows = []
    if to_read:
        wanted = Q()
        for segment in to_read:
            wanted |= Q(occurred_at__gte=_aware(segment.since), occurred_at__lt=_aware(segment.until))
        rows = list(period_rows(leans.filter(wanted)))

    tallies = []
    fresh: list[ReportPart] = []
    place = 0
    for segment in segments:
        if segment.month in kept:
            tallies.append(_tally_of_part(kept[segment.month]))
            continue
        end = place
        while end < len(rows) and rows[end][1] >= segment.since:
            end += 1
        tally = tally_of(rows[place:end], tz)
        place = end
        tallies.append(tally)
        if segment.month is not None:
            fresh.append(_part_of_tally(dog_id, zone, segment.month, basis[segment.month], tally))
    _keep(fresh)
    return merged(tallies)


def _aware(moment: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=moment)


def _keep(parts: Sequence[ReportPart]) -> None:
    """Store the months counted anew; a report that cannot store them is still right, just slower."""
    if not parts:
        return
    try:
        with transaction.atomic():
            ReportPart.objects.bulk_create(
                parts,
                update_conflicts=True,
                unique_fields=["dog", "zone", "month"],
                update_fields=["basis", "ids", "moments", "profiles", "counts"],
            )
    except DatabaseError:
        # A read-only or full disk, or a dog deleted meanwhile: the next report tries again.
        pass


def _packed(numbers: Sequence[int], kind: str = "q") -> bytes:
    """Whole numbers as little-endian binary: 64-bit ("q") or 32-bit ("i")."""
    packed = array(kind, numbers)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def _unpacked(data: bytes | memoryview, kind: str = "q") -> list[int]:
    numbers = array(kind)
    numbers.frombytes(bytes(data))
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tolist()


def _part_of_tally(dog_id: int, zone: str, month: dt.date, basis: str, tally: Tally) -> ReportPart:
    counts = {
        "heat": tally.heat,
        "days": [[day, *values] for day, values in tally.days.items()],
        # Pairs, not objects: intensities are numbers and a blank may be null.
        "columns": {name: list(tally.columns[name].items()) for name in COUNTED_COLUMNS},
        "reasons": tally.reasons,
        "unexplained": tally.unexplained,
        "profile_keys": tally.profile_keys,
    }
    return ReportPart(
        dog_id=dog_id,
        zone=zone,
        month=month,
        basis=basis,
        ids=_packed(tally.ids),
        moments=_packed(tally.moments),
        profiles=_packed(tally.profile_of, "i"),
        counts=json.dumps(counts, separators=(",", ":")),
    )


def _tally_of_part(part: ReportPart) -> Tally:
    counts = json.loads(part.counts)
    return Tally(
        ids=_unpacked(part.ids),
        moments=_unpacked(part.moments),
        heat=counts["heat"],
        days={day: values for day, *values in counts["days"]},
        columns={name: dict(pairs) for name, pairs in counts["columns"].items()},
        reasons=counts["reasons"],
        unexplained=counts["unexplained"],
        profile_keys=counts["profile_keys"],
        profile_of=_unpacked(part.profiles, "i"),
    )
