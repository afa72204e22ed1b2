"""Kept months: a long report adds up monthly tallies instead of reading every lean again.

A report's period is cut into whole months of the viewer's time zone and the ragged days at
either end. Each whole month's tally is kept (ReportPart) under a basis: the stamps of the UTC
days it covers (DayStamp, moved by database triggers at every write of a lean, whatever the
path), the zone's clock changes in it and the tally's version (TALLY_VERSION). A kept month
whose basis still holds is added up as it is; the others are read again in the same query as
the ragged ends and kept anew. A five-year report so reads a few dozen kept months and about two months
of leans, whatever the size of the journal.

The ragged days before today (UTC) are kept too, in the cache, under the stamps of the UTC days
they cover; a short period (two months or less: the everyday 30-day report, the home cards, the
dog page) keeps no month, only its days before today. The report right after
a new lean so reads the day stamps and today's leans, whatever the period.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from operator import itemgetter

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import BigIntegerField, ExpressionWrapper, F, Field, Func, Q, QuerySet
from django.utils import timezone

from journal.models import DayStamp, Incident, ReportPart
from journal.report.period import Period
from journal.report.rules import moment_of
from journal.report.tally import (
    COUNTED_COLUMNS,
    DAY_SECONDS,
    MICROSECONDS,
    ROW_FIELDS,
    STORED_AS_IS,
    Row,
    Tally,
    _offsets_of_days,
    merged,
    tally_of,
)

# Part of every kept month's basis. Bump it whenever what a tally counts or how a kept month
# stores it changes (journal/report/tally.py, the rules' view of a lean in journal/report/rules.py,
# the sign groups, _part_of_tally below): every kept month is then counted again. The golden tally
# test (tests/journal/report/test_kept_months.py) fails on any such change until it is bumped.
# 4: a time's fraction no longer rounds its second up in SQLite (_sqlite_seconds).
TALLY_VERSION = 4


# unixepoch() reads a time's whole seconds straight to a number; strftime('%s') formats them as
# text first, which costs a five-year report's read of 25,000 leans about a fifth of its time.
UNIXEPOCH_SINCE = (3, 38, 0)


def _sqlite_seconds(connection) -> str:
    """SQL for a time's whole seconds since 1970, in the fastest form this SQLite knows.

    Only "YYYY-MM-DD HH:MM:SS" is read: SQLite rounds a time's fraction to the millisecond, so
    23:59:59.9996 would become the next day's first second.
    """
    if connection.Database.sqlite_version_info >= UNIXEPOCH_SINCE:
        return "unixepoch(substr(%(expressions)s, 1, 19))"
    return "CAST(strftime('%%%%s', substr(%(expressions)s, 1, 19)) AS INTEGER)"


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
            f"({_sqlite_seconds(connection)} * 1000000"
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


def utc_day_span(since: int, until: int) -> tuple[str, str]:
    """The first and last UTC day ("YYYY-MM-DD") of the moments [since, until), in microseconds."""
    return _utc_day(_aware(since)), _utc_day(_aware(until - 1))


def basis_of(first: dt.date, tz: dt.tzinfo, stamps: Sequence[tuple[str, int]]) -> str:
    """What a month of the zone is counted under: its days' stamps, its clock changes, the version."""
    since, until = (moment_of(bound) // MICROSECONDS for bound in month_period(first).bounds(tz))
    clock = _offsets_of_days(tz, since // DAY_SECONDS, (until - 1) // DAY_SECONDS)
    text = ";".join(f"{day}={stamp}" for day, stamp in stamps)
    digest = hashlib.blake2b(f"{clock}|{text}".encode(), digest_size=12).hexdigest()
    return f"v{TALLY_VERSION}:{digest}"


DAY_MICROSECONDS = DAY_SECONDS * MICROSECONDS


@dataclass(frozen=True)
class Segment:
    """A run of the period's leans: a whole month (month set) or ragged days at an end."""

    since: int
    until: int
    month: dt.date | None = None
    # Ragged days wholly before today (UTC), kept in the cache under their days' stamps.
    settled: bool = False


def _today_in_utc() -> int:
    """The first moment of today in UTC, in microseconds: the days before it are settled."""
    return moment_of(timezone.now()) // DAY_MICROSECONDS * DAY_MICROSECONDS


def _with_settled_days(segment: Segment, today: int) -> list[Segment]:
    """A ragged run cut where today begins, newest first: today's part and the settled days."""
    if segment.until <= today:
        return [replace(segment, settled=True)]
    if segment.since >= today:
        return [segment]
    return [Segment(today, segment.until), Segment(segment.since, today, settled=True)]


def _days_key(dog_id: int, tz: dt.tzinfo, since: int, until: int, stamps: Sequence[tuple[str, int]]) -> str:
    """The cache key of a dog's settled leans [since, until): the stretch, the zone, its days' basis."""
    return f"kept-days-v{TALLY_VERSION}:{dog_id}:{tz}:{since}:{until}:{days_basis(tz, since, until, stamps)}"


# The whole months added up are kept in the cache this long (their key changes with any write).
MONTHS_CACHE_SECONDS = 60 * 60

# A period this short keeps no month: a kept month would save little, for two more reads and
# a write. Its days before today are kept in the cache instead.
KEPT_MONTHS_OVER_DAYS = 62


def period_tallies(dog_ids: Sequence[int], period: Period, tz: dt.tzinfo) -> dict[int, Tally]:
    """Each dog's tally of the period in three reads (day stamps, kept months, the other leans).

    Keeping the months it counted anew adds a write (three queries with its savepoint). A short
    period keeps no month: two reads (the day stamps, today's leans or all of them).
    """
    leans = Incident.objects.filter(dog_id__in=dog_ids)
    months = whole_months(period) if period.days > KEPT_MONTHS_OVER_DAYS else []
    zone = str(tz)
    # The segments, newest first: the ragged end (today's part, then its settled days), the whole
    # months, the ragged start; without whole months, the period's own two parts. A run of days
    # before today is settled: kept in the cache.
    since, until = (moment_of(bound) for bound in period.bounds(tz))
    today = _today_in_utc()
    month_bounds = {month: tuple(moment_of(b) for b in month_period(month).bounds(tz)) for month in months}
    if months:
        segments = _with_settled_days(Segment(month_bounds[months[0]][1], until), today)
        segments += [Segment(*month_bounds[month], month=month) for month in months]
        segments += _with_settled_days(Segment(since, month_bounds[months[-1]][0]), today)
    else:
        segments = _with_settled_days(Segment(since, until), today)
    segments = [s for s in segments if s.since < s.until]
    settled = [s for s in segments if s.settled]

    # The bases are read before the leans: what is kept under a basis is never older than it.
    spans = {month: utc_days(month, tz) for month in months}
    days_of = {s: utc_day_span(s.since, s.until) for s in settled}
    covered = [*spans.values(), *days_of.values()]
    stamps: dict[int, list[tuple[str, int]]] = {pk: [] for pk in dog_ids}
    if covered:
        stamped = DayStamp.objects.filter(
            dog_id__in=dog_ids,
            day__gte=min(first for first, _ in covered),
            day__lte=max(last for _, last in covered),
        ).order_by("dog_id", "day")
        for dog_id, day, stamp in stamped.values_list("dog_id", "day", "stamp"):
            stamps[dog_id].append((day, stamp))
    basis = {}
    settled_keys = {}
    for pk in dog_ids:
        days = [day for day, _ in stamps[pk]]
        for month, (first, last) in spans.items():
            covered = stamps[pk][bisect_left(days, first) : bisect_right(days, last)]
            basis[pk, month] = basis_of(month, tz, covered)
        for segment, (first, last) in days_of.items():
            covered = stamps[pk][bisect_left(days, first) : bisect_right(days, last)]
            settled_keys[pk, segment] = _days_key(pk, tz, segment.since, segment.until, covered)
    # The whole months already added up, kept in the cache under all their bases: the view
    # after a new lean (only a ragged end moved) neither reads the kept months nor adds them up.
    months_keys = {pk: _months_key(pk, zone, months, basis) for pk in dog_ids} if months else {}
    found = cache.get_many([*months_keys.values(), *settled_keys.values()])
    added_up = {pk: found[key] for pk, key in months_keys.items() if key in found}
    settled_found = {place: found[key] for place, key in settled_keys.items() if key in found}
    unsummed = [pk for pk in dog_ids if pk not in added_up] if months else []
    kept = {
        (part.dog_id, part.month): part
        for part in (
            ReportPart.objects.filter(dog_id__in=unsummed, zone=zone, month__in=months) if unsummed else ()
        )
        if part.basis == basis[part.dog_id, part.month]
    }

    def to_read(pk: int) -> tuple[Segment, ...]:
        ragged = [s for s in segments if s.month is None and (pk, s) not in settled_found]
        if pk in added_up:
            return tuple(ragged)
        months_to_read = [s for s in segments if s.month is not None and (pk, s.month) not in kept]
        return tuple(s for s in segments if s in ragged or s in months_to_read)

    # One query for every dog: dogs that miss the same segments share one condition.
    wanted = Q()
    needs: dict[tuple[Segment, ...], list[int]] = {}
    for pk in dog_ids:
        needs.setdefault(to_read(pk), []).append(pk)
    for missing, pks in needs.items():
        if missing:
            when = Q()
            for since, until in _joined(missing):
                when |= Q(occurred_at__gte=_aware(since), occurred_at__lt=_aware(until))
            wanted |= Q(dog_id__in=pks) & when
    rows = _rows_by_dog(leans.filter(wanted), dog_ids) if wanted else {pk: [] for pk in dog_ids}

    result = {}
    fresh: list[ReportPart] = []
    to_cache: dict[str, Tally] = {}
    for pk in dog_ids:
        # Newest first: the ragged end, the months (added up as one), the ragged start. Merging
        # is associative, so the months' sum merges in as the months one by one would.
        tallies: list[Tally | None] = []
        month_tallies: list[Tally] = []
        dog_rows = rows[pk]
        place = 0
        for segment in segments:
            if segment.month is not None and pk in added_up:
                if segment.month == months[0]:
                    tallies.append(added_up[pk])
                continue
            if (pk, segment) in settled_found:
                tally = settled_found[pk, segment]
            elif (pk, segment.month) in kept:
                tally = _tally_of_part(kept[pk, segment.month])
            else:
                # Rows come newest first: this segment's run ends at the first row older than it.
                end = bisect_right(dog_rows, -segment.since, lo=place, key=_older)
                tally = tally_of(dog_rows[place:end], tz)
                place = end
                if segment.month is not None:
                    fresh.append(_part_of_tally(pk, zone, segment.month, basis[pk, segment.month], tally))
                elif segment.settled:
                    to_cache[settled_keys[pk, segment]] = tally
            if segment.month is None:
                tallies.append(tally)
            else:
                if not month_tallies:
                    tallies.append(None)  # the months' place, filled below
                month_tallies.append(tally)
        if months and pk not in added_up:
            months_sum = merged(month_tallies)
            tallies[tallies.index(None)] = months_sum
            to_cache[months_keys[pk]] = months_sum
        result[pk] = merged(tally for tally in tallies if tally is not None)
    _keep(fresh)
    if to_cache:
        cache.set_many(to_cache, MONTHS_CACHE_SECONDS)
    return result


def days_basis(tz: dt.tzinfo, since: int, until: int, stamps: Sequence[tuple[str, int]]) -> str:
    """A digest of what a stretch of leans [since, until) is counted under: its UTC days' stamps
    (every one of them, in order) and the zone's clock changes in it."""
    clock = _offsets_of_days(tz, since // DAY_MICROSECONDS, (until - 1) // DAY_MICROSECONDS)
    text = ";".join(f"{day}={stamp}" for day, stamp in stamps)
    return hashlib.blake2b(f"{clock}|{text}".encode(), digest_size=12).hexdigest()


def _months_key(dog_id: int, zone: str, months: Sequence[dt.date], basis: dict) -> str:
    """The cache key of a dog's whole months added up: the months, the zone and every month's basis."""
    bases = "|".join(basis[dog_id, month] for month in months)
    digest = hashlib.blake2b(bases.encode(), digest_size=12).hexdigest()
    return f"kept-months-v{TALLY_VERSION}:{dog_id}:{zone}:{months[-1]}:{months[0]}:{digest}"


def _joined(segments: Sequence[Segment]) -> list[tuple[int, int]]:
    """Back-to-back segments (newest first) as one span each: one range of the index to read.

    Sixty months to read as sixty ORed ranges cost SQLite a test of every one on every lean
    of the dog; as one range, only the period's leans are read.
    """
    spans: list[tuple[int, int]] = []
    for segment in segments:
        if spans and spans[-1][0] == segment.until:
            spans[-1] = (segment.since, spans[-1][1])
        else:
            spans.append((segment.since, segment.until))
    return spans


def _older(row: Row) -> int:
    """The sort key of a row among rows read newest first."""
    return -row[1]


def _rows_by_dog(queryset: QuerySet[Incident], dog_ids: Sequence[int]) -> dict[int, list[Row]]:
    """The queryset's rows (period_rows) of each dog, in one query."""
    if len(dog_ids) == 1:
        return {dog_ids[0]: list(period_rows(queryset))}
    rows: dict[int, list[Row]] = {pk: [] for pk in dog_ids}
    rest = itemgetter(slice(1, None))
    for dog_id, group in groupby(period_rows(queryset, "dog_id"), itemgetter(0)):
        rows[dog_id] = list(map(rest, group))
    return rows


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
        # Sliced rather than unpacked: a five-year report reads about 1,800 days this way.
        days={values[0]: values[1:] for values in counts["days"]},
        columns={name: dict(pairs) for name, pairs in counts["columns"].items()},
        reasons=counts["reasons"],
        unexplained=counts["unexplained"],
        profile_keys=counts["profile_keys"],
        profile_of=_unpacked(part.profiles, "i"),
    )
