"""The per-dog pattern report: numbers from one period of the journal.

`report_of_tally` is pure: it takes the dog's facts, the period's tally (journal.report.tally: what
its leans add up to), the previous period's count and the first lean, and returns data; every
number of the report is counted there. `load_reports` fetches those inputs for any number of
dogs in a constant number of queries, whatever the size of the journal (a long report adds up
kept months, journal.report.kept_months, and reads only the leans around them). Pages never call it
directly: they ask journal.report.cache, which builds a report only when it has no copy.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, pgettext

from dogs.models import Dog, LifeStage, age_in_years, heavier, life_stage
from journal.models import CheckIn, Event, FlagAcknowledgement, Incident, Weight
from journal.report.before_after import (
    DaySum,
    EventFacts,
    EventReport,
    event_reports,
    is_compared,
    window_ranges,
)
from journal.report.kept_months import period_tallies
from journal.report.period import YEAR_DAYS, Period, date_in_sentence, in_sentence, period_filter
from journal.report.rules import (
    Acknowledgement,
    Facts,
    Flag,
    Level,
    Note,
    acknowledge,
    evaluate,
    notes_below,
    percent,
)
from journal.report.tally import EPOCH_ORDINAL, REASONS, Tally
from journal.report.weights import WEIGHT_WINDOW_DAYS, period_weight_change
from journal.report.window_leans import kept_window_sums
from journal.vocabulary import (
    INTENSITY_WORDS,
    Location,
    OwnerActivity,
    OwnerResponse,
    Sign,
    Trigger,
)

DEFAULT_DAYS = 30
PRESET_DAYS = (7, 30, 90, 365)
# A rate needs a week to mean anything: a two-day-old journal is not "10 leans a week".
MIN_RATE_DAYS = 7
# Too early for patterns: fewer leans than this, or a journal covering fewer of the period's days.
TOO_EARLY_LEANS = 4
TOO_EARLY_DAYS = 7
# "Nothing flagged" is a clear bill only when someone was with the dog on at least half of the
# period's days (from the journal's start); fewer, and the quiet may just be days nobody watched.
CLEAR_COVERAGE = 0.5
# Under this many leans a map of hours and weekdays is mostly empty cells: counts only.
HEAT_MAP_MIN_LEANS = 10
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

# Django's own abbreviations, translated when shown ("Mon", "Mo", "lun").
WEEKDAYS = tuple(WEEKDAYS_ABBR[day] for day in range(7))


@dataclass(frozen=True)
class DogFacts:
    id: int
    name: str
    size: str
    birth_date: dt.date
    # The day the dog was added, in the owner's time zone: the journal starts then at the latest.
    created_on: dt.date
    # The weight on the dog's own form and its latest weighing by the period's end: the heavier,
    # when a bigger class's, counts it a senior sooner.
    weight_kg: Decimal | None = None
    weighed_kg: Decimal | None = None

    @classmethod
    def of(cls, dog: Dog, tz: dt.tzinfo) -> DogFacts:
        return cls(
            dog.pk, dog.name, dog.size, dog.birth_date, dog.created_at.astimezone(tz).date(), dog.weight_kg
        )

    def age_years(self, today: dt.date) -> float:
        return age_in_years(self.birth_date, today)

    def life_stage(self, today: dt.date) -> str:
        return life_stage(self.size, self.birth_date, today, heavier(self.weight_kg, self.weighed_kg))


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
    # The events the period concerns, each compared before and after (journal.report.before_after).
    events: list[EventReport] = field(default_factory=list)
    # The weighings in the period, oldest first: (day, kilograms).
    weights: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    # The latest weighing by the period's end, however old: the weight the report's header gives,
    # rather than the one typed when the dog was added.
    latest_weighing: tuple[dt.date, Decimal] | None = None

    @property
    def life_stage(self) -> str:
        return self.dog.life_stage(self.today)

    @property
    def age_years(self) -> float:
        return self.dog.age_years(self.today)

    def as_json(self, shared: bool = False) -> dict[str, object]:
        """The report.json contract (docs/report-rules.md), key for key; `shared` for the vet's copy."""
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
            "flags": [flag.as_json(shared) for flag in self.flags],
            "too_early": self.too_early,
            "observed_days": self.observed_days,
            "not_noted": self.not_noted,
            "notes": [note.as_json(shared) for note in self.notes],
            "verdict": verdict_of(self, shared=shared).as_json(),
            "events": [event.as_json(shared) for event in self.events],
            "weights": [{"measured_on": day.isoformat(), "weight_kg": float(kg)} for day, kg in self.weights],
        }


