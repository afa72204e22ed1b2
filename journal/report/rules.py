"""The rule catalogue: which patterns in a period's leans deserve a flag, and what to say.

Pure functions over plain data, so that every rule is tested at, above and below its
thresholds. Every threshold is a named constant here; shares are whole percentages and are
compared with integer arithmetic, so that 3 of 10 is exactly 30% (floats would say 30.000000000000004).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from itertools import chain, compress
from typing import NamedTuple

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from journal.report.period import YEAR_DAYS
from journal.report.weights import WEIGHT_WINDOW_DAYS, WeightChange, kg_text, pct_number
from journal.vocabulary import (
    GROUP_OF_SIGN,
    SIGN_GROUPS,
    Outcome,
    OwnerActivity,
    OwnerResponse,
    Sign,
    SignGroup,
    Trigger,
)

# Frequent leaning: the rate and the smallest number of leans that can show a habit.
FREQUENT_RATE_PER_WEEK = 2
FREQUENT_MIN_LEANS = 4

# anxiety (watch): frequent, and trembling often, or several anxiety signs at once often.
ANXIETY_TREMBLING_MIN = 3
ANXIETY_TREMBLING_MIN_PCT = 25
ANXIETY_SIGNS_TOGETHER = 2
ANXIETY_MULTI_SIGN_MIN = 3
ANXIETY_MULTI_SIGN_MIN_PCT = 40

# vet_check: physical signs; a senior dog needs fewer of them to justify a visit.
VET_CHECK_SENIOR_MIN = 2
VET_CHECK_YOUNGER_MIN = 4

# itch_check (vet): scooting, licking or scratching the rear.
ITCH_CHECK_MIN = 2

# separation_anxiety (watch): anxious leans while the owner gets ready to go out.
SEPARATION_MIN = 3

# attention_seeking (info): mostly while the owner is busy, often with an attention sign.
ATTENTION_MIN_LEANS = 4
ATTENTION_BUSY_MIN_PCT = 50
ATTENTION_SIGN_MIN_PCT = 30
ATTENTION_PETTED_MIN_PCT = 60
# Working, chores and phone calls all leave the dog without the owner's eyes.
BUSY_ACTIVITIES = frozenset({OwnerActivity.BUSY, OwnerActivity.TALKING})

# greeting (info): mostly right after the owner came home.
GREETING_MIN_LEANS = 4
GREETING_MIN_PCT = 50

# claiming (info): mostly with other dogs near.
CLAIMING_MIN_LEANS = 4
CLAIMING_MIN_PCT = 50

# knock_over (watch): a single fall is enough to act on.
KNOCK_OVER_MIN = 1

# frequency_rise (info, watch from three times the previous period).
RISE_MIN_LEANS = 6
RISE_FACTOR = 2
RISE_WATCH_FACTOR = 3

# affection (info): mostly relaxed, and nothing anxious flagged.
AFFECTION_MIN_LEANS = 4
AFFECTION_RELAXED_MIN_PCT = 60

# weight_loss: the latest weighing against the highest of the 90 days before it
# (journal.report.weights); a note from 5% of body weight lost, a flag of level vet from 10%.
WEIGHT_LOSS_NOTE_PCT = 5
WEIGHT_LOSS_VET_PCT = 10

ANXIETY_SIGNS = frozenset(SIGN_GROUPS[SignGroup.ANXIETY])


class Level(models.TextChoices):
    """How much a flag asks of the owner; the report lists the most serious first."""

    # Translators: the level of a report's flag, as the owner reads it.
    INFO = "info", gettext_lazy("Good to know")
    # Translators: the level of a report's flag, as the owner reads it.
    WATCH = "watch", gettext_lazy("Keep an eye on it")
    # Translators: the level of a report's flag, as the owner reads it.
    VET = "vet", gettext_lazy("See your vet")


# On the vet's copy the vet is the reader: "See your vet" would speak to the wrong person.
SHARED_LEVEL_LABELS = {
    # Translators: the level of a report's flag on the vet's copy, read by the vet.
    Level.INFO: gettext_lazy("Good to know"),
    # Translators: the level of a report's flag on the vet's copy, read by the vet.
    Level.WATCH: gettext_lazy("Worth watching"),
    # Translators: the level of a report's flag on the vet's copy, read by the vet.
    Level.VET: gettext_lazy("For the vet"),
}
LEVEL_RANK = {Level.VET: 0, Level.WATCH: 1, Level.INFO: 2}
# Bootstrap Icons names; pages add "-fill" for the solid variant.
LEVEL_ICONS = {Level.VET: "bi-heart-pulse", Level.WATCH: "bi-eye", Level.INFO: "bi-lightbulb"}


def groups_of(signs: Iterable[str]) -> frozenset[str]:
    """The sign groups a set of signs touches."""
    # A code retired from the vocabulary keeps its row readable; it just belongs to no group.
    return frozenset(GROUP_OF_SIGN[code] for code in signs if code in GROUP_OF_SIGN)


class Lean(NamedTuple):
    """One lean as the rules see it when given lean by lean; occurred_at is in the owner's zone.

    The report itself hands the rules Profiles (leans grouped by their codes) and never builds
    a Lean per row; Facts groups leans given this way into the same profiles.
    """

    id: int
    occurred_at: dt.datetime
    # None or "": not noted.
    intensity: int | None = None
    location: str = ""
    owner_activity: str = ""
    owner_response: str = ""
    outcome: str = ""
    triggers: frozenset[str] = frozenset()
    signs: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    duration: str = ""
    posture: str = ""

    @classmethod
    def of(cls, id: int, occurred_at: dt.datetime, **fields) -> Lean:
        """Build a lean, deriving its sign groups from its signs."""
        signs = frozenset(fields.pop("signs", ()))
        triggers = frozenset(fields.pop("triggers", ()))
        return cls(id, occurred_at, signs=signs, triggers=triggers, groups=groups_of(signs), **fields)


class Profile(NamedTuple):
    """Leans alike in every code (or in every code the rules read, see RULE_SIGNS), counted once.

    `places` are their positions in the period's order (Facts.ids), so that a flag lists its
    leans in that order whatever the grouping. A year's report has thousands of leans but far
    fewer profiles in a real journal, and never more profiles than leans. Profiles made from a
    tally have no places but a `number`, their leans' entry in Facts.profile_of.
    """

    count: int
    places: tuple[int, ...]
    intensity: int | None = None
    location: str = ""
    owner_activity: str = ""
    owner_response: str = ""
    outcome: str = ""
    triggers: frozenset[str] = frozenset()
    signs: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    duration: str = ""
    posture: str = ""
    number: int | None = None


# What the rules read of a lean. Leans that agree on these form one profile for the rules,
# however else they differ; test_flags checks that the flags come out the same either way.
# The signs the rules test or name (trembling, anxious signs together, physical and itch signs).
RULE_SIGNS = frozenset(
    (*SIGN_GROUPS[SignGroup.ANXIETY], *SIGN_GROUPS[SignGroup.PHYSICAL], *SIGN_GROUPS[SignGroup.ITCH])
)
RULE_TRIGGERS = frozenset({Trigger.OTHER_DOGS})


# The activities the rules read; the others make no difference to any flag or note.
RULE_ACTIVITIES = frozenset({*BUSY_ACTIVITIES, OwnerActivity.JUST_ARRIVED, OwnerActivity.PREPARING_TO_LEAVE})


def rule_activity(code: str) -> str:
    return code if code in RULE_ACTIVITIES else ""


def rule_response(code: str) -> str:
    return code if code == OwnerResponse.PETTED else ""


def rule_outcome(code: str) -> str:
    return code if code == Outcome.KNOCKED_OVER else ""


def rule_triggers(triggers: frozenset[str]) -> frozenset[str]:
    return triggers & RULE_TRIGGERS


def rule_signs(signs: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The signs the rules read, and the groups of all the signs (the rules read every group)."""
    return signs & RULE_SIGNS, groups_of(signs)


