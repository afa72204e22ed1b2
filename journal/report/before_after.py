"""Before and after an event: two equal windows of the journal around its start, compared. Pure.

For an event starting on S, L = min(28, the days from S to the period's end inclusive, the days
from the journal's first day to S exclusive); before = [S - L, S - 1], after = [S, S + L - 1],
days in the owner's zone. The change compares the windows' lean counts (docs/report-rules.md).
The words say what the journal shows, never that a treatment worked. Each comparison is said
twice: to the family ("check in on 3 more days") and, for the vet's copy, of the family in the
third person ("the family needs to check in on 3 more days").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from journal.vocabulary import GROUP_OF_SIGN, SignGroup

MAX_WINDOW_DAYS = 28
# Under a week on either side, or under 4 observed days in a window, nothing is compared.
MIN_WINDOW_DAYS = 7
MIN_OBSERVED_DAYS = 4
# Fewer: after ≤ ⅔ × before and at least 3 fewer; more: after ≥ 1.5 × before and at least 3 more.
FEWER_RATIO = (2, 3)
MORE_RATIO = (3, 2)
MIN_DIFFERENCE = 3
GROUPS = (SignGroup.PHYSICAL.value, SignGroup.ANXIETY.value, SignGroup.ITCH.value)
GROUP_WORDS = {
    SignGroup.PHYSICAL: "leans with a physical sign",
    SignGroup.ANXIETY: "leans with an anxiety sign",
    SignGroup.ITCH: "leans with an itch sign",
}
CHANGES = ("too_early", "fewer", "more", "same")
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class EventFacts:
    id: int
    kind: str
    title: str
    started_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class LeanDay:
    """What a window needs of one lean: its day in the owner's zone, its intensity, its signs."""

    day: dt.date
    intensity: int | None
    signs: tuple[str, ...]


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date
    incidents: int
    observed_days: int
    rate_per_week: float
    physical: int
    anxiety: int
    itch: int
    mean_intensity: float | None

    def count_of(self, group: str) -> int:
        return getattr(self, group)

    def as_json(self) -> dict[str, object]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "incidents": self.incidents,
            "observed_days": self.observed_days,
            "rate_per_week": self.rate_per_week,
            "physical": self.physical,
            "anxiety": self.anxiety,
            "itch": self.itch,
            "mean_intensity": self.mean_intensity,
        }


@dataclass(frozen=True)
class Comparison:
    window_days: int
    before: Window
    after: Window
    change: str
    by_group: dict[str, str]
    overlaps: list[int]
    text: str
    # The same sentence for the vet's copy: the household in the third person.
    shared_text: str

    def as_json(self, shared: bool = False) -> dict[str, object]:
        return {
            "window_days": self.window_days,
            "before": self.before.as_json(),
            "after": self.after.as_json(),
            "change": self.change,
            "by_group": self.by_group,
            "overlaps": self.overlaps,
            "text": self.shared_text if shared else self.text,
        }


@dataclass(frozen=True)
class EventReport:
    event: EventFacts
    comparison: Comparison | None

    def as_json(self, shared: bool = False) -> dict[str, object]:
        return {
            "id": self.event.id,
            "kind": self.event.kind,
            "title": self.event.title,
            "started_on": self.event.started_on.isoformat(),
            "ended_on": self.event.ended_on.isoformat() if self.event.ended_on else None,
            "comparison": self.comparison.as_json(shared) if self.comparison else None,
        }


def is_compared(event: EventFacts, period_start: dt.date, period_end: dt.date) -> bool:
    """Its start lies in the period, or before it while the event still goes on at the period's start."""
    if period_start <= event.started_on <= period_end:
        return True
    return event.started_on < period_start and (event.ended_on is None or event.ended_on >= period_start)


def window_days(started_on: dt.date, period_end: dt.date, journal_start: dt.date) -> int:
    """L = min(28, days from S to the period's end inclusive, from the journal's first day to S exclusive)."""
    return max(0, min(MAX_WINDOW_DAYS, (period_end - started_on).days + 1, (started_on - journal_start).days))


def windows(started_on: dt.date, days: int) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """Before = [S - L, S - 1] and after = [S, S + L - 1]."""
    one = dt.timedelta(days=1)
    span = dt.timedelta(days=days)
    return (started_on - span, started_on - one), (started_on, started_on + span - one)