def journal_start(created_on: dt.date, first_lean_on: dt.date | None) -> dt.date:
    """The day of the dog's creation or of its first lean, whichever is earlier."""
    if first_lean_on is None:
        return created_on
    return min(created_on, first_lean_on)


def journal_start_of(dog: Dog) -> dt.date:
    """The day of the dog's creation or of its first lean, whichever is earlier (owner's zone)."""
    zone = timezone.get_current_timezone()
    first = dog.incidents.aggregate(first=Min("occurred_at"))["first"]
    return journal_start(DogFacts.of(dog, zone).created_on, first.astimezone(zone).date() if first else None)


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


def _ordered(counter: Counter[str], vocabulary: Iterable[str]) -> dict[str, int]:
    """Codes that occurred, most frequent first, ties in vocabulary order."""
    order = {code: i for i, code in enumerate(vocabulary)}
    present = [code for code in counter if code and counter[code]]
    present.sort(key=lambda code: (-counter[code], order.get(code, len(order))))
    return {str(code): counter[code] for code in present}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def report_of_tally(
    dog: DogFacts,
    period: Period,
    tally: Tally,
    previous_incidents: int,
    first_lean_on: dt.date | None,
    today: dt.date,
    checkin_days: Iterable[dt.date] = (),
    acknowledgements: dict[str, Acknowledgement] | None = None,
    weighings: Sequence[tuple[dt.date, Decimal]] = (),
) -> Report:
    """Every number of the report from the period's tally: the one place they are counted.

    The rules and the breakdowns count profiles and columns; the weeks, the heat map and the
    observed days come from the tally's days and hours. `weighings` are the period's and those
    of the 90 days before it, oldest first (the weight_loss rule looks back from the latest), and
    may start with the latest one before them (the header's weight; too old for the rule).
    """
    started = journal_start(dog.created_on, first_lean_on)
    checkin_days = list(checkin_days)
    previous = period.previous()
    previous_observed = (1 if previous_incidents else 0) + sum(
        1 for day in checkin_days if previous.start <= day <= previous.end
    )
    n = tally.n
    days = rate_days(period, started)
    rate = n / days * 7

    # Weeks before the journal began would read as quiet weeks; they were unrecorded ones.
    first_monday = _monday(max(period.start, started))
    weeks = (period.end - first_monday).days // 7 + 1
    week_count = [0] * weeks
    week_intensity = [0] * weeks
    # Means use only the leans whose intensity was noted.
    week_noted = [0] * weeks
    first_day = first_monday.toordinal() - EPOCH_ORDINAL
    for day, (count, intensity, noted, *_groups) in tally.days.items():
        week = (day - first_day) // 7
        if 0 <= week < weeks:
            week_count[week] += count
            week_intensity[week] += intensity
            week_noted[week] += noted
    heat = [tally.heat[day * 24 : day * 24 + 24] for day in range(7)]

    column = {name: Counter(counts) for name, counts in tally.columns.items()}
    not_noted = {name: sum(n for code, n in column[name].items() if not code) for name in OPTIONAL_FIELDS}
    intensity_noted = n - not_noted["intensity"]
    intensity_sum = sum(code * n for code, n in column["intensity"].items() if code)

    weekly = [
        Week(
            first_monday + dt.timedelta(days=7 * i),
            count,
            round(week_intensity[i] / week_noted[i], 1) if week_noted[i] else None,
        )
        for i, count in enumerate(week_count)
    ]
    covered = covered_days(period, started)

    facts = Facts(
        leans=(),
        days=period.days,
        rate_per_week=rate,
        rate_days=days,
        covered_days=covered,
        previous_count=previous_incidents,
        has_baseline=has_baseline(period, started, previous_observed),
        senior=dog.life_stage(today) == LifeStage.SENIOR,
        profiles=tally.rule_profiles(),
        ids=tally.ids,
        profile_of=tally.profile_of,
        weight=period_weight_change(weighings, period.start, period.end),
    )
    # Each lean's moment, needed only to tell whether a lean came after an acknowledgement.
    moments = dict(zip(tally.ids, tally.moments, strict=True)) if acknowledgements else {}
    weighed_on = facts.weight.latest_on if facts.weight else None
    flags = acknowledge(evaluate(facts), moments, acknowledgements or {}, weighed_on)
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
        signs=_ordered(column["signs"], Sign.values),
        locations=_ordered(column["location"], Location.values),
        triggers=_ordered(column["triggers"], Trigger.values),
        owner_activities=_ordered(column["owner_activity"], OwnerActivity.values),
        owner_responses=_ordered(column["owner_response"], OwnerResponse.values),
        by_hour=[sum(heat[day][hour] for day in range(7)) for hour in range(24)],
        by_weekday=[sum(row) for row in heat],
        heat=heat,
        weekly=weekly,
        flags=flags,
        reasons=[
            Reason(code, label, explains, tally.reasons.get(code, 0), percent(tally.reasons.get(code, 0), n))
            for code, label, explains in REASONS
        ],
        unexplained=tally.unexplained,
        observed_days=observed_days(
            period, started, (dt.date.fromordinal(day + EPOCH_ORDINAL) for day in tally.days), checkin_days
        ),
        covered_days=covered,
        too_early=is_too_early(n, covered),
        not_noted=not_noted,
        notes=notes_below(facts, flags),
        noted={name: n - count for name, count in not_noted.items()},
        weights=[(day, kg) for day, kg in weighings if period.start <= day <= period.end],
        latest_weighing=weighings[-1] if weighings else None,
    )


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