def profiles_of(leans: Sequence[Lean]) -> list[Profile]:
    """The leans grouped by their codes, each group keeping the leans' places in the list."""
    places: dict[tuple, list[int]] = {}
    for place, lean in enumerate(leans):
        places.setdefault(lean[2:], []).append(place)
    return [Profile(len(found), tuple(found), *codes) for codes, found in places.items()]


@dataclass(frozen=True)
class Facts:
    """What the rules need beyond the leans: the rate, the baseline and the dog's age.

    The leans come either as Lean tuples or, from the report, already grouped as profiles
    with their ids in the period's order.
    """

    leans: Sequence[Lean]
    days: int
    rate_per_week: float
    # The days the rate is spread over (D in docs/report-rules.md): fewer than `days` for a young journal.
    rate_days: int | None = None
    # The period's days the journal covers: fewer than rate_days when a week's floor lifts D.
    covered_days: int | None = None
    previous_count: int = 0
    # The journal started before the previous period began, so that period is a real baseline.
    has_baseline: bool = False
    senior: bool = False
    profiles: Sequence[Profile] = ()
    ids: Sequence[int] = ()
    # With profiles made from a tally: each lean's profile number, in the order of `ids`.
    profile_of: Sequence[int] = ()
    # The period's latest weighing against the highest of the 90 days before it, if weighed.
    weight: WeightChange | None = None

    def __post_init__(self) -> None:
        if self.leans and not self.profiles:
            object.__setattr__(self, "profiles", profiles_of(self.leans))
            object.__setattr__(self, "ids", [lean.id for lean in self.leans])

    @property
    def n(self) -> int:
        return len(self.ids)

    def ids_of(self, profiles: Iterable[Profile]) -> list[int]:
        """The ids of the profiles' leans, in the period's order."""
        if self.profile_of:
            if len(self.profile_of) != len(self.ids):
                raise ValueError("Facts.profile_of must number every lean of Facts.ids.")
            numbers = {profile.number for profile in profiles}
            # One pass in C over a five-year report's 25,000 leans, for every flag and note that names them.
            return list(compress(self.ids, map(numbers.__contains__, self.profile_of)))
        profiles = list(profiles)
        if any(profile.number is not None for profile in profiles):
            # A tally's profiles keep no places: without profile_of no lean could be named.
            raise ValueError("Profiles made from a tally need Facts.profile_of.")
        places = sorted(chain.from_iterable(profile.places for profile in profiles))
        return list(map(self.ids.__getitem__, places))


@dataclass(frozen=True)
class Flag:
    code: str
    level: str
    title: str
    evidence: str
    advice: str
    incident_ids: list[int]
    # Journal filters that select these leans within the period (exact) or a close superset;
    # used when the list of ids would make too long a link.
    journal_filter: dict[str, str] = field(default_factory=dict)
    journal_filter_exact: bool = False
    # The owner's latest "handled" for this flag, while no lean behind it came after it.
    acknowledged: Acknowledgement | None = None
    # The advice as the vet's copy says it, when the owner's own words would speak to the wrong person.
    shared_advice: str = ""

    @property
    def advice_for_vet(self) -> str:
        return self.shared_advice or self.advice

    @property
    def rests_on_weighings(self) -> bool:
        """weight_loss rests on weighings, not leans: it names none, and a new weighing brings it back."""
        return self.code == "weight_loss"

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def shared_level_label(self) -> str:
        """The level as the vet reads it: nothing addressed to the owner."""
        return SHARED_LEVEL_LABELS[self.level]

    @property
    def level_icon(self) -> str:
        return LEVEL_ICONS[self.level]

    def as_json(self, shared: bool = False) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "title": self.title,
            "evidence": self.evidence,
            "advice": self.advice_for_vet if shared else self.advice,
            "incident_ids": self.incident_ids,
            "acknowledged": self.acknowledged.as_json() if self.acknowledged else None,
        }


@dataclass(frozen=True)
class Acknowledgement:
    """An owner's "done, handled" on a flag: the day (owner's zone), the moment and a note."""

    on: dt.date
    at: dt.datetime
    note: str = ""

    def as_json(self) -> dict[str, str]:
        return {"on": self.on.isoformat(), "note": self.note}


def acknowledge(
    flags: Sequence[Flag],
    times: Mapping[int, int],
    latest: dict[str, Acknowledgement],
    weighed_on: dt.date | None = None,
) -> list[Flag]:
    """Each flag with its latest acknowledgement, unless a lean behind it happened after it.

    `times` gives each lean's moment (id: microseconds since 1970, see moment_of). weight_loss
    rests on weighings, not leans: a weighing on a later day than the acknowledgement brings it back.
    """
    result = []
    for flag in flags:
        ack = latest.get(flag.code)
        if ack:
            at = moment_of(ack.at)
            newer = any(times[pk] > at for pk in flag.incident_ids if pk in times)
            if flag.rests_on_weighings:
                newer = weighed_on is not None and weighed_on > ack.on
            if not newer:
                flag = replace(flag, acknowledged=ack)
        result.append(flag)
    return result


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def moment_of(when: dt.datetime) -> int:
    """An aware moment as whole microseconds since 1970 (UTC), exactly."""
    return (when - EPOCH) // dt.timedelta(microseconds=1)