# What a day adds to a window: leans, intensity sum, leans with an intensity, then a count per group.
DaySum = list[int]


@cache
def _group_places(signs: tuple[str, ...]) -> tuple[int, ...]:
    """Where a lean with these signs counts in a DaySum: once per group it touches."""
    touched = {GROUP_OF_SIGN.get(sign) for sign in signs}
    return tuple(3 + place for place, group in enumerate(GROUPS) if group in touched)


def day_sums(leans: Iterable[LeanDay]) -> dict[dt.date, DaySum]:
    """The leans added up per day, once, so that each window reads at most 28 days, not every lean."""
    sums: dict[dt.date, DaySum] = {}
    size = 3 + len(GROUPS)
    for lean in leans:
        day = sums.get(lean.day)
        if day is None:
            day = sums[lean.day] = [0] * size
        day[0] += 1
        if lean.intensity:
            day[1] += lean.intensity
            day[2] += 1
        for place in _group_places(lean.signs):
            day[place] += 1
    return sums


def count_window(
    start: dt.date,
    end: dt.date,
    days: int,
    leans: Iterable[LeanDay] | dict[dt.date, DaySum],
    checkin_days: Iterable[dt.date],
) -> Window:
    """The window's counts: leans, observed days (a lean or a check-in), rate, groups, mean intensity.

    `leans` may come already added up per day (day_sums).
    """
    sums = leans if isinstance(leans, dict) else day_sums(leans)
    total = [0] * (3 + len(GROUPS))
    observed = {day for day in checkin_days if start <= day <= end}
    day = start
    while day <= end:
        found = sums.get(day)
        if found:
            observed.add(day)
            total = [a + b for a, b in zip(total, found, strict=True)]
        day += ONE_DAY
    incidents, intensity, noted = total[:3]
    return Window(
        start=start,
        end=end,
        incidents=incidents,
        observed_days=len(observed),
        rate_per_week=round(incidents / days * 7, 2) if days else 0.0,
        mean_intensity=round(intensity / noted, 1) if noted else None,
        **dict(zip(GROUPS, total[3:], strict=True)),
    )


def is_too_early(days: int, before: Window, after: Window) -> bool:
    """Too early: under 7 days a side, or under 4 observed days in either window."""
    return days < MIN_WINDOW_DAYS or min(before.observed_days, after.observed_days) < MIN_OBSERVED_DAYS


def change_of(before: int, after: int, too_early: bool = False) -> str:
    """fewer: after ≤ ⅔ x before, 3 or more fewer; more: after ≥ 1.5 x before, 3 or more more; else same."""
    if too_early:
        return "too_early"
    # In whole numbers, so that 6 → 4 is exactly two thirds.
    if after * FEWER_RATIO[1] <= before * FEWER_RATIO[0] and before - after >= MIN_DIFFERENCE:
        return "fewer"
    if after * MORE_RATIO[1] >= before * MORE_RATIO[0] and after - before >= MIN_DIFFERENCE:
        return "more"
    return "same"


def _day(day: dt.date, today: dt.date) -> str:
    return f"{day:%-d %B}" if day.year == today.year else f"{day:%-d %B %Y}"


def _what_is_needed(
    days: int,
    before: Window,
    after: Window,
    started_on: dt.date,
    journal_start: dt.date,
    today: dt.date,
    shared: bool = False,
) -> str:
    if (started_on - journal_start).days < MIN_WINDOW_DAYS:
        return (
            f"the journal began only {max(0, (started_on - journal_start).days)} days before it; "
            f"a comparison needs at least {MIN_WINDOW_DAYS} days of journal on each side."
        )
    if days < MIN_WINDOW_DAYS:
        if shared:
            # The vet's link keeps the dates it was made with: it never gets to "look again".
            return (
                f"too early to compare; the report’s dates cover only {days} day{'s' if days != 1 else ''} "
                f"from its start, and a comparison needs at least {MIN_WINDOW_DAYS} on each side."
            )
        ready = started_on + dt.timedelta(days=MIN_WINDOW_DAYS - 1)
        return f"too early to compare; look again from {_day(ready, today)}."
    needs = []
    if before.observed_days < MIN_OBSERVED_DAYS:
        missing = MIN_OBSERVED_DAYS - before.observed_days
        needs.append(
            f"check in on {missing} more day{'s' if missing != 1 else ''} between "
            f"{_day(before.start, today)} and {_day(before.end, today)}"
        )
    if after.observed_days < MIN_OBSERVED_DAYS:
        missing = MIN_OBSERVED_DAYS - after.observed_days
        needs.append(
            f"check in on {missing} more day{'s' if missing != 1 else ''} by {_day(after.end, today)}"
        )
    who = "the family needs to " if shared else ""
    return f"{who}{' and '.join(needs)} to compare."