def load_reports(dogs: Iterable[Dog], period: Period, today: dt.date, tz: dt.tzinfo) -> dict[int, Report]:
    """Each dog's report of the period, in a fixed few queries for any number of dogs and leans."""
    dogs = list(dogs)
    if not dogs:
        return {}
    ids = [dog.pk for dog in dogs]
    previous = period.previous()
    facts = {dog.pk: DogFacts.of(dog, tz) for dog in dogs}
    leans = Incident.objects.filter(dog_id__in=ids)
    # Queries 1 to 3: the period's tallies, from kept months and the leans around them.
    tallies = period_tallies(ids, period, tz)
    # Query 4: each dog's count in the previous period, counted in the index.
    previous_counts = dict(
        leans.filter(period_filter(previous, tz)).order_by().values_list("dog_id").annotate(n=Count("pk"))
    )
    # Query 5, only for dogs added after the previous period began: their first lean (one index
    # seek each), which may move the journal's start back. For older dogs no number depends on it.
    recent = [pk for pk in ids if facts[pk].created_on >= previous.start]
    first_leans = _first_leans(recent)
    # Queries 6 and 7: check-in days (observed days) and the flags' acknowledgements.
    checkins = _checkin_days(ids, period)
    acks = _acknowledgements(ids)
    # Queries 8 and 9: the period's weighings and the events; a dog with an event to compare
    # before and after costs up to three more queries (its windows' leans and check-ins).
    weights, events = _timelines(ids, period)
    result = {}
    for pk in ids:
        first = first_leans.get(pk)
        first_lean_on = first.astimezone(tz).date() if first else None
        # The latest weighing by the period's end (weighings come oldest first): the dog ages by
        # the heavier of it and its form's weight.
        latest_kg = weights[pk][-1][1] if weights[pk] else None
        built = report_of_tally(
            replace(facts[pk], weighed_kg=latest_kg),
            period,
            tallies[pk],
            previous_counts.get(pk, 0),
            first_lean_on,
            today,
            checkins[pk],
            acks[pk],
            weights[pk],
        )
        leans_of_dog = Incident.objects.filter(dog_id=pk)
        result[pk] = _with_timeline(built, leans_of_dog, events[pk], first_lean_on, tz, tallies[pk].days)
    return result


