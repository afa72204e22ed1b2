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

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from journal.report.period import date_in_sentence, decimal_text
from journal.vocabulary import GROUP_OF_SIGN, ONE_DAY_EVENT_KINDS, SignGroup

MAX_WINDOW_DAYS = 28
# Under a week on either side, or under 4 observed days in a window, nothing is compared.
MIN_WINDOW_DAYS = 7
MIN_OBSERVED_DAYS = 4
# Fewer: after ≤ ⅔ × before and at least 3 fewer; more: after ≥ 1.5 × before and at least 3 more.
FEWER_RATIO = (2, 3)
MORE_RATIO = (3, 2)
MIN_DIFFERENCE = 3
GROUPS = (SignGroup.PHYSICAL.value, SignGroup.ANXIETY.value, SignGroup.ITCH.value)
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
    return date_in_sentence(day, today)


def _since(event: EventFacts, today: dt.date) -> str:
    """What opens each sentence about an event: "Since “Carprofen” began on 3 March"."""
    values = {"title": event.title, "date": _day(event.started_on, today)}
    if event.kind in ONE_DAY_EVENT_KINDS:
        # Translators: opens a sentence on the leans after an event of one day, a vet visit or a
        # move (%(since)s in the sentences after it). %(title)s is the owner's name for it,
        # %(date)s its day in words ("3 March").
        return _("Since “%(title)s” on %(date)s") % values
    # Translators: opens a sentence on the leans since an event that goes on, a medication or a
    # diet (%(since)s in the sentences after it). %(title)s is the owner's name for it, %(date)s
    # its first day in words ("3 March").
    return _("Since “%(title)s” began on %(date)s") % values


def _group_change(group: str, before: int, after: int) -> str:
    """One group's change, a self-contained item of the comparison's list ("… 2 → 0")."""
    values = {"before": before, "after": after}
    if group == SignGroup.PHYSICAL:
        # Translators: an item of a list of changes; before → after counts of leans.
        return _("leans with a physical sign %(before)s → %(after)s") % values
    if group == SignGroup.ANXIETY:
        # Translators: an item of a list of changes; before → after counts of leans.
        return _("leans with an anxiety sign %(before)s → %(after)s") % values
    # Translators: an item of a list of changes; before → after counts of leans.
    return _("leans with an itch sign %(before)s → %(after)s") % values


def _what_is_needed(
    days: int,
    before: Window,
    after: Window,
    started_on: dt.date,
    journal_start: dt.date,
    today: dt.date,
    shared: bool = False,
    since: str = "",
) -> str:
    """The whole too-early sentence about an event, opened by `since` (_since)."""
    values: dict[str, object] = {"since": since, "minimum": MIN_WINDOW_DAYS}
    if (started_on - journal_start).days < MIN_WINDOW_DAYS:
        values["count"] = max(0, (started_on - journal_start).days)
        return (
            ngettext(
                # Translators: the owner's report and the vet's copy alike. %(since)s opens the
                # sentence ("Since “Anxiety medication” began on 3 March").
                "%(since)s: the journal began only %(count)s day before it; "
                "a comparison needs at least %(minimum)s days of journal on each side.",
                "%(since)s: the journal began only %(count)s days before it; "
                "a comparison needs at least %(minimum)s days of journal on each side.",
                values["count"],
            )
            % values
        )
    if days < MIN_WINDOW_DAYS:
        if shared:
            # The vet's link keeps the dates it was made with: it never gets to "look again".
            values["count"] = days
            return (
                ngettext(
                    # Translators: for the vet's copy of the report.
                    "%(since)s: too early to compare; the report’s dates cover "
                    "only %(count)s day from its start, and a comparison needs at least "
                    "%(minimum)s on each side.",
                    "%(since)s: too early to compare; the report’s dates cover "
                    "only %(count)s days from its start, and a comparison needs at least "
                    "%(minimum)s on each side.",
                    days,
                )
                % values
            )
        ready = started_on + dt.timedelta(days=MIN_WINDOW_DAYS - 1)
        values["ready"] = _day(ready, today)
        # Translators: for the owner; %(ready)s is a date in words ("9 March").
        return _("%(since)s: too early to compare; look again from %(ready)s.") % values
    missing_before = max(0, MIN_OBSERVED_DAYS - before.observed_days)
    missing_after = max(0, MIN_OBSERVED_DAYS - after.observed_days)
    values.update(
        before=missing_before,
        after=missing_after,
        before_start=_day(before.start, today),
        before_end=_day(before.end, today),
        after_end=_day(after.end, today),
    )
    if missing_before and missing_after:
        return _both_needed(missing_before, missing_after, shared) % values
    if missing_before:
        if shared:
            return (
                ngettext(
                    # Translators: for the vet's copy; "the family" is the dog's household. %(before_start)s
                    # and %(before_end)s are dates in words.
                    "%(since)s: the family needs to check in on "
                    "%(before)s more day "
                    "between %(before_start)s and %(before_end)s to compare.",
                    "%(since)s: the family needs to check in on "
                    "%(before)s more days "
                    "between %(before_start)s and %(before_end)s to compare.",
                    missing_before,
                )
                % values
            )
        return (
            ngettext(
                # Translators: for the owner. %(before_start)s and %(before_end)s are dates in words.
                "%(since)s: check in on %(before)s more day "
                "between %(before_start)s and %(before_end)s to compare.",
                "%(since)s: check in on %(before)s more days "
                "between %(before_start)s and %(before_end)s to compare.",
                missing_before,
            )
            % values
        )
    if shared:
        return (
            ngettext(
                # Translators: for the vet's copy; "the family" is the dog's household. %(after_end)s
                # is a date in words.
                "%(since)s: the family needs to check in on %(after)s more day by %(after_end)s to compare.",
                "%(since)s: the family needs to check in on %(after)s more days by %(after_end)s to compare.",
                missing_after,
            )
            % values
        )
    return (
        ngettext(
            # Translators: for the owner. %(after_end)s is a date in words.
            "%(since)s: check in on %(after)s more day by %(after_end)s to compare.",
            "%(since)s: check in on %(after)s more days by %(after_end)s to compare.",
            missing_after,
        )
        % values
    )