def percent(part: int, whole: int) -> int:
    """A share as a whole percentage, halves rounded up (as people round)."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


def at_least_pct(part: int, whole: int, pct: int) -> bool:
    """part / whole >= pct %, exactly."""
    return whole > 0 and part * 100 >= pct * whole


def share(part: int, whole: int, what: str) -> str:
    """'9 of 14 leans (64%) came with trembling', in English only.

    The flags say each share as a translatable sentence of its own (see _share_values).
    """
    noun = "lean" if whole == 1 else "leans"
    return f"{part} of {whole} {noun} ({percent(part, whole)}%) {what}"


def _share_values(part: int, whole: int) -> dict[str, int]:
    """The placeholders of a share sentence: 'count of total leans (percent%) ...'."""
    return {"count": part, "total": whole, "percent": percent(part, whole)}


def _one_decimal(value: float) -> str:
    """A number to one decimal place as the reader's language writes it: 3.3 (3,3 in German)."""
    return formats.number_format(Decimal(f"{value:.1f}"), 1)


def _kg(kg: Decimal) -> str:
    """Kilograms without trailing zeros as the reader's language writes them: 36.5 or 36,5 (kg_text)."""
    return kg_text(kg)


def _pct(loss: Fraction) -> str:
    """The percentage pct_text shows, without its % sign, in the reader's language."""
    return pct_number(loss)


def _day(day: dt.date) -> str:
    """A date in a sentence: '3 January 2025'."""
    # Translators: a date inside a sentence of the report, as a Django date format
    # (j = day, F = month name, Y = year): German "j. F Y", Spanish "j \d\e F \d\e Y".
    return formats.date_format(day, pgettext("date in a sentence", "j F Y"))


def is_frequent(n: int, rate_per_week: float) -> bool:
    return n >= FREQUENT_MIN_LEANS and rate_per_week >= FREQUENT_RATE_PER_WEEK


def _count(profiles: Iterable[Profile]) -> int:
    return sum(profile.count for profile in profiles)


def _rate_sentence(facts: Facts) -> str:
    days = facts.rate_days or facts.days
    covered = facts.covered_days if facts.covered_days is not None else days
    if covered < days:
        # A rate needs a week: under one (a young journal's, or a short period's) the count
        # is all that can be said; the rule still compares the rate spread over a week.
        values = {"count": facts.n, "days": covered}
        if covered < facts.days:
            return (
                ngettext(
                    # Translators: %(count)s is the number of leans (always 4 or more) in the first
                    # %(days)s days of a journal younger than the report's period.
                    "That is %(count)s leans in the journal’s first day.",
                    "That is %(count)s leans in the journal’s first %(days)s days.",
                    covered,
                )
                % values
            )
        return (
            ngettext(
                # Translators: %(count)s is the number of leans (always 4 or more) in a report
                # period of only %(days)s days.
                "That is %(count)s leans in this %(days)s day.",
                "That is %(count)s leans in these %(days)s days.",
                covered,
            )
            % values
        )
    values = {"count": facts.n, "days": days, "rate": _one_decimal(facts.rate_per_week)}
    if days != facts.days:
        return (
            ngettext(
                # Translators: %(count)s leans (always 4 or more) over the %(days)s days a young journal
                # spans; %(rate)s is the average number of leans a week, e.g. 3.3.
                "That is %(count)s leans in the %(days)s day the journal spans, about %(rate)s a week.",
                "That is %(count)s leans in the %(days)s days the journal spans, about %(rate)s a week.",
                days,
            )
            % values
        )
    if days == YEAR_DAYS:
        # Translators: %(count)s leans (always 4 or more) in the report's year; %(rate)s is the
        # average number of leans a week, e.g. 3.3.
        return _("That is %(count)s leans in a year, about %(rate)s a week.") % values
    return (
        ngettext(
            # Translators: %(count)s leans (always 4 or more) in the report's period of %(days)s days;
            # %(rate)s is the average number of leans a week, e.g. 3.3.
            "That is %(count)s leans in %(days)s day, about %(rate)s a week.",
            "That is %(count)s leans in %(days)s days, about %(rate)s a week.",
            days,
        )
        % values
    )


def _has_body_signs(profiles: Iterable[Profile]) -> bool:
    """Physical or itch signs: discomfort that can sit behind anxious behaviour."""
    return any(SignGroup.PHYSICAL in p.groups or SignGroup.ITCH in p.groups for p in profiles)


# Mills et al. 2020: about a third of dogs seen for behaviour problems were in pain.
# Each goes before the flag's advice, a space between them.
VET_FIRST = gettext_lazy(
    # Translators: the start of a flag's advice, read by the owner.
    "Some of these leans also came with physical signs. Pain and discomfort often sit behind "
    "anxious behaviour, so see your vet first, before any training plan or behaviourist."
)
# The same for the vet's copy, where the vet is the reader.
VET_FIRST_SHARED = gettext_lazy(
    # Translators: the start of a flag's advice on the vet's copy, read by the vet.
    "Some of these leans also came with physical signs. Pain and discomfort often sit behind "
    "anxious behaviour, so a vet check comes first, before any training plan or behaviourist."
)


def anxiety_flag(facts: Facts) -> Flag | None:
    """Frequent leaning with trembling, or with several anxiety signs at once."""
    if not is_frequent(facts.n, facts.rate_per_week):
        return None
    trembling = [lean for lean in facts.profiles if Sign.TREMBLING in lean.signs]
    together = [lean for lean in facts.profiles if len(lean.signs & ANXIETY_SIGNS) >= ANXIETY_SIGNS_TOGETHER]
    by_trembling = _count(trembling) >= ANXIETY_TREMBLING_MIN and at_least_pct(
        _count(trembling), facts.n, ANXIETY_TREMBLING_MIN_PCT
    )
    by_together = _count(together) >= ANXIETY_MULTI_SIGN_MIN and at_least_pct(
        _count(together), facts.n, ANXIETY_MULTI_SIGN_MIN_PCT
    )
    if not (by_trembling or by_together):
        return None
    evidence = []
    # A profile can be both trembling and anxious twice over: its leans count once.
    behind: dict[int, Profile] = {}
    if by_trembling:
        evidence.append(
            ngettext(
                # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
                # whole number. The form follows %(total)s: say it so that the verb does not hang on
                # %(count)s ("In 9 of 14 leans (64%) ..."). Read by the owner and the vet alike.
                "%(count)s of %(total)s lean (%(percent)s%%) came with trembling.",
                "%(count)s of %(total)s leans (%(percent)s%%) came with trembling.",
                facts.n,
            )
            % _share_values(_count(trembling), facts.n)
        )
        behind.update((id(profile), profile) for profile in trembling)
    if by_together:
        evidence.append(
            ngettext(
                # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
                # whole number. The form follows %(total)s. Read by the owner and the vet alike.
                "%(count)s of %(total)s lean (%(percent)s%%) showed two or more anxiety signs at once.",
                "%(count)s of %(total)s leans (%(percent)s%%) showed two or more anxiety signs at once.",
                facts.n,
            )
            % _share_values(_count(together), facts.n)
        )
        behind.update((id(profile), profile) for profile in together)
    evidence.append(_rate_sentence(facts))
    advice = _(
        # Translators: the start of the advice for frequent anxious leaning, on the owner's report
        # and on the vet's copy alike.
        "Your dog seems to lean on you for comfort when worried. Stay calm and close, and note what "
        "happened just before each lean so you can spot the triggers and make them rarer or milder."
    )
    lasting_shared = _(
        # Translators: the end of the advice for frequent anxious leaning on the vet's copy, read by the vet.
        "If it goes on for more than a few weeks, a vet or a qualified behaviourist can help."
    )
    lasting = _(
        # Translators: the end of the advice for frequent anxious leaning, read by the owner.
        "If it goes on for more than a few weeks, ask your vet or a qualified behaviourist for help."
    )
    shared_advice = f"{advice} {lasting_shared}"
    advice = f"{advice} {lasting}"
    if _has_body_signs(facts.profiles):
        advice, shared_advice = f"{VET_FIRST} {advice}", f"{VET_FIRST_SHARED} {shared_advice}"
    if by_trembling and not by_together:
        journal_filter, exact = {"sign": Sign.TREMBLING}, True
    else:
        journal_filter, exact = {"group": SignGroup.ANXIETY}, False
    return Flag(
        "anxiety",
        Level.WATCH,
        # Translators: a flag's title.
        _("Frequent leaning with signs of anxiety"),
        " ".join(evidence),
        advice,
        facts.ids_of(behind.values()),
        journal_filter,
        exact,
        shared_advice=shared_advice,
    )


