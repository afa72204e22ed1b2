"""What a run of leans adds up to, in terms that add up again (Tally).

`tally_of` reads rows as the loader returns them (ROW_FIELDS, times as microseconds) in one
pass; `merged` joins the tallies of back-to-back runs into the tally of all of them, exactly as
if the rows had been read together. The report (journal.report.numbers) finishes a period's tally into
its numbers; journal.report.kept_months keeps a tally per month, so that a long report adds up a few
dozen kept months and reads only the leans of its ragged ends.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from journal.fields import CodeSetField
from journal.report.before_after import GROUPS as WINDOW_GROUPS
from journal.report.rules import (
    BUSY_ACTIVITIES,
    Profile,
    moment_of,
    rule_activity,
    rule_outcome,
    rule_response,
    rule_signs,
    rule_triggers,
)
from journal.vocabulary import GROUP_OF_SIGN, Location, OwnerActivity, SignGroup, Trigger

# The columns the report reads, in the order tally_of expects them.
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
# Read as stored, without Django's per-row converters (see summaries.period_rows); the time
# comes as microseconds.
STORED_AS_IS = ("triggers", "signs")
# The columns counted one by one (the breakdowns and the blanks, "not noted"): all but id and time.
COUNTED_COLUMNS = ROW_FIELDS[2:]
# The last two (duration, posture) may be left off: they are then not noted.
Row = tuple  # (id, occurred_at, intensity, location, activity, response, outcome, triggers, signs, ...)


# What the leaning seems to be about: each likely reason the report names and what points to it.
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

# The labels and what points to each are translated when shown (lazily: this is read at import).
REASONS: tuple[tuple[str, str, str], ...] = (
    (
        "affection",
        _("Trust and affection"),
        _("a relaxed body, a wagging tail or a sigh, or while being petted"),
    ),
    ("greeting", _("Greeting"), _("right after someone came home")),
    ("security", _("Looking for safety"), _("noise, thunder, new people or places, the vet or the groomer")),
    ("anxiety", _("Anxiety"), _("at least one sign of anxiety, such as trembling, panting or a tucked tail")),
    (
        "attention",
        _("Asking for attention"),
        _("a look back, a paw or a nudge, or while its person was busy or talking"),
    ),
    (
        "claiming",
        _("Claiming its person near other dogs"),
        _("other dogs nearby, at the dog park or in a pet shop"),
    ),
    (
        "physical",
        _("Physical support"),
        _("shaky legs, shifting weight, stiffness, tiredness or slow to stand"),
    ),
    ("itch", _("An itch or sore rear"), _("scooting, licking or scratching the rear")),
)


# Each reason's label inside a sentence ("Nothing pointed to: greeting, asking for attention"):
# its own words, since only a translator knows which of them start with a noun in German.
REASONS_IN_SENTENCE: dict[str, str] = {
    "affection": pgettext_lazy("a likely reason, inside a sentence", "trust and affection"),
    "greeting": pgettext_lazy("a likely reason, inside a sentence", "greeting"),
    "security": pgettext_lazy("a likely reason, inside a sentence", "looking for safety"),
    "anxiety": pgettext_lazy("a likely reason, inside a sentence", "anxiety"),
    "attention": pgettext_lazy("a likely reason, inside a sentence", "asking for attention"),
    "claiming": pgettext_lazy("a likely reason, inside a sentence", "claiming its person near other dogs"),
    "physical": pgettext_lazy("a likely reason, inside a sentence", "physical support"),
    "itch": pgettext_lazy("a likely reason, inside a sentence", "an itch or sore rear"),
}


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


# Times reach the report as whole microseconds since 1970, UTC (see Microseconds): an integer is
# far cheaper to read and to place in the owner's day than a datetime per lean.
MICROSECONDS = 1_000_000
DAY_SECONDS = 86_400
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
# 1 January 1970 was a Thursday (weekday 3, Monday being 0).
EPOCH_WEEKDAY = 3
# The heat map's cells: the hours of a week, Monday 00:00 first.
HOURS_A_WEEK = 7 * 24
HEAT_SHIFT = EPOCH_WEEKDAY * 24
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


def _split(value: str | tuple[str, ...]) -> frozenset[str]:
    return frozenset(CodeSetField.split(value) if isinstance(value, str) else value)


# A profile key: the codes the rules read of a lean (see flags.RULE_SIGNS), as one text:
# activity|response|outcome|triggers|signs|groups, the sets comma-separated in sorted order.
# Text, so that a kept month stores it as it is and merging compares plain strings.
PROFILE_SEPARATOR = "|"
# The code-set columns: a tally counts each of their codes rather than each stored set.
CODE_SETS = STORED_AS_IS


def _profile_part(codes: Iterable[str]) -> str:
    return ",".join(sorted(codes))


# Kept between runs of leans: a long report tallies each of its months apart, and a journal
# repeats the same few stored code sets and contexts month after month. Pure functions of
# stored text, so the cache holds nothing that a write could make stale.
@functools.lru_cache(maxsize=4096)
def _sorted_codes(stored: str | tuple[str, ...]) -> tuple[str, ...]:
    """The codes of a stored code set, in order: a journal stores the same few sets again and again."""
    return tuple(sorted(_split(stored)))


@functools.lru_cache(maxsize=4096)
def _trigger_profile(stored: str | tuple[str, ...]) -> str:
    """The triggers part of a profile key, from the stored code set."""
    return _profile_part(rule_triggers(_split(stored)))


@functools.lru_cache(maxsize=4096)
def _sign_profile(stored: str | tuple[str, ...]) -> str:
    """The signs and sign-groups parts of a profile key, from the stored code set."""
    signs, groups = rule_signs(_split(stored))
    return _profile_part(signs) + PROFILE_SEPARATOR + _profile_part(groups)


@functools.lru_cache(maxsize=4096)
def _sign_reasons(stored: str | tuple[str, ...]) -> frozenset[str]:
    return _reasons_of_signs(rule_signs(_split(stored))[1])


@functools.lru_cache(maxsize=65536)
def _reasons_of(
    location: str, activity: str, triggers: str | tuple[str, ...], signs: str | tuple[str, ...]
) -> frozenset[str]:
    """The likely reasons a lean points to, from its stored location, activity and code sets."""
    return _reasons_of_context(location, activity, _split(triggers)) | _sign_reasons(signs)


@functools.lru_cache(maxsize=65536)
def profile_codes(key: str) -> tuple[str, str, str, frozenset[str], frozenset[str], frozenset[str]]:
    """A profile key read back: activity, response, outcome, triggers, signs and sign groups."""
    activity, response, outcome, triggers, signs, groups = key.split(PROFILE_SEPARATOR)
    return (
        activity,
        response,
        outcome,
        frozenset(CodeSetField.split(triggers)),
        frozenset(CodeSetField.split(signs)),
        frozenset(CodeSetField.split(groups)),
    )


@functools.lru_cache(maxsize=65536)
def _profile_fields(key: str) -> tuple:
    """A Profile's fields after its count and places, from its key (intensity and the rest unread)."""
    return (None, "", *profile_codes(key), "", "")