def _words(
    event: EventFacts,
    days: int,
    before: Window,
    after: Window,
    change: str,
    overlapping: Sequence[EventFacts],
    journal_start: dt.date,
    today: dt.date,
    shared: bool = False,
) -> str:
    began = f"Since “{event.title}” began on {_day(event.started_on, today)}"
    if change == "too_early":
        needed = _what_is_needed(days, before, after, event.started_on, journal_start, today, shared)
        return f"{began}: {needed}"
    parts = [f"{before.rate_per_week:.2f} → {after.rate_per_week:.2f} leans a week"]
    parts += [
        f"{GROUP_WORDS[group]} {before.count_of(group)} → {after.count_of(group)}"
        for group in GROUPS
        if before.count_of(group) or after.count_of(group)
    ]
    summary = {"fewer": "fewer leans", "more": "more leans", "same": "about the same"}[change]
    sentence = f"{began}: {', '.join(parts)} ({days} days before and after: {summary})."
    if overlapping:
        named = ", ".join(f"“{other.title}” ({_day(other.started_on, today)})" for other in overlapping)
        sentence += f" Also begun in these weeks: {named}."
    return f"{sentence} Other things may have changed too."


def compare(
    event: EventFacts,
    others: Iterable[EventFacts],
    period_end: dt.date,
    journal_start: dt.date,
    leans: Sequence[LeanDay] | dict[dt.date, DaySum],
    checkin_days: Sequence[dt.date],
    today: dt.date,
) -> Comparison:
    """The event's two windows, their change overall and by group, the events overlapping them, in words."""
    days = window_days(event.started_on, period_end, journal_start)
    (before_start, before_end), (after_start, after_end) = windows(event.started_on, days)
    before = count_window(before_start, before_end, days, leans, checkin_days)
    after = count_window(after_start, after_end, days, leans, checkin_days)
    too_early = is_too_early(days, before, after)
    change = change_of(before.incidents, after.incidents, too_early)
    by_group = {
        group: change_of(before.count_of(group), after.count_of(group), too_early) for group in GROUPS
    }
    overlapping = [
        other
        for other in sorted(others, key=lambda o: (o.started_on, o.id))
        if other.id != event.id and days and before_start <= other.started_on <= after_end
    ]
    said = [
        _words(event, days, before, after, change, overlapping, journal_start, today, shared)
        for shared in (False, True)
    ]
    return Comparison(days, before, after, change, by_group, [other.id for other in overlapping], *said)


def event_reports(
    events: Sequence[EventFacts],
    period_start: dt.date,
    period_end: dt.date,
    journal_start: dt.date,
    leans: Sequence[LeanDay] | dict[dt.date, DaySum],
    checkin_days: Sequence[dt.date],
    today: dt.date,
) -> list[EventReport]:
    """The events the period concerns (is_compared), in start order, each with its comparison.

    Every event of the dog may overlap a window, so all of them are passed in. The leans may
    come one by one or already added up per day (day_sums, or the database's window_day_sums).
    """
    ordered = sorted(events, key=lambda event: (event.started_on, event.id))
    sums = leans if isinstance(leans, dict) else day_sums(leans)
    checkins = sorted(set(checkin_days))
    return [
        EventReport(event, compare(event, ordered, period_end, journal_start, sums, checkins, today))
        for event in ordered
        if is_compared(event, period_start, period_end)
    ]


def window_ranges(
    events: Iterable[EventFacts], period_start: dt.date, period_end: dt.date, journal_start: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """The days each compared event's windows span: what the loader reads leans and check-ins for."""
    ranges = []
    for event in events:
        if is_compared(event, period_start, period_end):
            days = window_days(event.started_on, period_end, journal_start)
            if days:
                (start, _), (_, end) = windows(event.started_on, days)
                ranges.append((start, end))
    return ranges
