"""The rule catalogue, case by case: at, above and below every threshold."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from journal.report import rules
from journal.report.rules import Facts, Lean, Level
from journal.report.weights import WeightChange
from journal.vocabulary import Outcome, OwnerActivity, OwnerResponse, Sign, Trigger

NOON = dt.datetime(2025, 3, 10, 12, 0)


def lean(i: int, **fields) -> Lean:
    return Lean.of(i, NOON + dt.timedelta(hours=i), **fields)


def journal(*groups: tuple[int, dict]) -> list[Lean]:
    """(count, fields) groups in order, numbered from 1."""
    leans: list[Lean] = []
    for count, fields in groups:
        for _ in range(count):
            leans.append(lean(len(leans) + 1, **fields))
    return leans


def facts(leans: list[Lean], rate: float = 3.0, **kwargs) -> Facts:
    kwargs.setdefault("days", 30)
    return Facts(leans=leans, rate_per_week=rate, **kwargs)


def codes(found: list[rules.Flag]) -> list[str]:
    return [flag.code for flag in found]


TREMBLING = {"signs": ["trembling"]}
TWO_ANXIETY = {"signs": ["panting", "ears_back"]}
ONE_ANXIETY = {"signs": ["panting"]}
PLAIN: dict = {}


# Shares and wording


def test_it_rounds_a_half_percent_up() -> None:
    assert rules.percent(1, 8) == 13


def test_it_rounds_two_thirds_to_67_percent() -> None:
    assert rules.percent(2, 3) == 67


def test_it_gives_zero_percent_of_nothing() -> None:
    assert rules.percent(0, 0) == 0


def test_it_compares_thirty_percent_exactly() -> None:
    assert rules.at_least_pct(3, 10, 30)


def test_it_words_a_share_with_numbers() -> None:
    assert rules.share(9, 14, "came with trembling.") == "9 of 14 leans (64%) came with trembling."


# Frequent: rate >= 2 a week and N >= 4


def test_it_calls_four_leans_at_two_a_week_frequent() -> None:
    assert rules.is_frequent(4, 2.0)


def test_it_does_not_call_a_rate_just_under_two_frequent() -> None:
    assert not rules.is_frequent(10, 1.99)


def test_it_does_not_call_three_leans_frequent_at_any_rate() -> None:
    assert not rules.is_frequent(3, 21.0)


# anxiety


def test_it_flags_anxiety_at_three_trembling_leans_of_twelve() -> None:
    found = rules.anxiety_flag(facts(journal((3, TREMBLING), (9, PLAIN))))
    assert found is not None and found.level == Level.WATCH


def test_it_flags_anxiety_above_the_trembling_thresholds() -> None:
    assert rules.anxiety_flag(facts(journal((5, TREMBLING), (5, PLAIN)))) is not None


def test_it_does_not_flag_two_trembling_leans_even_at_a_quarter() -> None:
    assert rules.anxiety_flag(facts(journal((2, TREMBLING), (6, PLAIN)))) is None


def test_it_does_not_flag_three_trembling_leans_under_a_quarter() -> None:
    assert rules.anxiety_flag(facts(journal((3, TREMBLING), (10, PLAIN)))) is None


def test_it_does_not_flag_anxiety_when_leaning_is_not_frequent() -> None:
    assert rules.anxiety_flag(facts(journal((4, TREMBLING)), rate=1.9)) is None


def test_it_flags_anxiety_at_four_of_ten_leans_with_two_anxiety_signs() -> None:
    assert rules.anxiety_flag(facts(journal((4, TWO_ANXIETY), (6, PLAIN)))) is not None


def test_it_does_not_flag_three_of_eight_leans_with_two_anxiety_signs() -> None:
    assert rules.anxiety_flag(facts(journal((3, TWO_ANXIETY), (5, PLAIN)))) is None


def test_it_does_not_flag_two_of_five_leans_with_two_anxiety_signs() -> None:
    assert rules.anxiety_flag(facts(journal((2, TWO_ANXIETY), (3, PLAIN)))) is None


def test_it_does_not_count_a_single_anxiety_sign_as_together() -> None:
    assert rules.anxiety_flag(facts(journal((6, ONE_ANXIETY), (4, PLAIN)))) is None


def test_it_gives_the_trembling_evidence_in_numbers() -> None:
    found = rules.anxiety_flag(facts(journal((9, TREMBLING), (5, PLAIN)), rate=3.27))
    assert found is not None
    assert found.evidence == (
        "9 of 14 leans (64%) came with trembling. That is 14 leans in 30 days, about 3.3 a week."
    )


def test_it_never_says_a_journal_covers_more_days_than_it_does() -> None:
    # Three days old: a count, no rate per week (a rate needs a week of journal).
    found = rules.anxiety_flag(facts(journal((5, TREMBLING)), rate=5.0, rate_days=7, covered_days=3))
    assert found is not None
    assert found.evidence.endswith("That is 5 leans in the journal’s first 3 days.")
    assert "a week" not in found.evidence
    assert "7 days the journal spans" not in found.evidence


def test_it_says_a_short_period_is_spread_over_a_week_without_calling_the_journal_young() -> None:
    found = rules.anxiety_flag(facts(journal((5, TREMBLING)), rate=5.0, days=3, rate_days=7, covered_days=3))
    assert found is not None
    assert found.evidence.endswith("That is 5 leans in these 3 days.")
    assert "first" not in found.evidence


def test_it_counts_the_rate_over_the_days_a_young_journal_covers() -> None:
    found = rules.anxiety_flag(facts(journal((5, TREMBLING)), rate=5.0, rate_days=7))
    assert found is not None
    assert found.evidence.endswith("That is 5 leans in the 7 days the journal spans, about 5.0 a week.")


def test_it_lists_the_anxious_leans_behind_the_flag() -> None:
    leans = journal((3, TREMBLING), (3, TWO_ANXIETY), (1, PLAIN))
    found = rules.anxiety_flag(facts(leans))
    assert found is not None and found.incident_ids == [1, 2, 3, 4, 5, 6]


def test_it_points_to_the_vet_first_when_physical_and_anxiety_signs_meet() -> None:
    found = rules.anxiety_flag(facts(journal((4, TREMBLING), (1, {"signs": ["stiffness"]}))))
    assert found is not None and found.advice.startswith("Some of these leans also came with physical")


def test_it_gives_plain_anxiety_advice_without_physical_signs() -> None:
    found = rules.anxiety_flag(facts(journal((4, TREMBLING))))
    assert found is not None and "see your vet first" not in found.advice


# vet_check


def test_it_sends_a_senior_with_two_physical_leans_to_the_vet() -> None:
    found = rules.vet_check_flag(facts(journal((2, {"signs": ["stiffness"]})), senior=True))
    assert found is not None and found.level == Level.VET


def test_it_sends_a_senior_with_three_physical_leans_to_the_vet() -> None:
    found = rules.vet_check_flag(facts(journal((3, {"signs": ["shaky_legs"]})), senior=True))
    assert found is not None and found.level == Level.VET


def test_it_does_not_flag_a_senior_with_one_physical_lean() -> None:
    assert rules.vet_check_flag(facts(journal((1, {"signs": ["tired"]}), (5, PLAIN)), senior=True)) is None


def test_it_watches_a_younger_dog_with_four_physical_leans() -> None:
    found = rules.vet_check_flag(facts(journal((4, {"signs": ["slow_to_stand"]}))))
    assert found is not None and found.level == Level.WATCH


def test_it_watches_a_younger_dog_with_five_physical_leans() -> None:
    found = rules.vet_check_flag(facts(journal((5, {"signs": ["weight_shifting"]}))))
    assert found is not None and found.level == Level.WATCH


def test_it_does_not_flag_a_younger_dog_with_three_physical_leans() -> None:
    assert rules.vet_check_flag(facts(journal((3, {"signs": ["stiffness"]})))) is None


def test_it_mentions_anxiety_in_the_vet_advice_when_both_meet() -> None:
    found = rules.vet_check_flag(facts(journal((2, {"signs": ["stiffness", "trembling"]})), senior=True))
    assert found is not None and "pain can cause anxiety" in found.advice


# itch_check


def test_it_sends_two_itchy_leans_to_the_vet() -> None:
    found = rules.itch_check_flag(facts(journal((2, {"signs": ["scooting"]}))))
    assert found is not None and found.level == Level.VET


def test_it_flags_three_itchy_leans() -> None:
    assert rules.itch_check_flag(facts(journal((3, {"signs": ["licking_rear"]})))) is not None


def test_it_does_not_flag_one_itchy_lean() -> None:
    assert rules.itch_check_flag(facts(journal((1, {"signs": ["scratching"]}), (5, PLAIN)))) is None


# separation_anxiety

LEAVING_ANXIOUS = {"owner_activity": "preparing_to_leave", "signs": ["whining"]}


def test_it_flags_three_anxious_leans_before_leaving() -> None:
    found = rules.separation_anxiety_flag(facts(journal((3, LEAVING_ANXIOUS))))
    assert found is not None and found.level == Level.WATCH


def test_it_flags_four_anxious_leans_before_leaving() -> None:
    assert rules.separation_anxiety_flag(facts(journal((4, LEAVING_ANXIOUS)))) is not None


def test_it_does_not_flag_two_anxious_leans_before_leaving() -> None:
    assert rules.separation_anxiety_flag(facts(journal((2, LEAVING_ANXIOUS), (6, PLAIN)))) is None


def test_it_needs_an_anxiety_sign_on_each_lean_before_leaving() -> None:
    leans = journal((2, LEAVING_ANXIOUS), (1, {"owner_activity": "preparing_to_leave"}))
    assert rules.separation_anxiety_flag(facts(leans)) is None


# attention_seeking

BUSY_ASKING = {"owner_activity": "busy", "signs": ["nudging"]}
BUSY = {"owner_activity": "busy"}


def test_it_flags_attention_at_half_busy_and_thirty_percent_asking() -> None:
    found = rules.attention_seeking_flag(facts(journal((3, BUSY_ASKING), (2, BUSY), (5, PLAIN))))
    assert found is not None and found.level == Level.INFO


def test_it_does_not_flag_attention_under_half_busy() -> None:
    assert rules.attention_seeking_flag(facts(journal((3, BUSY_ASKING), (1, BUSY), (6, PLAIN)))) is None


def test_it_does_not_flag_attention_under_thirty_percent_asking() -> None:
    assert rules.attention_seeking_flag(facts(journal((2, BUSY_ASKING), (3, BUSY), (5, PLAIN)))) is None


def test_it_does_not_flag_attention_in_three_leans() -> None:
    assert rules.attention_seeking_flag(facts(journal((3, BUSY_ASKING)))) is None


def test_it_counts_a_phone_call_as_busy() -> None:
    leans = journal((4, {"owner_activity": "talking", "signs": ["pawing"]}))
    assert rules.attention_seeking_flag(facts(leans)) is not None


def test_it_mentions_reinforcement_when_sixty_percent_were_petted() -> None:
    leans = journal((6, {**BUSY_ASKING, "owner_response": "petted"}), (4, BUSY_ASKING))
    found = rules.attention_seeking_flag(facts(leans))
    assert found is not None and "rewards the leaning" in found.advice


def test_it_leaves_out_reinforcement_when_half_were_petted() -> None:
    leans = journal((5, {**BUSY_ASKING, "owner_response": "petted"}), (5, BUSY_ASKING))
    found = rules.attention_seeking_flag(facts(leans))
    assert found is not None and "rewards the leaning" not in found.advice


# greeting and claiming

ARRIVED = {"owner_activity": "just_arrived"}
OTHER_DOGS = {"triggers": ["other_dogs"]}


def test_it_flags_greeting_at_half_the_leans() -> None:
    assert rules.greeting_flag(facts(journal((2, ARRIVED), (2, PLAIN)))) is not None


def test_it_does_not_flag_greeting_under_half() -> None:
    assert rules.greeting_flag(facts(journal((2, ARRIVED), (3, PLAIN)))) is None


def test_it_does_not_flag_greeting_in_three_leans() -> None:
    assert rules.greeting_flag(facts(journal((3, ARRIVED)))) is None


def test_it_flags_claiming_at_half_the_leans() -> None:
    assert rules.claiming_flag(facts(journal((2, OTHER_DOGS), (2, PLAIN)))) is not None


def test_it_does_not_flag_claiming_under_half() -> None:
    assert rules.claiming_flag(facts(journal((2, OTHER_DOGS), (3, PLAIN)))) is None


def test_it_does_not_flag_claiming_in_three_leans() -> None:
    assert rules.claiming_flag(facts(journal((3, OTHER_DOGS)))) is None


# knock_over


def test_it_watches_a_single_knock_over() -> None:
    found = rules.knock_over_flag(facts(journal((1, {"outcome": "knocked_over"}))))
    assert found is not None and found.level == Level.WATCH and found.incident_ids == [1]


def test_it_does_not_flag_knock_over_without_a_fall() -> None:
    assert rules.knock_over_flag(facts(journal((5, {"outcome": "settled"})))) is None


# frequency_rise


def test_it_notes_a_rise_at_six_leans_and_twice_the_previous() -> None:
    found = rules.frequency_rise_flag(facts(journal((6, PLAIN)), previous_count=3, has_baseline=True))
    assert found is not None and found.level == Level.INFO


def test_it_does_not_note_a_rise_under_twice_the_previous() -> None:
    assert rules.frequency_rise_flag(facts(journal((7, PLAIN)), previous_count=4, has_baseline=True)) is None


def test_it_does_not_note_a_rise_in_five_leans() -> None:
    assert rules.frequency_rise_flag(facts(journal((5, PLAIN)), previous_count=1, has_baseline=True)) is None


def test_it_keeps_a_rise_under_three_times_at_info() -> None:
    found = rules.frequency_rise_flag(facts(journal((8, PLAIN)), previous_count=3, has_baseline=True))
    assert found is not None and found.level == Level.INFO


def test_it_watches_a_rise_at_three_times_the_previous() -> None:
    found = rules.frequency_rise_flag(facts(journal((9, PLAIN)), previous_count=3, has_baseline=True))
    assert found is not None and found.level == Level.WATCH


def test_it_does_not_note_a_rise_without_a_baseline() -> None:
    assert (
        rules.frequency_rise_flag(facts(journal((12, PLAIN)), previous_count=0, has_baseline=False)) is None
    )


def test_it_words_a_rise_from_nothing() -> None:
    found = rules.frequency_rise_flag(facts(journal((6, PLAIN)), previous_count=0, has_baseline=True))
    assert found is not None
    assert found.evidence == "6 leans in these 30 days against none in the 30 days before."


def test_it_words_a_rise_with_its_ratio() -> None:
    found = rules.frequency_rise_flag(facts(journal((9, PLAIN)), previous_count=3, has_baseline=True))
    assert found is not None
    assert found.evidence == "9 leans in these 30 days against 3 in the 30 days before (3.0 times as many)."


def test_it_calls_a_365_day_period_a_year_in_a_rise() -> None:
    found = rules.frequency_rise_flag(
        facts(journal((9, PLAIN)), previous_count=3, has_baseline=True, days=365)
    )
    assert found is not None
    assert found.evidence == "9 leans in the past year against 3 in the year before (3.0 times as many)."


def test_it_calls_a_365_day_period_a_year_in_a_rise_from_nothing() -> None:
    found = rules.frequency_rise_flag(
        facts(journal((6, PLAIN)), previous_count=0, has_baseline=True, days=365)
    )
    assert found is not None
    assert found.evidence == "6 leans in the past year against none in the year before."


def test_it_calls_a_365_day_period_a_year_in_the_rate() -> None:
    found = rules.anxiety_flag(facts(journal((9, TREMBLING), (5, PLAIN)), rate=3.27, days=365))
    assert found is not None
    assert found.evidence.endswith("That is 14 leans in a year, about 3.3 a week.")


# affection

RELAXED = {"signs": ["relaxed", "tail_wagging"]}


def test_it_notes_affection_at_sixty_percent_relaxed() -> None:
    found = rules.affection_flag(facts(journal((3, RELAXED), (2, PLAIN))), anxious=False)
    assert found is not None and found.level == Level.INFO


def test_it_does_not_note_affection_at_half_relaxed() -> None:
    assert rules.affection_flag(facts(journal((2, RELAXED), (2, PLAIN))), anxious=False) is None


def test_it_does_not_note_affection_in_three_leans() -> None:
    assert rules.affection_flag(facts(journal((3, RELAXED))), anxious=False) is None


def test_it_does_not_note_affection_next_to_an_anxiety_flag() -> None:
    leans = journal((4, {"signs": ["relaxed", "trembling"]}), (1, RELAXED))
    assert "affection" not in codes(rules.evaluate(facts(leans)))


def test_it_does_not_note_affection_next_to_a_separation_flag() -> None:
    leans = journal((3, {**LEAVING_ANXIOUS, "signs": ["whining", "sighing"]}), (3, RELAXED))
    assert codes(rules.evaluate(facts(leans, rate=1.0))) == ["separation_anxiety"]


# The whole catalogue


def test_it_finds_nothing_in_an_empty_period() -> None:
    assert rules.evaluate(facts([], rate=0.0)) == []


def test_it_orders_flags_vet_then_watch_then_info() -> None:
    leans = journal(
        (2, {"signs": ["scooting"], "owner_activity": "just_arrived"}),
        (1, {"outcome": "knocked_over", "owner_activity": "just_arrived"}),
        (1, PLAIN),
    )
    assert codes(rules.evaluate(facts(leans))) == ["itch_check", "knock_over", "greeting"]


def test_it_puts_the_physical_check_before_anxiety_at_the_same_level() -> None:
    leans = journal((4, {"signs": ["trembling", "stiffness"]}))
    assert codes(rules.evaluate(facts(leans))) == ["vet_check", "anxiety"]


def test_it_picks_the_most_serious_flag() -> None:
    leans = journal((2, {"signs": ["scooting"]}), (1, {"outcome": "knocked_over"}))
    found = rules.most_serious(rules.evaluate(facts(leans)))
    assert found is not None and found.code == "itch_check"


@pytest.mark.parametrize("code", ["anxiety", "vet_check", "itch_check", "greeting", "claiming", "affection"])
def test_it_offers_an_exact_journal_filter_for_single_filter_rules(code: str) -> None:
    leans = journal(
        (4, {"signs": ["trembling", "stiffness", "scooting", "relaxed"], "owner_activity": "just_arrived"}),
        (4, {"triggers": ["other_dogs"], "signs": ["relaxed"]}),
    )
    found = {flag.code: flag for flag in rules.evaluate(facts(leans))}
    found.update({"affection": rules.affection_flag(facts(leans), anxious=False)})
    assert found[code].journal_filter and found[code].journal_filter_exact


# The report groups leans by what the rules read of them (rules.RULE_SIGNS and the rule_*
# views): the flags and notes must come out exactly as from the leans themselves.


def _rules_view(leans: list[Lean]) -> list[rules.Profile]:
    places: dict[tuple, list[int]] = {}
    for place, one in enumerate(leans):
        key = (
            rules.rule_activity(one.owner_activity),
            rules.rule_response(one.owner_response),
            rules.rule_outcome(one.outcome),
            rules.rule_triggers(one.triggers),
            rules.rule_signs(one.signs),
        )
        places.setdefault(key, []).append(place)
    return [
        rules.Profile(len(found), tuple(found), None, "", activity, response, outcome, triggers, *signs)
        for (activity, response, outcome, triggers, signs), found in places.items()
    ]


def _seeded_leans(seed: int, count: int) -> list[Lean]:
    chance = random.Random(seed)
    return [
        lean(
            i,
            owner_activity=chance.choice(["", *OwnerActivity.values]),
            owner_response=chance.choice(["", *OwnerResponse.values]),
            outcome=chance.choice(["", *Outcome.values]),
            triggers=chance.sample(Trigger.values, chance.randint(0, 2)),
            signs=chance.sample(Sign.values, chance.randint(0, 3)),
            location=chance.choice(["", "home", "vet"]),
            intensity=chance.choice([None, 1, 5]),
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("senior", [False, True])
def test_it_flags_the_same_from_the_rules_view_of_the_leans(seed: int, senior: bool) -> None:
    leans = _seeded_leans(seed, 8 + seed * 5)
    common = {
        "days": 30,
        "rate_per_week": 3.0,
        "previous_count": seed % 4,
        "has_baseline": True,
        "senior": senior,
    }
    whole = Facts(leans=leans, **common)
    viewed = Facts(leans=(), profiles=_rules_view(leans), ids=[one.id for one in leans], **common)
    assert [flag.as_json() for flag in rules.evaluate(viewed)] == [
        flag.as_json() for flag in rules.evaluate(whole)
    ]
    assert [note.as_json() for note in rules.notes_below(viewed, [])] == [
        note.as_json() for note in rules.notes_below(whole, [])
    ]


# Notes: each stands in for a flag that did not fire.

# For each note, a month of leans (and a weighing) that makes it and not its flag.
NOTE_CASES = {
    "vet_check": {"leans": journal((1, {"signs": ["shaky_legs"]})), "senior": True},
    "itch_check": {"leans": journal((1, {"signs": ["scooting"]}))},
    "weight_loss": {
        "leans": journal((1, PLAIN)),
        "weight": WeightChange(dt.date(2025, 3, 20), Decimal("28.5"), dt.date(2025, 1, 10), Decimal("30")),
    },
    "anxiety": {"leans": journal((1, TREMBLING))},
    "separation_anxiety": {
        "leans": journal((1, {"owner_activity": OwnerActivity.PREPARING_TO_LEAVE, "signs": ["whining"]}))
    },
}


@pytest.mark.parametrize("code", NOTE_CASES)
def test_it_files_each_note_under_its_own_code(code: str) -> None:
    case = facts(**NOTE_CASES[code])
    assert (codes(rules.evaluate(case)), [note.code for note in rules.notes_below(case, [])]) == ([], [code])
    assert rules.NOTE_RULES[code](case).code == code


@pytest.mark.parametrize("code", NOTE_CASES)
def test_it_does_not_work_out_a_note_whose_flag_fired(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def unwanted(_facts: Facts) -> None:
        raise AssertionError(f"the {code} note was worked out although its flag fired")

    monkeypatch.setitem(rules.NOTE_RULES, code, unwanted)
    fired = rules.Flag(code, Level.WATCH, "title", "evidence", "advice", [], {}, False)
    others = [note.code for note in rules.notes_below(facts(**NOTE_CASES[code]), [fired])]
    assert others == []
