"""The per-dog pattern report: numbers from one period of the journal.

`build_report` is pure: it takes the dog's facts, the period's rows as tuples (ROW_FIELDS),
the previous period's count and the first lean, and returns data. `report_of_stored` is the
same with the rows as the loader reads them (times as integers), so that a five-year report
never makes a datetime per lean. `load_report` and
`current_flags` are the thin loaders that fetch those inputs in a constant number of queries,
whatever the size of the journal.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import BigIntegerField, Count, ExpressionWrapper, F, Field, Func, Min, Q, QuerySet
from django.utils import timezone

from dogs.models import Dog, LifeStage, age_in_years, life_stage
from journal.fields import CodeSetField
from journal.flags import (
    BUSY_ACTIVITIES,
    Acknowledgement,
    Facts,
    Flag,
    Level,
    Note,
    Profile,
    acknowledge,
    evaluate,
    leans_word,
    moment_of,
    most_serious,
    notes_below,
    percent,
    rule_outcome,
    rule_response,
    rule_signs,
    rule_triggers,
)
from journal.models import CheckIn, FlagAcknowledgement, Incident
from journal.vocabulary import (
    INTENSITY_WORDS,
    Location,
    OwnerActivity,
    OwnerResponse,
    Sign,
    SignGroup,
    Trigger,
)

DEFAULT_DAYS = 30
PRESET_DAYS = (7, 30, 90, 365)
# A rate needs a week to mean anything: a two-day-old journal is not "10 leans a week".
MIN_RATE_DAYS = 7
# Too early for patterns: fewer leans than this, or a journal covering fewer of the period's days.
TOO_EARLY_LEANS = 4
TOO_EARLY_DAYS = 7
# The choices a lean may leave blank ("not noted"), as report.json names them.
OPTIONAL_FIELDS = (
    "intensity",
    "duration",
    "posture",
    "location",
    "owner_activity",
    "owner_response",
    "outcome",
)

# The columns the report reads, in the order build_report expects them.
ROW_FIELDS = (
    "id",
    "occurred_at",
    "intensity",
    "location",
    "owner_activity",
    "owner_response",
    "outcome",
    "triggers",
    "signs",
    "duration",
    "posture",
)
# Read as stored, without Django's per-row converters (see _rows); the time comes as microseconds.
STORED_AS_IS = ("triggers", "signs")
# The columns counted one by one (the breakdowns and the blanks, "not noted"): all but id and time.
COUNTED_COLUMNS = ROW_FIELDS[2:]
# The last two (duration, posture) may be left off: they are then not noted.
Row = tuple  # (id, occurred_at, intensity, location, activity, response, outcome, triggers, signs, ...)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Period:
    """Whole calendar days in the owner's time zone, both ends included."""

    start: dt.date
    end: dt.date

    @classmethod
    def last(cls, days: int, today: dt.date) -> Period:
        return cls(today - dt.timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def bounds(self, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """Its first instant and the first instant after it, as aware datetimes."""
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )


@dataclass(frozen=True)
class DogFacts:
    id: int
    name: str
    size: str
    birth_date: dt.date
    # The day the dog was added, in the owner's time zone: the journal starts then at the latest.
    created_on: dt.date

    @classmethod
    def of(cls, dog: Dog, tz: dt.tzinfo) -> DogFacts:
        return cls(dog.pk, dog.name, dog.size, dog.birth_date, dog.created_at.astimezone(tz).date())

    def age_years(self, today: dt.date) -> float:
        return age_in_years(self.birth_date, today)

    def life_stage(self, today: dt.date) -> str:
        return life_stage(self.size, self.birth_date, today)


@dataclass(frozen=True)
class Week:
    week_start: dt.date
    incidents: int
    mean_intensity: float | None


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    explains: str
    count: int
    pct: int


@dataclass(frozen=True)
class Report:
    dog: DogFacts
    period: Period
    today: dt.date
    # Exact whenever a number depends on it; for a dog added before the previous period began
    # the loader does not look for earlier leans, and this is the day the dog was added.
    journal_start: dt.date
    incidents: int
    # D: the days the rate is spread over (see rate_days).
    rate_days: int
    rate_per_week: float
    previous_incidents: int
    has_baseline: bool
    mean_intensity: float | None
    signs: dict[str, int]
    locations: dict[str, int]
    triggers: dict[str, int]
    owner_activities: dict[str, int]
    owner_responses: dict[str, int]
    by_hour: list[int]
    by_weekday: list[int]
    # heat[weekday][hour], Monday first.
    heat: list[list[int]]
    weekly: list[Week]
    flags: list[Flag]
    reasons: list[Reason]
    # Leans that point to none of the reasons (nothing noted that tells them apart).
    unexplained: int
    observed_days: int = 0
    # The period's days from the journal's start (the rate's D before its 7-day floor).
    covered_days: int = 0
    too_early: bool = True
    not_noted: dict[str, int] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    # How many leans noted each single-choice field: the denominators of their shares.
    noted: dict[str, int] = field(default_factory=dict)

    @property
    def life_stage(self) -> str:
        return self.dog.life_stage(self.today)

    @property
    def age_years(self) -> float:
        return self.dog.age_years(self.today)

    def as_json(self) -> dict[str, object]:
        """The report.json contract of DOMAIN.md, key for key."""
        return {
            "dog": {
                "id": self.dog.id,
                "name": self.dog.name,
                "size": self.dog.size,
                "age_years": self.age_years,
                "life_stage": self.life_stage,
            },
            "period": {
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "days": self.period.days,
            },
            "incidents": self.incidents,
            "rate_per_week": round(self.rate_per_week, 2),
            "previous_incidents": self.previous_incidents,
            "signs": self.signs,
            "locations": self.locations,
            "triggers": self.triggers,
            "owner_activities": self.owner_activities,
            "owner_responses": self.owner_responses,
            "by_hour": self.by_hour,
            "by_weekday": self.by_weekday,
            "weekly": [
                {
                    "week_start": week.week_start.isoformat(),
                    "incidents": week.incidents,
                    "mean_intensity": week.mean_intensity,
                }
                for week in self.weekly
            ],
            "flags": [flag.as_json() for flag in self.flags],
            "too_early": self.too_early,
            "observed_days": self.observed_days,
            "not_noted": self.not_noted,
            "notes": [note.as_json() for note in self.notes],
            "verdict": verdict_of(self).as_json(),
        }


def journal_start(created_on: dt.date, first_lean_on: dt.date | None) -> dt.date:
    """The day of the dog's creation or of its first lean, whichever is earlier."""
    if first_lean_on is None:
        return created_on
    return min(created_on, first_lean_on)


def rate_days(period: Period, started: dt.date) -> int:
    """D: from the later of the period's start and the journal's start to its end, at least 7."""
    return max(MIN_RATE_DAYS, (period.end - max(period.start, started)).days + 1)


def has_baseline(period: Period, started: dt.date, previous_observed_days: int = 1) -> bool:
    """The journal started before the previous period began and that period has an observed day.

    A month in which nothing was logged is not a month of zero leans.
    """
    return started < period.previous().start and previous_observed_days >= 1


def covered_days(period: Period, started: dt.date) -> int:
    """The period's days from the journal's start, both ends included (0 if it starts later)."""
    return max(0, (period.end - max(period.start, started)).days + 1)


def is_too_early(n: int, covered: int) -> bool:
    """Too early for patterns: fewer than 4 leans, or fewer than 7 of the period's days covered."""
    return n < TOO_EARLY_LEANS or covered < TOO_EARLY_DAYS


def observed_days(
    period: Period, started: dt.date, lean_days: Iterable[dt.date], checkin_days: Iterable[dt.date]
) -> int:
    """Days of the period, from the journal's start, with a lean or a check-in."""
    first = max(period.start, started)
    return len({day for day in (*lean_days, *checkin_days) if first <= day <= period.end})


# What the leaning seems to be about: each likely reason of DOMAIN.md and what points to it.
# A lean can point to several reasons (thunder and trembling), so the shares need not add to 100%.
SECURITY_TRIGGERS = frozenset(
    {
        Trigger.THUNDER_FIREWORKS,
        Trigger.LOUD_NOISE,
        Trigger.NEW_PEOPLE,
        Trigger.NEW_PLACE,
        Trigger.VET_OR_GROOMING,
    }
)
SECURITY_LOCATIONS = frozenset({Location.VET})
CLAIMING_LOCATIONS = frozenset({Location.DOG_PARK, Location.PET_STORE})
AFFECTION_ACTIVITIES = frozenset({OwnerActivity.PETTING})

REASONS: tuple[tuple[str, str, str], ...] = (
    ("affection", "Trust and affection", "a relaxed body, a wagging tail or a sigh, or while being petted"),
    ("greeting", "Greeting", "right after you came home"),
    ("security", "Looking for safety", "noise, thunder, new people or places, the vet or the groomer"),
    ("anxiety", "Anxiety", "at least one sign of anxiety, such as trembling, panting or a tucked tail"),
    ("attention", "Asking for attention", "a look back, a paw or a nudge, or while you were busy or talking"),
    ("claiming", "Claiming you near other dogs", "other dogs nearby, at the dog park or in a pet store"),
    ("physical", "Physical support", "shaky legs, shifting weight, stiffness, tiredness or slow to stand"),
    ("itch", "An itch or sore rear", "scooting, licking or scratching the rear"),
)


def _reasons_of_signs(groups: frozenset[str]) -> frozenset[str]:
    found = set()
    if SignGroup.RELAXED in groups:
        found.add("affection")
    if SignGroup.ANXIETY in groups:
        found.add("anxiety")
    if SignGroup.ATTENTION in groups:
        found.add("attention")
    if SignGroup.PHYSICAL in groups:
        found.add("physical")
    if SignGroup.ITCH in groups:
        found.add("itch")
    return frozenset(found)


def _reasons_of_context(location: str, activity: str, triggers: frozenset[str]) -> frozenset[str]:
    found = set()
    if activity in AFFECTION_ACTIVITIES:
        found.add("affection")
    if activity == OwnerActivity.JUST_ARRIVED:
        found.add("greeting")
    if triggers & SECURITY_TRIGGERS or location in SECURITY_LOCATIONS:
        found.add("security")
    if activity in BUSY_ACTIVITIES:
        found.add("attention")
    if Trigger.OTHER_DOGS in triggers or location in CLAIMING_LOCATIONS:
        found.add("claiming")
    return frozenset(found)


def reasons_of(
    location: str, activity: str, triggers: frozenset[str], groups: frozenset[str]
) -> frozenset[str]:
    """The likely reasons a lean points to, from its context and its sign groups.

    The two halves are cached apart: a journal repeats the same few contexts and sign groups.
    """
    return _reasons_of_signs(groups) | _reasons_of_context(location, activity, triggers)


def _ordered(counter: Counter[str], vocabulary: Iterable[str]) -> dict[str, int]:
    """Codes that occurred, most frequent first, ties in vocabulary order."""
    order = {code: i for i, code in enumerate(vocabulary)}
    present = [code for code in counter if code and counter[code]]
    present.sort(key=lambda code: (-counter[code], order.get(code, len(order))))
    return {str(code): counter[code] for code in present}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# Times reach the report as whole microseconds since 1970, UTC (see Microseconds): an integer is
# far cheaper to read and to place in the owner's day than a datetime per lean.
MICROSECONDS = 1_000_000
DAY_SECONDS = 86_400
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
# 1 January 1970 was a Thursday (weekday 3, Monday being 0).
EPOCH_WEEKDAY = 3
# Looking at the offset every six hours finds every clock change, narrowed down to the second,
# as long as a zone never changes its clocks twice within six hours (none has since 1970, as
# far as we know; two changes that close would also have to cancel out to be missed).
OFFSET_SAMPLE_SECONDS = 6 * 3600


def utc_offsets(tz: dt.tzinfo, first: int, last: int) -> tuple[list[int], list[int]]:
    """The zone's UTC offsets (seconds) from `first` to `last` (seconds since 1970, UTC).

    Returns the moments the offset changes and the offsets: before changes[0] it is
    offsets[0], from changes[i] on it is offsets[i + 1] (so bisect_right finds it).
    """

    def offset(moment: int) -> int:
        return int(dt.datetime.fromtimestamp(moment, tz).utcoffset().total_seconds())

    changes: list[int] = []
    offsets = [offset(first)]
    moment = first
    while moment < last:
        ahead = min(moment + OFFSET_SAMPLE_SECONDS, last)
        if offset(ahead) != offsets[-1]:
            # Offsets change on a whole second: halve the gap down to it.
            before, after = moment, ahead
            while after - before > 1:
                middle = (before + after) // 2
                if offset(middle) == offsets[-1]:
                    before = middle
                else:
                    after = middle
            changes.append(after)
            offsets.append(offset(after))
        moment = ahead
    return changes, offsets


@functools.lru_cache(maxsize=256)
def _offsets_of_days(tz: dt.tzinfo, first_day: int, last_day: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """utc_offsets over whole UTC days (numbered from 1970), kept: the next report asks again."""
    changes, offsets = utc_offsets(tz, first_day * DAY_SECONDS, (last_day + 1) * DAY_SECONDS)
    return tuple(changes), tuple(offsets)


def moment_in_microseconds(when: dt.datetime | str | int) -> int:
    """A lean's time as the loader reads it (microseconds), from a datetime or stored text too."""
    if isinstance(when, int):
        return when
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    if when.tzinfo is None:
        # Times are UTC; read as stored they come naive.
        when = when.replace(tzinfo=dt.UTC)
    return moment_of(when)


def stored_rows(rows: Iterable[Row]) -> list[Row]:
    """Rows in the loader's terms: times in microseconds, code sets as text or tuples, 11 columns."""
    result = []
    for id, when, intensity, location, activity, response, outcome, triggers, signs, *rest in rows:
        duration, posture = (*rest, "", "")[:2]
        result.append(
            (
                id,
                moment_in_microseconds(when),
                intensity,
                location,
                activity,
                response,
                outcome,
                triggers if isinstance(triggers, str) else tuple(triggers),
                signs if isinstance(signs, str) else tuple(signs),
                duration or "",
                posture or "",
            )
        )
    return result


def build_report(
    dog: DogFacts,
    period: Period,
    rows: Iterable[Row],
    previous_incidents: int,
    first_lean_on: dt.date | None,
    today: dt.date,
    tz: dt.tzinfo,
    checkin_days: Iterable[dt.date] = (),
    acknowledgements: dict[str, Acknowledgement] | None = None,
) -> Report:
    """Every number of the report from the period's rows (ROW_FIELDS, times as datetimes or stored).

    `checkin_days` may reach back into the previous period (its observed days make the
    baseline); `acknowledgements` is each flag code's latest.
    """
    return report_of_stored(
        dog,
        period,
        stored_rows(rows),
        previous_incidents,
        first_lean_on,
        today,
        tz,
        checkin_days,
        acknowledgements,
    )


def _split(value: str | tuple[str, ...]) -> frozenset[str]:
    return frozenset(CodeSetField.split(value) if isinstance(value, str) else value)


def report_of_stored(
    dog: DogFacts,
    period: Period,
    rows: Sequence[Row],
    previous_incidents: int,
    first_lean_on: dt.date | None,
    today: dt.date,
    tz: dt.tzinfo,
    checkin_days: Iterable[dt.date] = (),
    acknowledgements: dict[str, Acknowledgement] | None = None,
) -> Report:
    """Every number of the report in one pass over rows already in the loader's terms (stored_rows).

    Leans alike in every code are grouped as they pass (profiles); the rules and the breakdowns
    count profiles, while the times go straight into the heat map, the weeks and the days.
    """
    started = journal_start(dog.created_on, first_lean_on)
    checkin_days = list(checkin_days)
    previous = period.previous()
    previous_observed = (1 if previous_incidents else 0) + sum(
        1 for day in checkin_days if previous.start <= day <= previous.end
    )
    n = len(rows)
    days = rate_days(period, started)
    rate = n / days * 7

    heat_cells = [0] * (7 * 24)
    # Weeks before the journal began would read as quiet weeks; they were unrecorded ones.
    first_monday = _monday(max(period.start, started))
    week_count = [0] * ((period.end - first_monday).days // 7 + 1)
    week_intensity = [0] * len(week_count)
    # Means use only the leans whose intensity was noted.
    week_noted = [0] * len(week_count)
    weeks = len(week_count)
    first_day = first_monday.toordinal() - EPOCH_ORDINAL
    # Each pass below runs as a comprehension or in Counter: on a five-year journal these are
    # tens of thousands of leans, and a plain loop with the same steps takes several times longer.
    times = [row[1] for row in rows]
    seconds = [moment // MICROSECONDS for moment in times]
    if seconds:
        changes, offsets = _offsets_of_days(tz, min(seconds) // DAY_SECONDS, max(seconds) // DAY_SECONDS)
    else:
        changes, offsets = (), (0,)
    # The owner's wall clock, in seconds since 1970.
    if changes:
        local = [moment + offsets[bisect_right(changes, moment)] for moment in seconds]
    else:
        local = [moment + offsets[0] for moment in seconds]
    day_numbers = [moment // DAY_SECONDS for moment in local]
    lean_days = set(day_numbers)
    for cell, count in Counter(
        [
            (day + EPOCH_WEEKDAY) % 7 * 24 + moment % DAY_SECONDS // 3600
            for day, moment in zip(day_numbers, local, strict=True)
        ]
    ).items():
        heat_cells[cell] = count
    week_numbers = [(day - first_day) // 7 for day in day_numbers]
    for week, count in Counter(week_numbers).items():
        if 0 <= week < weeks:
            week_count[week] = count
    for week, intensity in zip(week_numbers, [row[2] for row in rows], strict=True):
        if intensity and 0 <= week < weeks:
            week_intensity[week] += intensity
            week_noted[week] += 1
    heat = [heat_cells[day * 24 : day * 24 + 24] for day in range(7)]

    # The breakdowns and the blanks, counted column by column in Counter (in C).
    columns = {name: list(map(itemgetter(ROW_FIELDS.index(name)), rows)) for name in COUNTED_COLUMNS}
    column = {name: Counter(values) for name, values in columns.items()}
    not_noted = {name: sum(n for code, n in column[name].items() if not code) for name in OPTIONAL_FIELDS}
    intensity_noted = n - not_noted["intensity"]
    intensity_sum = sum(code * n for code, n in column["intensity"].items() if code)
    locations = column["location"]
    activities = column["owner_activity"]
    responses = column["owner_response"]
    # Each distinct stored code set is split once.
    trigger_sets = {stored: _split(stored) for stored in column["triggers"]}
    sign_sets = {stored: _split(stored) for stored in column["signs"]}
    signs: Counter[str] = Counter()
    triggers: Counter[str] = Counter()
    for stored, count in column["signs"].items():
        for code in sign_sets[stored]:
            signs[code] += count
    for stored, count in column["triggers"].items():
        for code in trigger_sets[stored]:
            triggers[code] += count

    # The rules' profiles: leans alike in what the rules read, with the places of their leans
    # in the rows' order (the order of every flag's ids).
    seen_responses = {code: rule_response(code) for code in column["owner_response"]}
    seen_outcomes = {code: rule_outcome(code) for code in column["outcome"]}
    seen_triggers = {stored: rule_triggers(codes) for stored, codes in trigger_sets.items()}
    seen_signs = {stored: rule_signs(codes) for stored, codes in sign_sets.items()}
    places: dict[tuple, list[int]] = {}
    for place, key in enumerate(
        zip(
            columns["owner_activity"],
            map(seen_responses.__getitem__, columns["owner_response"]),
            map(seen_outcomes.__getitem__, columns["outcome"]),
            map(seen_triggers.__getitem__, columns["triggers"]),
            map(seen_signs.__getitem__, columns["signs"]),
            strict=True,
        )
    ):
        found = places.get(key)
        if found is None:
            places[key] = [place]
        else:
            found.append(place)
    profiles = [
        Profile(len(found), tuple(found), None, "", activity, response, outcome, trigger_set, *sign_view)
        for (activity, response, outcome, trigger_set, sign_view), found in places.items()
    ]

    # The likely reasons: each distinct context and sign groups worked out once.
    reasons: Counter[str] = Counter()
    unexplained = 0
    of_context: dict[tuple, frozenset[str]] = {}
    of_groups: dict[frozenset[str], frozenset[str]] = {}
    groups_by_signs = {stored: groups for stored, (_, groups) in seen_signs.items()}
    contexts = Counter(
        zip(
            columns["location"],
            columns["owner_activity"],
            columns["triggers"],
            map(groups_by_signs.__getitem__, columns["signs"]),
            strict=True,
        )
    )
    for (location, activity, stored_triggers, groups), count in contexts.items():
        context = (location, activity, stored_triggers)
        by_context = of_context.get(context)
        if by_context is None:
            by_context = of_context[context] = _reasons_of_context(
                location, activity, trigger_sets[stored_triggers]
            )
        by_groups = of_groups.get(groups)
        if by_groups is None:
            by_groups = of_groups[groups] = _reasons_of_signs(groups)
        if pointed := by_context | by_groups:
            for reason in pointed:
                reasons[reason] += count
        else:
            unexplained += count

    weekly = [
        Week(
            first_monday + dt.timedelta(days=7 * i),
            count,
            round(week_intensity[i] / week_noted[i], 1) if week_noted[i] else None,
        )
        for i, count in enumerate(week_count)
    ]
    covered = covered_days(period, started)

    ids = [row[0] for row in rows]
    facts = Facts(
        leans=(),
        days=period.days,
        rate_per_week=rate,
        rate_days=days,
        previous_count=previous_incidents,
        has_baseline=has_baseline(period, started, previous_observed),
        senior=dog.life_stage(today) == LifeStage.SENIOR,
        profiles=profiles,
        ids=ids,
    )
    # Each lean's moment, needed only to tell whether a lean came after an acknowledgement.
    moments = dict(zip(ids, times, strict=True)) if acknowledgements else {}
    flags = acknowledge(evaluate(facts), moments, acknowledgements or {})
    return Report(
        dog=dog,
        period=period,
        today=today,
        journal_start=started,
        incidents=n,
        rate_days=days,
        rate_per_week=rate,
        previous_incidents=previous_incidents,
        has_baseline=facts.has_baseline,
        mean_intensity=round(intensity_sum / intensity_noted, 1) if intensity_noted else None,
        signs=_ordered(signs, Sign.values),
        locations=_ordered(locations, Location.values),
        triggers=_ordered(triggers, Trigger.values),
        owner_activities=_ordered(activities, OwnerActivity.values),
        owner_responses=_ordered(responses, OwnerResponse.values),
        by_hour=[sum(heat[day][hour] for day in range(7)) for hour in range(24)],
        by_weekday=[sum(row) for row in heat],
        heat=heat,
        weekly=weekly,
        flags=flags,
        reasons=[
            Reason(code, label, explains, reasons[code], percent(reasons[code], n))
            for code, label, explains in REASONS
        ],
        unexplained=unexplained,
        observed_days=observed_days(
            period, started, (dt.date.fromordinal(day + EPOCH_ORDINAL) for day in lean_days), checkin_days
        ),
        covered_days=covered,
        too_early=is_too_early(n, covered),
        not_noted=not_noted,
        notes=notes_below(facts, flags),
        noted={name: n - count for name, count in not_noted.items()},
    )


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


def _rows(queryset: QuerySet[Incident], *leading: str) -> QuerySet:
    """The queryset's ROW_FIELDS (after any leading fields) in the loader's terms, newest first.

    Times come as microseconds (Microseconds) and code sets as stored text, without Django's
    per-row converters: report_of_stored splits each distinct code string once. The order,
    newest first and then by id, is the order of every flag's and note's incident_ids.
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


def period_filter(period: Period, tz: dt.tzinfo, prefix: str = "") -> Q:
    """The leans of a period: every count of "leans in these days" goes through here."""
    since, until = period.bounds(tz)
    return Q(**{f"{prefix}occurred_at__gte": since, f"{prefix}occurred_at__lt": until})


def _checkin_days(dog_ids: list[int], period: Period) -> dict[int, list[dt.date]]:
    """Each dog's check-in days in the period and the one before (the baseline's observed days)."""
    days: dict[int, list[dt.date]] = {pk: [] for pk in dog_ids}
    checkins = CheckIn.objects.filter(
        dog_id__in=dog_ids, date__gte=period.previous().start, date__lte=period.end
    ).values_list("dog_id", "date")
    for dog_id, day in checkins:
        days[dog_id].append(day)
    return days


def _acknowledgements(dog_ids: list[int]) -> dict[int, dict[str, Acknowledgement]]:
    """Each dog's latest acknowledgement of each flag code."""
    latest: dict[int, dict[str, Acknowledgement]] = {pk: {} for pk in dog_ids}
    rows = FlagAcknowledgement.objects.filter(dog_id__in=dog_ids).order_by("created_at", "id")
    for dog_id, code, on, at, note in rows.values_list("dog_id", "code", "on", "created_at", "note"):
        latest[dog_id][code] = Acknowledgement(on, at, note)
    return latest


def load_report(dog: Dog, period: Period, today: dt.date, tz: dt.tzinfo) -> Report:
    """The report of one dog in a handful of queries, whatever the size of its journal."""
    previous = period.previous()
    facts = DogFacts.of(dog, tz)
    leans = Incident.objects.filter(dog=dog)
    # Query 1: the period's rows in one pass (incident_dog_time serves the range).
    rows = list(_rows(leans.filter(period_filter(period, tz))))
    # Query 2: the previous period's count, counted in the index.
    previous_count = leans.filter(period_filter(previous, tz)).count()
    # Query 3, only for a dog added after the previous period began: its first lean (one index
    # seek), which may move the journal's start back. For an older dog no number depends on it.
    first_lean_on = _first_lean_on(leans, tz) if facts.created_on >= previous.start else None
    # Queries 4 and 5: check-in days (observed days) and the flags' acknowledgements.
    checkins = _checkin_days([dog.pk], period)[dog.pk]
    acks = _acknowledgements([dog.pk])[dog.pk]
    return report_of_stored(facts, period, rows, previous_count, first_lean_on, today, tz, checkins, acks)


def _first_lean_on(leans: QuerySet[Incident], tz: dt.tzinfo) -> dt.date | None:
    first = leans.aggregate(first=Min("occurred_at"))["first"]
    return first.astimezone(tz).date() if first else None


def current_reports(dogs: Iterable[Dog], today: dt.date, tz: dt.tzinfo | None = None) -> dict[int, Report]:
    """Each dog's report over the default period, in at most five queries for any number of dogs.

    `tz` is the owner's zone (the active one by default: the middleware sets it per request).
    """
    tz = tz or timezone.get_current_timezone()
    dogs = list(dogs)
    if not dogs:
        return {}
    period = Period.last(DEFAULT_DAYS, today)
    ids = [dog.pk for dog in dogs]
    leans = Incident.objects.filter(dog_id__in=ids)
    rows_by_dog: dict[int, list[Row]] = {pk: [] for pk in ids}
    # Query 1: every dog's rows of the period together.
    for dog_id, *row in _rows(leans.filter(period_filter(period, tz)), "dog_id"):
        rows_by_dog[dog_id].append(tuple(row))
    # Query 2: every dog's count in the previous period.
    previous = dict(
        leans.filter(period_filter(period.previous(), tz))
        .order_by()
        .values_list("dog_id")
        .annotate(n=Count("pk"))
    )
    # Query 3, only for dogs added after the previous period began: their first lean, which
    # may move the journal's start back. For older dogs the rules cannot tell the difference.
    recent = [dog.pk for dog in dogs if DogFacts.of(dog, tz).created_on >= period.previous().start]
    first_leans = (
        dict(
            leans.filter(dog_id__in=recent)
            .order_by()
            .values_list("dog_id")
            .annotate(first=Min("occurred_at"))
        )
        if recent
        else {}
    )
    # Queries 4 and 5: check-in days and acknowledgements of every dog.
    checkins = _checkin_days(ids, period)
    acks = _acknowledgements(ids)
    result: dict[int, Report] = {}
    for dog in dogs:
        first = first_leans.get(dog.pk)
        result[dog.pk] = report_of_stored(
            DogFacts.of(dog, tz),
            period,
            rows_by_dog[dog.pk],
            previous.get(dog.pk, 0),
            first.astimezone(tz).date() if first else None,
            today,
            tz,
            checkins[dog.pk],
            acks[dog.pk],
        )
    return result


def current_flags(dogs: Iterable[Dog], today: dt.date, tz: dt.tzinfo | None = None) -> dict[int, Flag | None]:
    """Each dog's most serious current flag that nobody has acknowledged since its last lean."""
    return {
        pk: most_serious([flag for flag in built.flags if flag.acknowledged is None])
        for pk, built in current_reports(dogs, today, tz).items()
    }


# The verdict: one sentence, honest at every size of journal.

VERDICT_LEVELS = ("vet", "watch", "note", "too_early", "info", "clear")


@dataclass(frozen=True)
class Verdict:
    level: str
    text: str

    def as_json(self) -> dict[str, str]:
        return {"level": self.level, "text": self.text}


def days_word(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _too_early_text(built: Report) -> str:
    more_leans = max(0, TOO_EARLY_LEANS - built.incidents)
    more_days = max(0, TOO_EARLY_DAYS - built.covered_days)
    if built.incidents == 0:
        so_far = "no leans logged in these days yet"
    else:
        so_far = f"{leans_word(built.incidents)} so far"
    needs = []
    if more_leans:
        needs.append(f"{more_leans} more {'lean' if more_leans == 1 else 'leans'}")
    if more_days:
        needs.append(f"{more_days} more {'day' if more_days == 1 else 'days'} of journal")
    return (
        f"Too early to see patterns: {so_far}. "
        f"With {' and '.join(needs)}, Leanlog can start to tell what the leaning is about."
    )


def verdict_of(built: Report, hide_acknowledged: bool = False) -> Verdict:
    """The first that applies of vet, watch, note, too_early, info, clear, in one sentence.

    The dog page and the home card hide acknowledged flags; the report keeps them.
    """
    flags = [flag for flag in built.flags if not (hide_acknowledged and flag.acknowledged)]
    for level in (Level.VET, Level.WATCH):
        serious = [flag for flag in flags if flag.level == level]
        if serious:
            flag = serious[0]
            text = f"{flag.title}."
            if flag.acknowledged:
                text += f" You marked it as handled on {flag.acknowledged.on:%-d %B %Y}."
            if len(serious) + len(built.notes) > 1:
                text += " More below."
            return Verdict(str(level), text)
    if built.notes:
        note = built.notes[0]
        return Verdict("note", f"{note.title}: {note.advice[0].lower()}{note.advice[1:]}")
    if built.too_early:
        return Verdict("too_early", _too_early_text(built))
    handled = [flag for flag in built.flags if flag.acknowledged and flag not in flags]
    if handled:
        # A flag marked as handled is quiet, not gone: never a clear bill while it stands.
        flag = handled[0]
        return Verdict(
            "info",
            f"You marked “{flag.title}” as handled on {flag.acknowledged.on:%-d %B %Y}. "
            "Leanlog will bring it up again if a new lean shows it.",
        )
    if flags:
        return Verdict(
            "info", f"Nothing here asks for the vet or for watching. Good to know: {flags[0].title.lower()}."
        )
    return Verdict(
        "clear",
        f"No concerns in these {days_word(built.period.days)}: {leans_word(built.incidents)} over "
        f"{days_word(built.observed_days)} with {built.dog.name}, none with a sign to watch.",
    )


# What the page shows beside the numbers: pure, from the report alone.


@dataclass(frozen=True)
class Change:
    direction: str  # up, down, same or none (nothing to compare with)
    difference: int
    pct: int | None
    partial: bool


def change_of(built: Report) -> Change:
    """Against the previous period; a journal younger than that period has nothing to compare."""
    previous = built.period.previous()
    if built.journal_start > previous.end:
        return Change("none", 0, None, partial=False)
    difference = built.incidents - built.previous_incidents
    direction = "up" if difference > 0 else "down" if difference < 0 else "same"
    pct = percent(abs(difference), built.previous_incidents) if built.previous_incidents else None
    return Change(direction, abs(difference), pct, partial=built.journal_start > previous.start)


@dataclass(frozen=True)
class BreakdownRow:
    code: str
    label: str
    count: int
    pct: int


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    icon: str
    rows: list[BreakdownRow]
    note: str
    empty: str
    unnoted: int


def _breakdown_rows(counts: dict[str, int], labels: dict[str, str], n: int) -> list[BreakdownRow]:
    return [
        BreakdownRow(code, labels.get(code, code), count, percent(count, n)) for code, count in counts.items()
    ]


def breakdowns(built: Report) -> list[Breakdown]:
    """Each breakdown's rows; single choices share out the leans that noted them."""
    n = built.incidents
    several = "A lean can have several, so the shares can add up to more than 100%."
    one_each = "Shares of the leans where this was noted."
    singles = (
        ("locations", "Where", "bi-geo-alt", built.locations, dict(Location.choices)),
        (
            "owner_activities",
            "What you were doing",
            "bi-person-walking",
            built.owner_activities,
            dict(OwnerActivity.choices),
        ),
        (
            "owner_responses",
            "How you answered",
            "bi-chat-heart",
            built.owner_responses,
            dict(OwnerResponse.choices),
        ),
    )
    parts = [
        Breakdown(
            "signs",
            "How the dog looked",
            "bi-eye",
            _breakdown_rows(built.signs, dict(Sign.choices), n),
            several,
            "No signs were noted.",
            0,
        ),
        Breakdown(
            "triggers",
            "What was going on",
            "bi-lightning",
            _breakdown_rows(built.triggers, dict(Trigger.choices), n),
            several,
            "No triggers were noted.",
            0,
        ),
    ]
    for key, title, icon, counts, labels in singles:
        noted = sum(counts.values())
        parts.append(
            Breakdown(
                key,
                title,
                icon,
                _breakdown_rows(counts, labels, noted),
                one_each,
                "The place was not noted." if key == "locations" else f"{title} was not noted.",
                n - noted,
            )
        )
    return parts


# The heat map groups hours in bands so that it stays readable on a phone and on paper.
HOURS_PER_BAND = 3
HEAT_BUCKETS = 4


@dataclass(frozen=True)
class HeatBand:
    label: str
    # (count, bucket) per weekday, Monday first; bucket 0 is none, then 1..HEAT_BUCKETS.
    cells: list[tuple[int, int]]
    total: int


def heat_bands(built: Report) -> list[HeatBand]:
    """A row per band of HOURS_PER_BAND hours, each weekday's count shaded by the busiest cell."""
    bands = []
    for first in range(0, 24, HOURS_PER_BAND):
        hours = range(first, first + HOURS_PER_BAND)
        bands.append(
            (
                f"{first:02d}–{first + HOURS_PER_BAND:02d}",
                [sum(built.heat[day][hour] for hour in hours) for day in range(7)],
            )
        )
    top = max((max(counts) for _, counts in bands), default=0)

    def bucket(count: int) -> int:
        # Rounded up, so that one lean is never drawn as none.
        return -(-count * HEAT_BUCKETS // top) if top else 0

    return [HeatBand(label, [(n, bucket(n)) for n in counts], sum(counts)) for label, counts in bands]


def intensity_word(mean: float | None) -> str:
    """The name of the nearest intensity, to read after "about a"."""
    if mean is None:
        return ""
    return INTENSITY_WORDS[min(5, max(1, int(mean + 0.5)))].lower()