def _empty_heat() -> list[int]:
    return [0] * HOURS_A_WEEK


@dataclass
class Tally:
    """A run of leans added up in one time zone.

    Everything here adds up: the tally of two back-to-back runs is `merged` of theirs, and
    the report needs nothing else of the leans (tests check that both ways agree).
    """

    # The leans' ids and moments (microseconds since 1970, UTC): newest first, then by id.
    ids: list[int]
    moments: list[int]
    # heat[weekday * 24 + hour] on the zone's clock, Monday first.
    heat: list[int]
    # Per day of the zone (numbered from 1 January 1970): [leans, sum of the noted
    # intensities, how many noted one, then how many had a sign of each WINDOW_GROUPS group].
    days: dict[int, list[int]]
    # Each of COUNTED_COLUMNS and how often each value occurs, in the order they first occur:
    # single choices as stored (blanks included), code sets (CODE_SETS) code by code.
    columns: dict[str, dict]
    # How many leans point to each likely reason, and how many to none.
    reasons: dict[str, int]
    unexplained: int
    # The rules' profiles (profile keys, in the order they first occur) and, lean by lean in
    # the order of `ids`, the place of its profile in that list.
    profile_keys: list[str]
    profile_of: list[int]

    @property
    def n(self) -> int:
        return len(self.ids)

    def rule_profiles(self) -> list[Profile]:
        """The profiles as the rules take them, each numbered as in `profile_of`.

        Their places are left out: only a flag that fires asks which leans are behind it
        (Facts.ids_of reads them from `profile_of`), and a long report of a varied journal has
        thousands of profiles.
        """
        counts = Counter(self.profile_of)
        # Made as the tuples they are, without the keyword handling of Profile(...).
        make = tuple.__new__
        return [
            make(Profile, (counts[number], (), *_profile_fields(key), number))
            for number, key in enumerate(self.profile_keys)
        ]


def empty_tally() -> Tally:
    return Tally([], [], _empty_heat(), {}, {name: {} for name in COUNTED_COLUMNS}, {}, 0, [], [])


# The groups a day counts leans of, beside its leans and intensities: the before-and-after
# windows' groups (journal.report.before_after.GROUPS), in their order.
DAY_GROUPS_ZERO = (0,) * len(WINDOW_GROUPS)


@functools.cache
def _day_group_places(signs: str | tuple[str, ...]) -> tuple[int, ...]:
    """Where a lean with these signs counts in its day's list: once per window group it touches."""
    touched = {GROUP_OF_SIGN.get(code) for code in _sorted_codes(signs)}
    return tuple(3 + place for place, group in enumerate(WINDOW_GROUPS) if group in touched)