def _timelines(ids: list[int], period: Period) -> tuple[dict[int, list], dict[int, list[EventFacts]]]:
    """Each dog's weighings (the period's and the 90 days' before it, and the latest before those:
    the weight the report's header gives) and every event that may be compared, in two queries."""
    weights: dict[int, list] = defaultdict(list)
    since = period.start - dt.timedelta(days=WEIGHT_WINDOW_DAYS)
    latest_before = (
        Weight.objects.filter(dog_id=OuterRef("dog_id"), measured_on__lt=since)
        .order_by("-measured_on", "-id")
        .values("pk")[:1]
    )
    for dog_id, measured_on, weight_kg in (
        Weight.objects.filter(dog_id__in=ids, measured_on__lte=period.end)
        .filter(Q(measured_on__gte=since) | Q(pk=Subquery(latest_before)))
        .order_by("measured_on", "id")
        .values_list("dog_id", "measured_on", "weight_kg")
    ):
        weights[dog_id].append((measured_on, weight_kg))
    # Every event that started by the period's end (any may overlap a window); few, so all of them.
    events: dict[int, list[EventFacts]] = defaultdict(list)
    for dog_id, *row in (
        Event.objects.filter(dog_id__in=ids, started_on__lte=period.end)
        .order_by("started_on", "id")
        .values_list("dog_id", "id", "kind", "title", "started_on", "ended_on")
    ):
        events[dog_id].append(EventFacts(*row))
    return weights, events


def _with_timeline(
    built: Report,
    leans: QuerySet[Incident],
    events: list[EventFacts],
    first_lean_on: dt.date | None,
    tz: dt.tzinfo,
    period_days: dict[int, list[int]],
) -> Report:
    """The report with its events compared before and after.

    `period_days` is the period's tally per day (Tally.days): the windows' days inside the period
    are cut from it, and only the days before the period are read from the leans again.
    """
    period = built.period
    if not any(is_compared(event, period.start, period.end) for event in events):
        return built
    # The windows reach back before the period: their length needs the journal's exact start
    # (one more query, unless the report already looked for the first lean).
    started = built.journal_start
    if first_lean_on is None:
        started = journal_start(built.dog.created_on, _first_lean_on(leans, tz))
    ranges = window_ranges(events, period.start, period.end, started)
    lean_days: dict[dt.date, DaySum] = {}
    checkin_days: list[dt.date] = []
    if ranges:
        # Two more: the leans and the check-ins of the windows, and nothing between them.
        checkins_in_windows = Q()
        for start, end in ranges:
            checkins_in_windows |= Q(date__gte=start, date__lte=end)
        lean_days = _window_days(built.dog.id, ranges, period, tz, period_days)
        checkin_days = list(
            CheckIn.objects.filter(checkins_in_windows, dog_id=built.dog.id)
            .values_list("date", flat=True)
            .distinct()
        )
    compared = event_reports(events, period.start, period.end, started, lean_days, checkin_days, built.today)
    return replace(built, events=compared)


def _window_days(
    dog_id: int,
    ranges: list[tuple[dt.date, dt.date]],
    period: Period,
    tz: dt.tzinfo,
    period_days: dict[int, list[int]],
) -> dict[dt.date, DaySum]:
    """The windows' leans added up per day: the period's days from its tally, the rest from the
    leans or, for days no write touched since, from the cache (kept_window_sums)."""
    # A window ends by the period's end (window_days), but may begin before the period.
    day_before, day_after = period.start - dt.timedelta(days=1), period.end + dt.timedelta(days=1)
    outside = [(start, min(end, day_before)) for start, end in ranges if start < period.start] + [
        (max(start, day_after), end) for start, end in ranges if end > period.end
    ]
    sums = kept_window_sums(dog_id, outside, tz) if outside else {}
    first = max(period.start, min(start for start, _ in ranges)).toordinal() - EPOCH_ORDINAL
    last = period.end.toordinal() - EPOCH_ORDINAL
    for number, counts in period_days.items():
        if first <= number <= last:
            sums[dt.date.fromordinal(number + EPOCH_ORDINAL)] = counts
    return sums


def _first_lean_on(leans: QuerySet[Incident], tz: dt.tzinfo) -> dt.date | None:
    first = leans.aggregate(first=Min("occurred_at"))["first"]
    return first.astimezone(tz).date() if first else None