def vet_check_flag(facts: Facts) -> Flag | None:
    """Leans with physical signs: a vet visit for a senior dog, a closer look for a younger one."""
    physical = [lean for lean in facts.profiles if SignGroup.PHYSICAL in lean.groups]
    if facts.senior and _count(physical) >= VET_CHECK_SENIOR_MIN:
        level = Level.VET
        # Translators: a flag's title.
        title = _("Physical signs in an older dog: book a vet check")
    elif not facts.senior and _count(physical) >= VET_CHECK_YOUNGER_MIN:
        level = Level.WATCH
        # Translators: a flag's title.
        title = _("Leaning with physical signs")
    else:
        return None
    evidence = ngettext(
        # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
        # whole number. The form follows %(total)s. Read by the owner and the vet alike.
        "%(count)s of %(total)s lean (%(percent)s%%) came with a physical sign (shaky legs, "
        "shifting weight, stiffness, tiredness or trouble standing up).",
        "%(count)s of %(total)s leans (%(percent)s%%) came with a physical sign (shaky legs, "
        "shifting weight, stiffness, tiredness or trouble standing up).",
        facts.n,
    ) % _share_values(_count(physical), facts.n)
    advice = _(
        # Translators: read by the owner.
        "A dog may lean on you to take weight off sore joints or weak legs. Ask your vet to check "
        "for joint pain, arthritis or muscle weakness, and mention these leans."
    )
    shared_advice = _(
        # Translators: the same advice on the vet's copy, read by the vet.
        "A dog may lean on its people to take weight off sore joints or weak legs: worth a check for "
        "joint pain, arthritis or muscle weakness, with these leans in mind."
    )
    if facts.senior:
        # Translators: read by the owner and, on the vet's copy, by the vet.
        older = _("Older dogs hide pain well, so do not wait for it to get worse.")
        advice += " " + older
        shared_advice += " " + older
    else:
        # Translators: read by the owner.
        advice += " " + _("If the signs keep coming or get stronger, book the visit soon.")
        # Translators: the same sentence on the vet's copy, read by the vet.
        shared_advice += " " + _("If the signs keep coming or get stronger, the visit should be soon.")
    if any(SignGroup.ANXIETY in lean.groups for lean in physical):
        # Translators: read by the owner and, on the vet's copy, by the vet.
        anxious = _("Some of these leans were anxious too, and pain can cause anxiety: the vet comes first.")
        advice += " " + anxious
        shared_advice += " " + anxious
    return Flag(
        "vet_check",
        level,
        title,
        evidence,
        advice,
        facts.ids_of(physical),
        {"group": SignGroup.PHYSICAL},
        True,
        shared_advice=shared_advice,
    )


def itch_check_flag(facts: Facts) -> Flag | None:
    """Scooting, licking or scratching the rear: fleas or anal glands."""
    itchy = [lean for lean in facts.profiles if SignGroup.ITCH in lean.groups]
    if _count(itchy) < ITCH_CHECK_MIN:
        return None
    return Flag(
        "itch_check",
        Level.VET,
        # Translators: a flag's title.
        _("Itching around the rear: have it checked"),
        ngettext(
            # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
            # whole number. The form follows %(total)s. Read by the owner and the vet alike.
            "%(count)s of %(total)s lean (%(percent)s%%) came with scooting, licking or scratching the rear.",
            "%(count)s of %(total)s leans (%(percent)s%%) came with scooting, licking or scratching "
            "the rear.",
            facts.n,
        )
        % _share_values(_count(itchy), facts.n),
        _(
            # Translators: read by the owner.
            "Leaning and rubbing the backside can be the only way a dog has to scratch an itch it cannot "
            "reach. Fleas and full or blocked anal glands are common causes and easy to treat; your vet "
            "can check both in a short visit."
        ),
        facts.ids_of(itchy),
        {"group": SignGroup.ITCH},
        True,
        shared_advice=_(
            # Translators: the same advice on the vet's copy, read by the vet.
            "Leaning and rubbing the backside can be the only way a dog has to scratch an itch it "
            "cannot reach: fleas and full or blocked anal glands are the usual suspects, both quick to check."
        ),
    )


def weight_loss_evidence(change: WeightChange) -> str:
    """The weighings behind weight_loss, in words that suit the owner and the vet alike."""
    assert change.peak_kg is not None and change.peak_on is not None
    return ngettext(
        # Translators: read by the owner and the vet alike. %(latest)s and %(peak)s are weights in kg
        # (e.g. 36.5), %(lost)s the kilograms lost, %(percent)s that loss as a share of the highest
        # weight (e.g. 9.8); %(latest_on)s and %(peak_on)s are dates; %(days)s is always 90.
        "Weighed %(latest)s kg on %(latest_on)s: %(lost)s kg (%(percent)s%% of body weight) less than "
        "%(peak)s kg on %(peak_on)s, the highest of the %(days)s day before.",
        "Weighed %(latest)s kg on %(latest_on)s: %(lost)s kg (%(percent)s%% of body weight) less than "
        "%(peak)s kg on %(peak_on)s, the highest of the %(days)s days before.",
        WEIGHT_WINDOW_DAYS,
    ) % {
        "latest": _kg(change.latest_kg),
        "latest_on": _day(change.latest_on),
        "lost": _kg(change.peak_kg - change.latest_kg),
        "percent": _pct(change.loss),
        "peak": _kg(change.peak_kg),
        "peak_on": _day(change.peak_on),
        "days": WEIGHT_WINDOW_DAYS,
    }