def tally_of(rows: Sequence[Row], tz: dt.tzinfo) -> Tally:
    """The tally of rows in the loader's terms (stored_rows), in one pass.

    Each pass runs as a comprehension or in Counter: a five-year report can read tens of
    thousands of leans, and a plain loop with the same steps takes several times longer.
    """
    if not rows:
        return empty_tally()
    # Column by column, transposed in one pass in C rather than a comprehension per column.
    ids, moments, *counted = map(list, zip(*rows, strict=True))
    seconds = [moment // MICROSECONDS for moment in moments]
    changes, offsets = _offsets_of_days(tz, min(seconds) // DAY_SECONDS, max(seconds) // DAY_SECONDS)
    # The owner's wall clock, in seconds since 1970.
    if changes:
        local = [moment + offsets[bisect_right(changes, moment)] for moment in seconds]
    else:
        local = [moment + offsets[0] for moment in seconds]
    day_numbers = [moment // DAY_SECONDS for moment in local]
    heat = _empty_heat()
    # An hour since 1970 shifted to start on a Monday, modulo a week, is the hour's cell: the
    # weekday times 24 plus the hour of the day.
    for cell, count in Counter([(moment // 3600 + HEAT_SHIFT) % HOURS_A_WEEK for moment in local]).items():
        heat[cell] = count
    days = {day: [count, 0, 0, *DAY_GROUPS_ZERO] for day, count in Counter(day_numbers).items()}
    # Summed by distinct (day, intensity) rather than lean by lean.
    values = dict(zip(COUNTED_COLUMNS, counted, strict=True))
    for (day, intensity), count in Counter(zip(day_numbers, values["intensity"], strict=True)).items():
        if intensity:
            found = days[day]
            found[1] += intensity * count
            found[2] += count

    # Each day's leans with a sign of each group of the before-and-after windows, by distinct
    # (day, signs): the windows inside the period are cut from these days, not read again.
    for (day, signs), count in Counter(zip(day_numbers, values["signs"], strict=True)).items():
        found = days[day]
        for place in _day_group_places(signs):
            found[place] += count
    # The breakdowns and the blanks, counted column by column in Counter (in C).
    stored = {name: Counter(column) for name, column in values.items()}
    columns = {name: dict(counts) for name, counts in stored.items() if name not in CODE_SETS}
    for name in CODE_SETS:
        codes: dict[str, int] = {}
        for text, count in stored[name].items():
            for code in _sorted_codes(text):
                codes[code] = codes.get(code, 0) + count
        columns[name] = codes
    columns = {name: columns[name] for name in COUNTED_COLUMNS}

    # The rules' profiles: leans alike in what the rules read.
    seen_activities = {code: rule_activity(code) for code in stored["owner_activity"]}
    seen_responses = {code: rule_response(code) for code in stored["owner_response"]}
    seen_outcomes = {code: rule_outcome(code) for code in stored["outcome"]}
    # Numbered by their parts as tuples; only the distinct ones are joined into keys.
    index: dict[tuple[str, ...], int] = {}
    profile_of = [
        index.setdefault(parts, len(index))
        for parts in zip(
            map(seen_activities.__getitem__, values["owner_activity"]),
            map(seen_responses.__getitem__, values["owner_response"]),
            map(seen_outcomes.__getitem__, values["outcome"]),
            map(_trigger_profile, values["triggers"]),
            map(_sign_profile, values["signs"]),
            strict=True,
        )
    ]

    # The likely reasons: each lean's set looked up (each distinct context worked out once, and
    # kept for the next run of leans), then counted by set.
    reasons: dict[str, int] = {}
    unexplained = 0
    pointed_sets = Counter(
        map(_reasons_of, values["location"], values["owner_activity"], values["triggers"], values["signs"])
    )
    for pointed, count in pointed_sets.items():
        if pointed:
            for reason in pointed:
                reasons[reason] = reasons.get(reason, 0) + count
        else:
            unexplained += count
    # In the catalogue's order: a set's order changes from one process to the next, and a kept
    # month must store the same text for the same leans (the golden tally test).
    reasons = {code: reasons[code] for code, _, _ in REASONS if code in reasons}
    profile_keys = list(map(PROFILE_SEPARATOR.join, index))
    return Tally(ids, moments, heat, days, columns, reasons, unexplained, profile_keys, profile_of)


def merged(tallies: Iterable[Tally]) -> Tally:
    """The tally of back-to-back runs, given newest first: as if their rows were read together."""
    total = empty_tally()
    index: dict[str, int] = {}
    for tally in tallies:
        total.ids += tally.ids
        total.moments += tally.moments
        total.heat = [a + b for a, b in zip(total.heat, tally.heat, strict=True)]
        for day, counts in tally.days.items():
            found = total.days.get(day)
            if found is None:
                total.days[day] = list(counts)
            else:
                total.days[day] = [a + b for a, b in zip(found, counts, strict=True)]
        for name, counts in tally.columns.items():
            column = total.columns[name]
            for value, count in counts.items():
                column[value] = column.get(value, 0) + count
        for reason, count in tally.reasons.items():
            total.reasons[reason] = total.reasons.get(reason, 0) + count
        total.unexplained += tally.unexplained
        # Each profile's place in the merged list, found once per profile, not per lean.
        places = [index.setdefault(key, len(index)) for key in tally.profile_keys]
        total.profile_of += map(places.__getitem__, tally.profile_of)
    total.profile_keys = list(index)
    return total