def _first_leans(dog_ids: list[int]) -> dict[int, dt.datetime | None]:
    """Each dog's first lean, by an index seek per dog rather than a scan of its journal."""
    if not dog_ids:
        return {}
    first = Incident.objects.filter(dog_id=OuterRef("pk")).order_by("occurred_at").values("occurred_at")[:1]
    return dict(Dog.objects.filter(pk__in=dog_ids).annotate(first=Subquery(first)).values_list("pk", "first"))


# The verdict: one sentence, honest at every size of journal.

VERDICT_LEVELS = ("vet", "watch", "note", "too_early", "info", "sparse", "clear")


@dataclass(frozen=True)
class Verdict:
    level: str
    text: str
    # The flag the sentence is about, when it names one (vet, watch, or an info "good to know").
    flag_code: str = ""

    def as_json(self) -> dict[str, str]:
        return {"level": self.level, "text": self.text}


def days_word(count: int) -> str:
    return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}


def _too_early_text(built: Report) -> str:
    more_leans = max(0, TOO_EARLY_LEANS - built.incidents)
    more_days = max(0, TOO_EARLY_DAYS - built.covered_days)
    if built.incidents == 0:
        so_far = _("Too early to see patterns: no leans logged in this period yet.")
    else:
        so_far = ngettext(
            "Too early to see patterns: %(count)s lean so far.",
            "Too early to see patterns: %(count)s leans so far.",
            built.incidents,
        ) % {"count": built.incidents}
    values = {"leans": more_leans, "days": more_days}
    if more_leans and more_days == 1:
        needs = ngettext(
            # Translators: %(days)s is 1 here.
            "With %(leans)s more lean and %(days)s more day of journal, "
            "Leanlog can start to tell what the leaning is about.",
            "With %(leans)s more leans and %(days)s more day of journal, "
            "Leanlog can start to tell what the leaning is about.",
            more_leans,
        )
    elif more_leans and more_days:
        needs = ngettext(
            # Translators: %(days)s is 2 or more here.
            "With %(leans)s more lean and %(days)s more days of journal, "
            "Leanlog can start to tell what the leaning is about.",
            "With %(leans)s more leans and %(days)s more days of journal, "
            "Leanlog can start to tell what the leaning is about.",
            more_leans,
        )
    elif more_leans:
        needs = ngettext(
            "With %(leans)s more lean, Leanlog can start to tell what the leaning is about.",
            "With %(leans)s more leans, Leanlog can start to tell what the leaning is about.",
            more_leans,
        )
    else:
        needs = ngettext(
            "With %(days)s more day of journal, Leanlog can start to tell what the leaning is about.",
            "With %(days)s more days of journal, Leanlog can start to tell what the leaning is about.",
            more_days,
        )
    return f"{so_far} {needs % values}"


def is_sparse(observed: int, covered: int) -> bool:
    """Fewer observed days than half of the period's days from the journal's start."""
    return observed < covered * CLEAR_COVERAGE


def _handled_on(flag: Flag, shared: bool) -> str:
    """The sentence saying when a flag was marked as handled, to the owner or on the vet's copy."""
    day = {"date": date_in_sentence(flag.acknowledged.on)} if flag.acknowledged else {}
    if shared:
        # Translators: for the vet's copy: "the family" is the dog's household; %(date)s a date.
        return _("The family marked it as handled on %(date)s.") % day
    # Translators: to the owner; %(date)s is a date ("3 March 2025").
    return _("You marked it as handled on %(date)s.") % day