def weight_loss_flag(facts: Facts) -> Flag | None:
    """A tenth of body weight or more lost within 90 days."""
    change = facts.weight
    if change is None or not change.lost_at_least(WEIGHT_LOSS_VET_PCT):
        return None
    return Flag(
        "weight_loss",
        Level.VET,
        # Translators: a flag's title.
        _("Losing weight: a tenth or more of body weight"),
        weight_loss_evidence(change),
        _(
            # Translators: read by the owner.
            "A dog that loses this much without a new diet needs a vet soon: weight loss can be the "
            "first visible sign of pain, sore teeth or an illness. Book a check and take the weighings along."
        ),
        [],
        # Translators: the same advice on the vet's copy, read by the vet.
        shared_advice=_("A loss this size without a diet to explain it calls for a check soon."),
    )


def separation_anxiety_flag(facts: Facts) -> Flag | None:
    """Anxious leans while the owner gets ready to go out."""
    leaving = [
        lean
        for lean in facts.profiles
        if lean.owner_activity == OwnerActivity.PREPARING_TO_LEAVE and SignGroup.ANXIETY in lean.groups
    ]
    if _count(leaving) < SEPARATION_MIN:
        return None
    advice = _(
        # Translators: read by the owner and, on the vet's copy, by the vet.
        "Your dog seems uneasy about being left. Practise short, calm departures: pick up your keys "
        "or put on your coat without leaving, then leave for a few seconds and build up slowly. Keep "
        "goodbyes and returns low-key. If your dog struggles while you are away, ask a vet or a "
        "behaviourist: separation problems respond well to a proper plan."
    )
    shared_advice = advice
    if _has_body_signs(facts.profiles):
        advice, shared_advice = f"{VET_FIRST} {advice}", f"{VET_FIRST_SHARED} {advice}"
    return Flag(
        "separation_anxiety",
        Level.WATCH,
        # Translators: a flag's title.
        _("Anxious leaning when someone gets ready to leave"),
        ngettext(
            # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
            # whole number. The form follows %(total)s. Read by the owner and the vet alike.
            "%(count)s of %(total)s lean (%(percent)s%%) came while someone was getting ready to leave, "
            "each with a sign of anxiety.",
            "%(count)s of %(total)s leans (%(percent)s%%) came while someone was getting ready to leave, "
            "each with a sign of anxiety.",
            facts.n,
        )
        % _share_values(_count(leaving), facts.n),
        advice,
        facts.ids_of(leaving),
        {"activity": OwnerActivity.PREPARING_TO_LEAVE, "group": SignGroup.ANXIETY},
        True,
        shared_advice=shared_advice,
    )


def attention_seeking_flag(facts: Facts) -> Flag | None:
    """Leaning while the owner is busy, with looks, paws or nudges."""
    if facts.n < ATTENTION_MIN_LEANS:
        return None
    busy = [lean for lean in facts.profiles if lean.owner_activity in BUSY_ACTIVITIES]
    asking = [lean for lean in facts.profiles if SignGroup.ATTENTION in lean.groups]
    if not (
        at_least_pct(_count(busy), facts.n, ATTENTION_BUSY_MIN_PCT)
        and at_least_pct(_count(asking), facts.n, ATTENTION_SIGN_MIN_PCT)
    ):
        return None
    petted = sum(lean.count for lean in facts.profiles if lean.owner_response == OwnerResponse.PETTED)
    evidence = ngettext(
        # Translators: %(busy)s and %(asking)s of the period's %(total)s leans; %(busy_percent)s and
        # %(asking_percent)s are those shares as whole numbers. The form follows %(total)s.
        # Read by the owner and the vet alike.
        "%(busy)s of %(total)s lean (%(busy_percent)s%%) came while its person was busy or talking; "
        "%(asking)s of %(total)s lean (%(asking_percent)s%%) came with a look back, a paw or a nudge.",
        "%(busy)s of %(total)s leans (%(busy_percent)s%%) came while its person was busy or talking; "
        "%(asking)s of %(total)s leans (%(asking_percent)s%%) came with a look back, a paw or a nudge.",
        facts.n,
    ) % {
        "busy": _count(busy),
        "busy_percent": percent(_count(busy), facts.n),
        "asking": _count(asking),
        "asking_percent": percent(_count(asking), facts.n),
        "total": facts.n,
    }
    advice = _(
        # Translators: read by the owner.
        "Your dog has found a polite way to ask for your time. Give attention when the dog is calm "
        "and lying down, not only when it leans, and plan short play or sniffing breaks on busy days."
    )
    if at_least_pct(petted, facts.n, ATTENTION_PETTED_MIN_PCT):
        evidence += " " + (
            ngettext(
                # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
                # whole number. The form follows %(total)s. Read by the owner and the vet alike.
                "%(count)s of %(total)s lean (%(percent)s%%) were answered with petting.",
                "%(count)s of %(total)s leans (%(percent)s%%) were answered with petting.",
                facts.n,
            )
            % _share_values(petted, facts.n)
        )
        advice += " " + _(
            # Translators: read by the owner.
            "Petting the dog every time it leans rewards the leaning, so it will happen more. "
            "Try a calm cue instead (sit or settle) and reward that."
        )
    behind = {id(profile): profile for profile in (*busy, *asking)}
    return Flag(
        "attention_seeking",
        Level.INFO,
        # Translators: a flag's title.
        _("Leaning to ask for attention"),
        evidence,
        advice,
        facts.ids_of(behind.values()),
        # No single journal filter selects "busy or asking"; the asking leans come closest.
        {"group": SignGroup.ATTENTION},
        False,
    )


def greeting_flag(facts: Facts) -> Flag | None:
    """Mostly right after the owner came home."""
    if facts.n < GREETING_MIN_LEANS:
        return None
    arrivals = [lean for lean in facts.profiles if lean.owner_activity == OwnerActivity.JUST_ARRIVED]
    if not at_least_pct(_count(arrivals), facts.n, GREETING_MIN_PCT):
        return None
    return Flag(
        "greeting",
        Level.INFO,
        # Translators: a flag's title.
        _("Leaning as a hello"),
        ngettext(
            # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
            # whole number. The form follows %(total)s. Read by the owner and the vet alike.
            "%(count)s of %(total)s lean (%(percent)s%%) came right after someone came home.",
            "%(count)s of %(total)s leans (%(percent)s%%) came right after someone came home.",
            facts.n,
        )
        % _share_values(_count(arrivals), facts.n),
        _(
            # Translators: read by the owner and, on the vet's copy, by the vet.
            "This is a friendly welcome. Say hello back with a calm word and a scratch at the base of "
            "the tail; if the greeting gets too pushy, wait for four paws on the floor first."
        ),
        facts.ids_of(arrivals),
        {"activity": OwnerActivity.JUST_ARRIVED},
        True,
    )


