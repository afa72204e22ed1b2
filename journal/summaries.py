"""Kept months: a long report adds up monthly tallies instead of reading every lean again.

A report's period is cut into whole months of the viewer's time zone and the ragged days at
either end. Each whole month's tally is kept (ReportPart) with the stamps of the UTC months it
covers (MonthStamp, moved by database triggers at every write of a lean, whatever the path);
a kept month whose stamps still hold is added up as it is, and the others are read again in
the same query as the ragged ends and kept anew. A five-year report so reads a few dozen kept
months and about two months of leans, whatever the size of the journal.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.models import BigIntegerField, ExpressionWrapper, F, Field, Func, Q, QuerySet

from journal.flags import moment_of
from journal.models import Incident, MonthStamp, ReportPart
from journal.period import Period, period_filter
from journal.tally import COUNTED_COLUMNS, ROW_FIELDS, STORED_AS_IS, Tally, merged, tally_of

# Part of every kept month's basis: bump it when Tally or tally_of changes what they count, so
# that months kept by an older version are counted again.
TALLY_VERSION = 1


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


def _utc_month(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.UTC)
    return f"{moment.year:04d}-{moment.month:02d}"


def utc_months(first: dt.date, tz: dt.tzinfo) -> tuple[str, ...]:
    """The UTC months ("YYYY-MM") a month of the zone overlaps: one or two."""
    since, until = month_period(first).bounds(tz)
    return tuple(dict.fromkeys((_utc_month(since), _utc_month(until - dt.timedelta(microseconds=1)))))


@dataclass(frozen=True)
class Segment:
    """A run of the period's leans: a whole month (month set) or ragged days at an end."""

    since: int
    until: int
    month: dt.date | None = None


def period_tally(dog_id: int, period: Period, tz: dt.tzinfo) -> Tally:
    """The period's tally in at most three queries: month stamps, kept months, the other leans."""
    leans = Incident.objects.filter(dog_id=dog_id)
    months = whole_months(period)
    if not months:
        return tally_of(list(period_rows(leans.filter(period_filter(period, tz)))), tz)
    zone = str(tz)
    # The bases are read before the leans: what is kept under a basis is never older than it.
    covers = {month: utc_months(month, tz) for month in months}
    stamps = dict(
        MonthStamp.objects.filter(
            dog_id=dog_id, month__in={m for c in covers.values() for m in c}
        ).values_list("month", "stamp")
    )
    basis = {
        month: ":".join((f"v{TALLY_VERSION}", *(f"{m}={stamps.get(m, 0)}" for m in cover)))
        for month, cover in covers.items()
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