def _clear_text(built: Report, shared: bool) -> str:
    """The clear bill: its plural follows the leans; each form of the observed days is its own message."""
    days = built.period.days
    if days == YEAR_DAYS:
        # Translators: the period after "No concerns in" ("No concerns in the past year: …").
        period = pgettext("verdict period", "the past year")
    else:
        # Translators: the period after "No concerns in" ("No concerns in these 30 days: …").
        period = npgettext("verdict period", "these %(count)s day", "these %(count)s days", days) % {
            "count": days
        }
    values = {
        "period": period,
        "leans": built.incidents,
        "days": built.observed_days,
        "dog": built.dog.name,
    }
    one_day = built.observed_days == 1
    if shared and one_day:
        text = ngettext(
            # Translators: for the vet's copy ("the family" is the dog's household); %(days)s is 1 here.
            "No concerns in %(period)s: %(leans)s lean across the %(days)s day the family noted being "
            "with %(dog)s, none with a sign to watch.",
            "No concerns in %(period)s: %(leans)s leans across the %(days)s day the family noted being "
            "with %(dog)s, none with a sign to watch.",
            built.incidents,
        )
    elif shared:
        text = ngettext(
            # Translators: for the vet's copy ("the family" is the dog's household); %(days)s is 2 or more.
            "No concerns in %(period)s: %(leans)s lean across the %(days)s days the family noted being "
            "with %(dog)s, none with a sign to watch.",
            "No concerns in %(period)s: %(leans)s leans across the %(days)s days the family noted being "
            "with %(dog)s, none with a sign to watch.",
            built.incidents,
        )
    elif one_day:
        text = ngettext(
            # Translators: to the owner; %(days)s is 1 here; %(dog)s is the dog's name.
            "No concerns in %(period)s: %(leans)s lean across the %(days)s day you noted being "
            "with %(dog)s, none with a sign to watch.",
            "No concerns in %(period)s: %(leans)s leans across the %(days)s day you noted being "
            "with %(dog)s, none with a sign to watch.",
            built.incidents,
        )
    else:
        text = ngettext(
            # Translators: to the owner; %(days)s is 2 or more; %(dog)s is the dog's name.
            "No concerns in %(period)s: %(leans)s lean across the %(days)s days you noted being "
            "with %(dog)s, none with a sign to watch.",
            "No concerns in %(period)s: %(leans)s leans across the %(days)s days you noted being "
            "with %(dog)s, none with a sign to watch.",
            built.incidents,
        )
    return text % values


def _sparse_text(built: Report) -> str:
    """Nothing flagged in few observed days: the plural follows the leans; each form of the days is
    its own message."""
    values = {"leans": built.incidents, "observed": built.observed_days, "days": built.covered_days}
    if built.covered_days == 1:
        text = ngettext(
            # Translators: %(observed)s of %(days)s days (1 here) had a lean or a check-in.
            "Nothing flagged in %(leans)s lean, but the journal covers only %(observed)s of %(days)s day.",
            "Nothing flagged in %(leans)s leans, but the journal covers only %(observed)s of %(days)s day.",
            built.incidents,
        )
    else:
        text = ngettext(
            # Translators: %(observed)s of %(days)s days (2 or more) had a lean or a check-in.
            "Nothing flagged in %(leans)s lean, but the journal covers only %(observed)s of %(days)s days.",
            "Nothing flagged in %(leans)s leans, but the journal covers only %(observed)s of %(days)s days.",
            built.incidents,
        )
    return text % values