def claiming_flag(facts: Facts) -> Flag | None:
    """Mostly with other dogs near."""
    if facts.n < CLAIMING_MIN_LEANS:
        return None
    near_dogs = [lean for lean in facts.profiles if Trigger.OTHER_DOGS in lean.triggers]
    if not at_least_pct(_count(near_dogs), facts.n, CLAIMING_MIN_PCT):
        return None
    return Flag(
        "claiming",
        Level.INFO,
        # Translators: a flag's title.
        _("Leaning when other dogs are around"),
        ngettext(
            # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
            # whole number. The form follows %(total)s. Read by the owner and the vet alike.
            "%(count)s of %(total)s lean (%(percent)s%%) happened with other dogs nearby.",
            "%(count)s of %(total)s leans (%(percent)s%%) happened with other dogs nearby.",
            facts.n,
        )
        % _share_values(_count(near_dogs), facts.n),
        _(
            # Translators: read by the owner and, on the vet's copy, by the vet.
            "Many dogs lean on their person around other dogs, as if to say you belong together and to "
            "leave their scent on you. It is normal and needs nothing from you, as long as play stays "
            "relaxed."
        ),
        facts.ids_of(near_dogs),
        {"trigger": Trigger.OTHER_DOGS},
        True,
    )


def knock_over_flag(facts: Facts) -> Flag | None:
    """Any lean that put someone on the floor or off balance."""
    falls = [lean for lean in facts.profiles if lean.outcome == Outcome.KNOCKED_OVER]
    if _count(falls) < KNOCK_OVER_MIN:
        return None
    return Flag(
        "knock_over",
        Level.WATCH,
        # Translators: a flag's title.
        _("A lean made someone lose their balance"),
        ngettext(
            # Translators: read by the owner and the vet alike.
            "Someone lost their balance or fell once in this period.",
            "Someone lost their balance or fell %(count)s times in this period.",
            _count(falls),
        )
        % {"count": _count(falls)},
        _(
            # Translators: read by the owner and, on the vet's copy, by the vet.
            "A heavy dog leaning with full weight can topple a child or an older person. Teach a "
            "settle cue (lying down on a mat) and reward it often, and keep an eye on the dog around "
            "children and unsteady visitors."
        ),
        facts.ids_of(falls),
    )


def frequency_rise_flag(facts: Facts) -> Flag | None:
    """Many more leans than in the previous period of the same length."""
    if not facts.has_baseline or facts.n < RISE_MIN_LEANS:
        return None
    if facts.n < RISE_FACTOR * facts.previous_count:
        return None
    watch = facts.n >= RISE_WATCH_FACTOR * facts.previous_count
    values: dict[str, object] = {"count": facts.n, "previous": facts.previous_count, "days": facts.days}
    if facts.previous_count:
        values["ratio"] = _one_decimal(facts.n / facts.previous_count)
        if facts.days == YEAR_DAYS:
            evidence = (
                _(
                    # Translators: %(count)s leans (always 6 or more) in the report's year against
                    # %(previous)s in the year before; %(ratio)s is e.g. 2.5. Read by the owner and the vet.
                    "%(count)s leans in the past year against %(previous)s in the year before "
                    "(%(ratio)s times as many)."
                )
                % values
            )
        else:
            evidence = (
                ngettext(
                    # Translators: %(count)s leans (always 6 or more) in the report's %(days)s days against
                    # %(previous)s in the %(days)s days before them; %(ratio)s is e.g. 2.5. Read by the
                    # owner and the vet.
                    "%(count)s leans in these %(days)s day against %(previous)s in the %(days)s day before "
                    "(%(ratio)s times as many).",
                    "%(count)s leans in these %(days)s days against %(previous)s in the %(days)s days before "
                    "(%(ratio)s times as many).",
                    facts.days,
                )
                % values
            )
    elif facts.days == YEAR_DAYS:
        # Translators: %(count)s leans (always 6 or more) in the report's year. Read by the owner and the vet.
        evidence = _("%(count)s leans in the past year against none in the year before.") % values
    else:
        evidence = (
            ngettext(
                # Translators: %(count)s leans (always 6 or more) in the report's %(days)s days, none in the
                # %(days)s days before them. Read by the owner and the vet.
                "%(count)s leans in these %(days)s day against none in the %(days)s day before.",
                "%(count)s leans in these %(days)s days against none in the %(days)s days before.",
                facts.days,
            )
            % values
        )
    advice = _(
        # Translators: read by the owner and, on the vet's copy, by the vet.
        "Think about what has changed lately: routine, visitors, a move, noise, or the dog’s health. "
        "A sudden rise in clinginess can be an early sign of stress or of feeling unwell."
    )
    shared_advice = advice
    if watch:
        # Translators: read by the owner.
        advice += " " + _("If nothing explains it, or it keeps rising, ask your vet.")
        # Translators: the same sentence on the vet's copy, read by the vet.
        shared_advice += " " + _("If nothing explains it, or it keeps rising, a vet visit is the next step.")
    return Flag(
        "frequency_rise",
        Level.WATCH if watch else Level.INFO,
        # Translators: a flag's title.
        _("Leaning much more often than before"),
        evidence,
        advice,
        list(facts.ids),
        {},
        True,
        shared_advice=shared_advice,
    )


def affection_flag(facts: Facts, anxious: bool) -> Flag | None:
    """Mostly relaxed leaning, with no anxiety flagged."""
    if anxious or facts.n < AFFECTION_MIN_LEANS:
        return None
    relaxed = [lean for lean in facts.profiles if SignGroup.RELAXED in lean.groups]
    if not at_least_pct(_count(relaxed), facts.n, AFFECTION_RELAXED_MIN_PCT):
        return None
    return Flag(
        "affection",
        Level.INFO,
        # Translators: a flag's title.
        _("Relaxed, affectionate leaning"),
        ngettext(
            # Translators: %(count)s of the period's %(total)s leans; %(percent)s is that share as a
            # whole number. The form follows %(total)s. Read by the owner and the vet alike.
            "%(count)s of %(total)s lean (%(percent)s%%) came with a relaxed body, a wagging tail or a sigh.",
            "%(count)s of %(total)s leans (%(percent)s%%) came with a relaxed body, a wagging tail "
            "or a sigh.",
            facts.n,
        )
        % _share_values(_count(relaxed), facts.n),
        _(
            # Translators: read by the owner and, on the vet's copy, by the vet.
            "This looks like trust: a dog leans its back on someone it feels safe with. Nothing to fix, "
            "enjoy it, and a scratch at the base of the tail is usually welcome."
        ),
        facts.ids_of(relaxed),
        {"group": SignGroup.RELAXED},
        True,
    )