def _both_needed(missing_before: int, missing_after: int, shared: bool) -> str:
    """The sentence asking for check-ins on both sides: its plural follows the days before; each
    form of the days after is its own message (one day, or several)."""
    if shared and missing_after == 1:
        return ngettext(
            # Translators: for the vet's copy; %(after)s is 1 here. Dates are in words.
            "%(since)s: the family needs to check in on %(before)s more day "
            "between %(before_start)s and %(before_end)s and check in on %(after)s more day by "
            "%(after_end)s to compare.",
            "%(since)s: the family needs to check in on %(before)s more days "
            "between %(before_start)s and %(before_end)s and check in on %(after)s more day by "
            "%(after_end)s to compare.",
            missing_before,
        )
    if shared:
        return ngettext(
            # Translators: for the vet's copy; %(after)s is 2 or more here. Dates are in words.
            "%(since)s: the family needs to check in on %(before)s more day "
            "between %(before_start)s and %(before_end)s and check in on %(after)s more days by "
            "%(after_end)s to compare.",
            "%(since)s: the family needs to check in on %(before)s more days "
            "between %(before_start)s and %(before_end)s and check in on %(after)s more days by "
            "%(after_end)s to compare.",
            missing_before,
        )
    if missing_after == 1:
        return ngettext(
            # Translators: for the owner; %(after)s is 1 here. Dates are in words.
            "%(since)s: check in on %(before)s more day between "
            "%(before_start)s and %(before_end)s and check in on %(after)s more "
            "day by %(after_end)s to compare.",
            "%(since)s: check in on %(before)s more days between "
            "%(before_start)s and %(before_end)s and check in on %(after)s more "
            "day by %(after_end)s to compare.",
            missing_before,
        )
    return ngettext(
        # Translators: for the owner; %(after)s is 2 or more here. Dates are in words.
        "%(since)s: check in on %(before)s more day between "
        "%(before_start)s and %(before_end)s and check in on %(after)s more "
        "days by %(after_end)s to compare.",
        "%(since)s: check in on %(before)s more days between "
        "%(before_start)s and %(before_end)s and check in on %(after)s more "
        "days by %(after_end)s to compare.",
        missing_before,
    )


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
    since = _since(event, today)
    if change == "too_early":
        return _what_is_needed(days, before, after, event.started_on, journal_start, today, shared, since)
    # Translators: the first item of a list of changes: leans a week before → after ("0.50 → 1.25").
    parts = [
        _("%(before)s → %(after)s leans a week")
        % {"before": decimal_text(before.rate_per_week, 2), "after": decimal_text(after.rate_per_week, 2)}
    ]
    parts += [
        _group_change(group, before.count_of(group), after.count_of(group))
        for group in GROUPS
        if before.count_of(group) or after.count_of(group)
    ]
    # Translators: joins the items of a list of changes ("0.50 → 1.25 leans a week, leans with …").
    values = {
        "since": since,
        "changes": pgettext("list", ", ").join(parts),
        "days": days,
    }
    # The change first, then its numbers: "no clear change" reads as the verdict on the leans, not
    # on the last number before it.
    if change == "fewer":
        sentence = ngettext(
            # Translators: %(since)s opens the sentence ("Since “Carprofen” began on 3 March"),
            # %(days)s the days compared on each side, %(changes)s a list of changes in brackets.
            "%(since)s: fewer leans in %(days)s day than in the %(days)s before (%(changes)s).",
            "%(since)s: fewer leans in %(days)s days than in the %(days)s before (%(changes)s).",
            days,
        )
    elif change == "more":
        sentence = ngettext(
            # Translators: as in the sentence with "fewer leans".
            "%(since)s: more leans in %(days)s day than in the %(days)s before (%(changes)s).",
            "%(since)s: more leans in %(days)s days than in the %(days)s before (%(changes)s).",
            days,
        )
    else:
        # Not "about as many": 15 → 20 leans is no clear change by the rule, yet a third more.
        sentence = ngettext(
            # Translators: as in the sentence with "fewer leans"; the change is too small to call
            # either way (the numbers in brackets may still differ).
            "%(since)s: no clear change in leans over %(days)s day against "
            "the %(days)s before (%(changes)s).",
            "%(since)s: no clear change in leans over %(days)s days against "
            "the %(days)s before (%(changes)s).",
            days,
        )
    sentences = [sentence % values]
    if change_of(before.observed_days, after.observed_days) != "same":
        # The days noted moved by as much as a change of leans would: a count can follow them.
        sentences.append(
            # Translators: observed days (a lean or a check-in) in the windows before and after an event.
            _(
                "Noted on %(before)s days before and %(after)s after: "
                "part of the difference may be days nobody noted."
            )
            % {"before": before.observed_days, "after": after.observed_days}
        )
    if overlapping:
        # Translators: one event in a list: its name and its first day ("“Walks at noon” (3 March)").
        named = [
            _("“%(title)s” (%(date)s)") % {"title": other.title, "date": _day(other.started_on, today)}
            for other in overlapping
        ]
        # Translators: %(events)s is a list of other events with the first day of each, a course
        # begun or a vet visit: words that fit both.
        sentences.append(
            _("Also in these weeks: %(events)s.") % {"events": pgettext("list", ", ").join(named)}
        )
    sentences.append(_("Other things may have changed too."))
    return " ".join(sentences)


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