def verdict_of(built: Report, hide_acknowledged: bool = False, shared: bool = False) -> Verdict:
    """The first that applies of vet, watch, note, too_early, info, sparse, clear, in one sentence.

    The dog page and the home card hide acknowledged flags; the report keeps them. The vet's
    copy (`shared`) speaks of the household in the third person.
    """
    flags = [flag for flag in built.flags if not (hide_acknowledged and flag.acknowledged)]
    for level in (Level.VET, Level.WATCH):
        serious = [flag for flag in flags if flag.level == level]
        if serious:
            flag = serious[0]
            # Each a sentence of its own: the flag's title, when it was handled, and more to read.
            sentences = [f"{flag.title}."]
            if flag.acknowledged:
                sentences.append(_handled_on(flag, shared))
            if len(serious) + len(built.notes) > 1:
                # Translators: after the verdict's sentence: more flags or notes follow on the page.
                sentences.append(_("More below."))
            return Verdict(str(level), " ".join(sentences), flag.code)
    if built.notes:
        note = built.notes[0]
        advice = note.advice_for_vet if shared else note.advice
        # Translators: a note's title, then its advice (its first letter lower-cased, except in German).
        text = _("%(title)s: %(advice)s") % {"title": note.title, "advice": in_sentence(advice, whole=False)}
        return Verdict("note", text)
    if built.too_early:
        return Verdict("too_early", _too_early_text(built))
    handled = [flag for flag in built.flags if flag.acknowledged and flag not in flags]
    if handled:
        # A flag marked as handled is quiet, not gone: never a clear bill while it stands.
        flag = handled[0]
        values = {"title": flag.title, "date": date_in_sentence(flag.acknowledged.on)}
        if shared:
            text = _(
                # Translators: for the vet's copy ("the family" is the dog's household). %(title)s is a
                # flag's title, %(date)s a date ("3 March 2025").
                "The family marked “%(title)s” as handled on %(date)s. "
                "Leanlog will bring it up again if a new lean shows it."
            )
        else:
            text = _(
                # Translators: to the owner. %(title)s is a flag's title, %(date)s a date ("3 March 2025").
                "You marked “%(title)s” as handled on %(date)s. "
                "Leanlog will bring it up again if a new lean shows it."
            )
        return Verdict("info", text % values)
    if flags:
        # Translators: %(title)s is a flag's title, lower-cased (except in German).
        text = _("Nothing here asks for the vet or for watching. Good to know: %(title)s.") % {
            "title": in_sentence(flags[0].title)
        }
        return Verdict("info", text, flags[0].code)
    if is_sparse(built.observed_days, built.covered_days):
        return Verdict("sparse", _sparse_text(built))
    return Verdict("clear", _clear_text(built, shared))


# What the page shows beside the numbers: pure, from the report alone.


# A change this small reads as "about the same": one lean, or under a tenth of the earlier count.
SMALL_CHANGE_LEANS = 1
SMALL_CHANGE_PCT = 10


@dataclass(frozen=True)
class Change:
    direction: str  # up, down, same or none (nothing to compare with)
    difference: int
    pct: int | None
    partial: bool

    @property
    def small(self) -> bool:
        """Up or down by so little that it is no news (shown, but not in a warning colour)."""
        if self.direction not in ("up", "down"):
            return False
        return self.difference <= SMALL_CHANGE_LEANS or (self.pct is not None and self.pct < SMALL_CHANGE_PCT)


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
    # The leans a single choice's shares rest on, when some leans left it blank ("" otherwise).
    basis: str = ""


def basis_of(key: str, noted: int, n: int) -> str:
    """The leans a share counts when some left the field blank: "the 1 of 2 leans with a place noted"."""
    if noted == n or not noted:
        return ""
    values = {"count": noted, "total": n}
    # Translators: the leans a breakdown's shares rest on, shown in brackets after an answer.
    if key == "locations":
        return (
            ngettext(
                "the %(count)s of %(total)s leans with a place noted",
                "the %(count)s of %(total)s leans with a place noted",
                noted,
            )
            % values
        )
    if key == "owner_activities":
        return (
            ngettext(
                "the %(count)s of %(total)s leans with an activity noted",
                "the %(count)s of %(total)s leans with an activity noted",
                noted,
            )
            % values
        )
    return (
        ngettext(
            "the %(count)s of %(total)s leans with a response noted",
            "the %(count)s of %(total)s leans with a response noted",
            noted,
        )
        % values
    )


def shares_note(key: str, noted: int, n: int) -> str:
    """The note under a single choice's breakdown: whose shares they are."""
    if noted == n or not noted:
        return _("Shares of the leans where this was noted.")
    values = {"count": noted, "total": n}
    if key == "locations":
        return (
            ngettext(
                "Shares of the %(count)s of %(total)s leans with a place noted.",
                "Shares of the %(count)s of %(total)s leans with a place noted.",
                noted,
            )
            % values
        )
    if key == "owner_activities":
        return (
            ngettext(
                "Shares of the %(count)s of %(total)s leans with an activity noted.",
                "Shares of the %(count)s of %(total)s leans with an activity noted.",
                noted,
            )
            % values
        )
    return (
        ngettext(
            "Shares of the %(count)s of %(total)s leans with a response noted.",
            "Shares of the %(count)s of %(total)s leans with a response noted.",
            noted,
        )
        % values
    )