# Catalogue order breaks ties within a level: the vet-related flags come first, so that when
# physical and anxiety signs meet, the report points to the vet before anything else.
RULES: tuple[Callable[[Facts], Flag | None], ...] = (
    vet_check_flag,
    itch_check_flag,
    weight_loss_flag,
    anxiety_flag,
    separation_anxiety_flag,
    knock_over_flag,
    frequency_rise_flag,
    attention_seeking_flag,
    greeting_flag,
    claiming_flag,
)
ANXIETY_CODES = frozenset({"anxiety", "separation_anxiety"})


def evaluate(facts: Facts) -> list[Flag]:
    """Every flag that fires, the most serious first."""
    flags = [flag for rule in RULES if (flag := rule(facts)) is not None]
    anxious = any(flag.code in ANXIETY_CODES for flag in flags)
    if (flag := affection_flag(facts, anxious)) is not None:
        flags.append(flag)
    # sorted() is stable: catalogue order holds within a level.
    return sorted(flags, key=lambda flag: LEVEL_RANK[flag.level])


def most_serious(flags: Sequence[Flag]) -> Flag | None:
    return flags[0] if flags else None


# Notes below the flags: a sign that matters, named with its leans before its flag's threshold.


@dataclass(frozen=True)
class Note:
    code: str
    title: str
    evidence: str
    advice: str
    incident_ids: list[int]
    shared_advice: str = ""

    @property
    def advice_for_vet(self) -> str:
        return self.shared_advice or self.advice

    def as_json(self, shared: bool = False) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "evidence": self.evidence,
            "advice": self.advice_for_vet if shared else self.advice,
            "incident_ids": self.incident_ids,
        }


def leans_word(count: int) -> str:
    """'1 lean', '2 leans'."""
    return f"{count} lean" if count == 1 else f"{count} leans"


# The signs the notes name, as they read inside a sentence: "One lean with shaky legs and stiffness",
# "2 leans with signs of worry (trembling and panting)". A sign missing here reads as its label.
SIGN_WORDS = {
    # anxiety
    # Translators: a sign inside a note's title, after "with" ("One lean with trembling") or in a list in
    # brackets; German: the form after "mit".
    Sign.TREMBLING: pgettext_lazy("sign in a sentence", "trembling"),
    Sign.PANTING: pgettext_lazy("sign in a sentence", "panting"),
    Sign.WIDE_EYES: pgettext_lazy("sign in a sentence", "wide eyes"),
    Sign.TAIL_TUCKED: pgettext_lazy("sign in a sentence", "tail tucked"),
    Sign.EARS_BACK: pgettext_lazy("sign in a sentence", "ears back"),
    Sign.LIP_LICKING: pgettext_lazy("sign in a sentence", "lip licking"),
    Sign.YAWNING: pgettext_lazy("sign in a sentence", "yawning"),
    Sign.PACING: pgettext_lazy("sign in a sentence", "pacing"),
    Sign.WHINING: pgettext_lazy("sign in a sentence", "whining"),
    # physical
    Sign.SHAKY_LEGS: pgettext_lazy("sign in a sentence", "shaky legs"),
    Sign.WEIGHT_SHIFTING: pgettext_lazy("sign in a sentence", "shifting weight"),
    # Nouns, as "with" needs: the form's labels ("Stiff", "Slow to stand up") read as adjectives.
    Sign.STIFFNESS: pgettext_lazy("sign in a sentence", "stiffness"),
    Sign.TIRED: pgettext_lazy("sign in a sentence", "tiredness"),
    Sign.SLOW_TO_STAND: pgettext_lazy("sign in a sentence", "trouble standing up"),
    # itch
    Sign.SCOOTING: pgettext_lazy("sign in a sentence", "scooting"),
    Sign.LICKING_REAR: pgettext_lazy("sign in a sentence", "licking the rear"),
    Sign.SCRATCHING: pgettext_lazy("sign in a sentence", "scratching"),
}


def _sign_names(leans: Sequence[Profile], group: str) -> str:
    """The signs of a group the leans showed, in words: 'shaky legs and stiffness'."""
    codes = [code for code in SIGN_GROUPS[group] if any(code in lean.signs for lean in leans)]
    labels = [str(SIGN_WORDS.get(code) or Sign(code).label.lower()) for code in codes]
    if len(labels) == 1:
        return labels[0]
    # Translators: a list of a dog's signs, e.g. "shaky legs, stiffness and tiredness": %(signs)s holds
    # all but the last, separated by commas, %(last)s the last one.
    return _("%(signs)s and %(last)s") % {"signs": ", ".join(labels[:-1]), "last": labels[-1]}


def _with_signs(count: int, signs: str) -> str:
    """A note's title: 'One lean with scooting', '3 leans with shaky legs and stiffness'."""
    # Translators: a note's title: %(count)s leans (one in the first form) that came with
    # %(signs)s, a list of signs such as "shaky legs and stiffness".
    return ngettext("One lean with %(signs)s", "%(count)s leans with %(signs)s", count) % {
        "count": count,
        "signs": signs,
    }


def vet_check_note(facts: Facts) -> Note | None:
    """Any lean with a physical sign, while vet_check has not fired."""
    physical = [lean for lean in facts.profiles if SignGroup.PHYSICAL in lean.groups]
    if not physical:
        return None
    needed = VET_CHECK_SENIOR_MIN if facts.senior else VET_CHECK_YOUNGER_MIN
    count, signs = _count(physical), _sign_names(physical, SignGroup.PHYSICAL)
    values = {"count": count, "total": facts.n, "needed": needed, "signs": signs}
    if facts.senior:
        title = (
            ngettext(
                # Translators: a note's title: %(count)s leans (one in the first form) of an older dog that
                # came with %(signs)s, a list of physical signs such as "shaky legs and stiffness".
                "One lean with %(signs)s in an older dog",
                "%(count)s leans with %(signs)s in an older dog",
                count,
            )
            % values
        )
    else:
        title = _with_signs(count, signs)
    if facts.n == 1:
        evidence = _(
            # Translators: the period's only lean came with a physical sign; %(needed)s (2 or 4) such leans
            # make the report suggest a vet check. Read by the owner and the vet alike.
            "The only lean came with a physical sign; "
            "Leanlog suggests a vet check from %(needed)s such leans."
        )
    else:
        evidence = ngettext(
            # Translators: %(count)s of the period's %(total)s leans (always 2 or more) came with a physical
            # sign; %(needed)s (2 or 4) such leans make the report suggest a vet check. Read by the owner
            # and the vet alike.
            "%(count)s of %(total)s leans came with a physical sign; "
            "Leanlog suggests a vet check from %(needed)s such leans.",
            "%(count)s of %(total)s leans came with a physical sign; "
            "Leanlog suggests a vet check from %(needed)s such leans.",
            count,
        )
    if facts.senior:
        # One more such lean makes the flag.
        # Translators: read by the owner.
        advice = _("If you see it again, Leanlog will suggest a vet check; if it worries you, don’t wait.")
        # Translators: the same advice on the vet's copy, read by the vet.
        shared_advice = _("If it comes again, Leanlog will suggest a vet check.")
    else:
        # Up to three more may come before the flag: "again" would promise it too soon.
        advice = _(
            # Translators: read by the owner, about a younger dog's lean with a physical sign.
            "Note it each time you see it; if it worries you, see your vet without waiting for Leanlog."
        )
        # Translators: the same advice on the vet's copy, read by the vet.
        shared_advice = _("If it comes more often, Leanlog will suggest a vet check.")
    return Note(
        "vet_check", title, evidence % values, advice, facts.ids_of(physical), shared_advice=shared_advice
    )


def itch_check_note(facts: Facts) -> Note | None:
    """A single lean with an itch sign (two make the flag)."""
    itchy = [lean for lean in facts.profiles if SignGroup.ITCH in lean.groups]
    if _count(itchy) != ITCH_CHECK_MIN - 1:
        return None
    return Note(
        "itch_check",
        _with_signs(_count(itchy), _sign_names(itchy, SignGroup.ITCH)),
        ngettext(
            # Translators: one of the period's %(total)s leans came with an itch sign. Read by the owner
            # and the vet alike.
            "1 of %(total)s lean came with scooting, licking or scratching the rear.",
            "1 of %(total)s leans came with scooting, licking or scratching the rear.",
            facts.n,
        )
        % {"total": facts.n},
        # Translators: read by the owner and, on the vet's copy, by the vet.
        _("Once can be nothing; if it comes back, fleas or anal glands are worth a quick vet check."),
        facts.ids_of(itchy),
    )


def anxiety_note(facts: Facts) -> Note | None:
    """Any lean with trembling or two anxiety signs together, while anxiety has not fired."""
    anxious = [
        lean
        for lean in facts.profiles
        if Sign.TREMBLING in lean.signs or len(lean.signs & ANXIETY_SIGNS) >= ANXIETY_SIGNS_TOGETHER
    ]
    if not anxious:
        return None
    count = _count(anxious)
    values = {"count": count, "total": facts.n, "signs": _sign_names(anxious, SignGroup.ANXIETY)}
    if facts.n == 1:
        # Translators: the period's only lean came with anxiety signs. Read by the owner and the vet alike.
        evidence = _("The only lean came with trembling or two anxiety signs at once.")
    else:
        evidence = ngettext(
            # Translators: %(count)s of the period's %(total)s leans (always 2 or more). Read by the owner
            # and the vet alike.
            "%(count)s of %(total)s leans came with trembling or two anxiety signs at once.",
            "%(count)s of %(total)s leans came with trembling or two anxiety signs at once.",
            count,
        )
    return Note(
        "anxiety",
        ngettext(
            # Translators: a note's title: %(count)s leans (one in the first form); %(signs)s is a list of
            # anxiety signs such as "trembling and panting".
            "One lean with signs of worry (%(signs)s)",
            "%(count)s leans with signs of worry (%(signs)s)",
            count,
        )
        % values,
        evidence % values,
        # Translators: read by the owner and, on the vet's copy, by the vet.
        _("Note what happened just before: if it becomes a habit, Leanlog will say so."),
        facts.ids_of(anxious),
    )


def separation_anxiety_note(facts: Facts) -> Note | None:
    """One or two anxious leans while the owner got ready to leave."""
    leaving = [
        lean
        for lean in facts.profiles
        if lean.owner_activity == OwnerActivity.PREPARING_TO_LEAVE and SignGroup.ANXIETY in lean.groups
    ]
    if not leaving or _count(leaving) >= SEPARATION_MIN:
        return None
    values = {"count": _count(leaving)}
    return Note(
        "separation_anxiety",
        ngettext(
            # Translators: a note's title: %(count)s leans (one in the first form, at most 2).
            "One lean with worry as someone got ready to leave",
            "%(count)s leans with worry as someone got ready to leave",
            _count(leaving),
        )
        % values,
        ngettext(
            # Translators: read by the owner and the vet alike.
            "%(count)s lean came while someone was getting ready to leave, with a sign of anxiety.",
            "%(count)s leans came while someone was getting ready to leave, each with a sign of anxiety.",
            _count(leaving),
        )
        % values,
        # Translators: read by the owner and, on the vet's copy, by the vet.
        _("Keep goodbyes calm and low-key; from 3 such leans Leanlog will suggest a plan."),
        facts.ids_of(leaving),
    )


def weight_loss_note(facts: Facts) -> Note | None:
    """A twentieth of body weight or more lost within 90 days (a tenth makes the flag)."""
    change = facts.weight
    if change is None or not change.lost_at_least(WEIGHT_LOSS_NOTE_PCT):
        return None
    return Note(
        "weight_loss",
        ngettext(
            # Translators: a note's title: %(percent)s is the share of body weight lost (e.g. 6.5);
            # %(days)s is always 90.
            "Weight down %(percent)s%% in %(days)s day",
            "Weight down %(percent)s%% in %(days)s days",
            WEIGHT_WINDOW_DAYS,
        )
        % {"percent": _pct(change.loss), "days": WEIGHT_WINDOW_DAYS},
        weight_loss_evidence(change),
        # Translators: read by the owner.
        _("Weigh again in two weeks and tell your vet what the scale says, even if it has stopped falling."),
        [],
        # Translators: the same advice on the vet's copy, read by the vet.
        shared_advice=_("Worth weighing again within two weeks; a loss that goes on calls for a check."),
    )


# Each note under the code of the flag it stands in for (the note's own code): a note whose flag
# fired is not worked out at all. On a long report of a varied journal a note rule reads thousands
# of profiles and names their leans, a few milliseconds each, for a note nobody would see.
NOTE_RULES: dict[str, Callable[[Facts], Note | None]] = {
    "vet_check": vet_check_note,
    "itch_check": itch_check_note,
    "weight_loss": weight_loss_note,
    "anxiety": anxiety_note,
    "separation_anxiety": separation_anxiety_note,
}


def notes_below(facts: Facts, flags: Sequence[Flag]) -> list[Note]:
    """A note for each sign that matters whose flag did not fire."""
    fired = {flag.code for flag in flags}
    wanted = [rule for code, rule in NOTE_RULES.items() if code not in fired]
    return [note for rule in wanted if (note := rule(facts)) is not None]