def _breakdown_rows(counts: dict[str, int], labels: dict[str, str], n: int) -> list[BreakdownRow]:
    # Each label translated here, once: the bars, the table and the page's text each write it.
    return [
        BreakdownRow(code, str(labels.get(code, code)), count, percent(count, n))
        for code, count in counts.items()
    ]


def breakdowns(built: Report) -> list[Breakdown]:
    """Each breakdown's rows; single choices share out the leans that noted them."""
    n = built.incidents
    several = _("A lean can have several, so the shares can add up to more than 100%.")
    singles = (
        (
            "locations",
            # Translators: a breakdown's title: where the leans happened.
            pgettext("breakdown", "Where"),
            "bi-geo-alt",
            built.locations,
            dict(Location.choices),
            _("The place was not noted."),
        ),
        (
            "owner_activities",
            _("What you were doing"),
            "bi-person-walking",
            built.owner_activities,
            dict(OwnerActivity.choices),
            _("What you were doing was not noted."),
        ),
        (
            "owner_responses",
            _("How you answered"),
            "bi-chat-heart",
            built.owner_responses,
            dict(OwnerResponse.choices),
            _("How you answered was not noted."),
        ),
    )
    parts = [
        Breakdown(
            "signs",
            _("How the dog looked"),
            "bi-eye",
            _breakdown_rows(built.signs, dict(Sign.choices), n),
            several,
            _("No signs were noted."),
            0,
        ),
        Breakdown(
            "triggers",
            _("What was going on"),
            "bi-lightning",
            _breakdown_rows(built.triggers, dict(Trigger.choices), n),
            several,
            _("No triggers were noted."),
            0,
        ),
    ]
    for key, title, icon, counts, labels, empty in singles:
        noted = sum(counts.values())
        parts.append(
            Breakdown(
                key,
                title,
                icon,
                _breakdown_rows(counts, labels, noted),
                shares_note(key, noted, n),
                empty,
                n - noted,
                basis_of(key, noted, n),
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


def intensity_basis(built: Report) -> str:
    """The leans the mean intensity rests on: all of them, or those that noted it, of all."""
    noted = built.noted.get("intensity", 0)
    if noted == built.incidents:
        if noted == 1:
            return _("from the 1 lean")
        return ngettext("from all %(count)s lean", "from all %(count)s leans", noted) % {"count": noted}
    return ngettext(
        "from the %(count)s of %(total)s leans with an intensity noted",
        "from the %(count)s of %(total)s leans with an intensity noted",
        noted,
    ) % {"count": noted, "total": built.incidents}


def intensity_summary(built: Report) -> str:
    """The mean intensity's name and the leans it rests on: "about a steady lean, from all 3 leans"."""
    noted = built.noted.get("intensity", 0)
    values = {"intensity": intensity_word(built.mean_intensity), "count": noted, "total": built.incidents}
    if noted == built.incidents:
        if noted == 1:
            # Translators: %(intensity)s is an intensity's name, lower-cased except in German ("steady lean").
            return _("about a %(intensity)s, from the 1 lean") % values
        return (
            ngettext(
                # Translators: %(intensity)s is an intensity's name, lower-cased except in German
                # ("steady lean").
                "about a %(intensity)s, from all %(count)s lean",
                "about a %(intensity)s, from all %(count)s leans",
                noted,
            )
            % values
        )
    return (
        ngettext(
            # Translators: %(intensity)s is an intensity's name, lower-cased except in German ("steady lean").
            "about a %(intensity)s, from the %(count)s of %(total)s leans with an intensity noted",
            "about a %(intensity)s, from the %(count)s of %(total)s leans with an intensity noted",
            noted,
        )
        % values
    )


def has_rate(built: Report) -> bool:
    """A rate per week rests on at least a week of journal; under that, counts only."""
    return built.covered_days >= MIN_RATE_DAYS


def has_heat_map(built: Report) -> bool:
    """A map of hours and weekdays needs enough leans not to be a grid of zeros."""
    return built.incidents >= HEAT_MAP_MIN_LEANS


def intensity_word(mean: float | None) -> str:
    """The name of the nearest intensity, to read after "about a"."""
    if mean is None:
        return ""
    return in_sentence(str(INTENSITY_WORDS[min(5, max(1, int(mean + 0.5)))]))
