"""What the report may claim: observed days, the baseline, too early, notes, the verdict."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from journal.report import numbers as report
from journal.report import rules as flags
from journal.report.numbers import DogFacts, Period
from journal.report.rules import Acknowledgement, Facts, Lean
from tests.helpers import report_of_rows, row, utc

LONDON = zoneinfo.ZoneInfo("Europe/London")
TODAY = dt.date(2025, 3, 31)
PERIOD = Period.last(30, TODAY)  # 2 March to 31 March; the previous period is 31 Jan to 1 Mar
OLD_JOURNAL = dt.date(2024, 1, 1)
ADULT = DogFacts(1, "Biscuit", "medium", dt.date(2021, 3, 14), created_on=OLD_JOURNAL)
SENIOR = DogFacts(2, "Rex", "giant", dt.date(2013, 1, 1), created_on=OLD_JOURNAL)
FORBIDDEN = ("no concerns", "good news")


def build(dog=ADULT, rows=(), previous=0, checkins=(), acks=None, first=None, period=PERIOD):
    return report_of_rows(dog, period, list(rows), previous, first, TODAY, LONDON, checkins, acks)


def plain(n: int, **fields) -> list[tuple]:
    """n leans on n different days of March at 09:00, with the given fields."""
    return [
        row(
            i + 1,
            utc(2025, 3, 3 + i, 9),
            fields.get("intensity", 3),
            fields.get("location", "home"),
            fields.get("activity", ""),
            signs=fields.get("signs", ()),
        )
        for i in range(n)
    ]


# Observed days


def test_it_counts_a_day_with_a_lean_as_observed() -> None:
    assert build(rows=plain(3)).observed_days == 3


def test_it_counts_two_leans_on_one_day_as_one_observed_day() -> None:
    rows = [row(1, utc(2025, 3, 5, 9), 3, "home"), row(2, utc(2025, 3, 5, 18), 3, "home")]
    assert build(rows=rows).observed_days == 1


def test_it_counts_a_check_in_as_an_observed_day() -> None:
    assert build(checkins=[dt.date(2025, 3, 10), dt.date(2025, 3, 11)]).observed_days == 2


def test_it_does_not_count_a_check_in_and_a_lean_on_the_same_day_twice() -> None:
    assert build(rows=plain(1), checkins=[dt.date(2025, 3, 3)]).observed_days == 1


def test_it_leaves_check_ins_of_the_previous_period_out_of_observed_days() -> None:
    assert build(checkins=[dt.date(2025, 3, 1)]).observed_days == 0


def test_it_counts_observed_days_from_the_journals_start() -> None:
    assert (
        report.observed_days(PERIOD, dt.date(2025, 3, 10), [dt.date(2025, 3, 9)], [dt.date(2025, 3, 10)]) == 1
    )


# The baseline


def test_it_has_a_baseline_when_the_previous_period_was_observed() -> None:
    assert report.has_baseline(PERIOD, OLD_JOURNAL, previous_observed_days=1)


def test_it_has_no_baseline_when_nothing_was_observed_in_the_previous_period() -> None:
    assert not report.has_baseline(PERIOD, OLD_JOURNAL, previous_observed_days=0)


def test_it_has_no_baseline_when_the_journal_began_on_the_previous_periods_first_day() -> None:
    assert not report.has_baseline(PERIOD, PERIOD.previous().start, previous_observed_days=5)


def test_it_has_a_baseline_when_the_journal_began_the_day_before_the_previous_period() -> None:
    assert report.has_baseline(
        PERIOD, PERIOD.previous().start - dt.timedelta(days=1), previous_observed_days=1
    )


def test_it_raises_no_frequency_flag_after_an_unlogged_month() -> None:
    built = build(rows=plain(8), previous=0)
    assert "frequency_rise" not in [flag.code for flag in built.flags]


def test_it_compares_with_a_quiet_month_that_has_a_check_in() -> None:
    built = build(rows=plain(8), previous=0, checkins=[dt.date(2025, 2, 14)])
    assert [flag.code for flag in built.flags] == ["frequency_rise"]


# Too early


@pytest.mark.parametrize(
    ("n", "covered", "expected"), [(3, 30, True), (4, 30, False), (4, 7, False), (4, 6, True)]
)
def test_it_is_too_early_below_four_leans_or_seven_covered_days(n, covered, expected) -> None:
    assert report.is_too_early(n, covered) is expected


def test_it_counts_the_days_a_young_journal_covers() -> None:
    assert report.covered_days(PERIOD, dt.date(2025, 3, 25)) == 7


def test_it_is_too_early_for_a_journal_six_days_old_even_with_many_leans() -> None:
    young = DogFacts(3, "Pip", "medium", dt.date(2021, 3, 14), created_on=dt.date(2025, 3, 26))
    rows = [row(i, utc(2025, 3, 26 + i % 6, 9 + i), 3, "home") for i in range(10)]
    built = build(dog=young, rows=rows)
    assert built.too_early
    assert report.verdict_of(built).text.endswith(
        "With 1 more day of journal, Leanlog can start to tell what the leaning is about."
    )


# Notes below the flags


def test_it_names_a_senior_dogs_single_shaky_lean() -> None:
    built = build(dog=SENIOR, rows=plain(1, signs=["shaky_legs"]))
    assert [note.code for note in built.notes] == ["vet_check"]
    assert built.flags == []


def test_it_flags_rather_than_notes_a_senior_dogs_second_shaky_lean() -> None:
    built = build(dog=SENIOR, rows=plain(2, signs=["shaky_legs"]))
    assert ([f.code for f in built.flags], built.notes) == (["vet_check"], [])


def test_it_notes_three_physical_leans_of_a_younger_dog() -> None:
    assert [note.code for note in build(rows=plain(3, signs=["stiffness"])).notes] == ["vet_check"]


def test_it_flags_four_physical_leans_of_a_younger_dog() -> None:
    built = build(rows=plain(4, signs=["stiffness"]))
    assert ([f.code for f in built.flags], built.notes) == (["vet_check"], [])


def test_it_notes_a_single_itchy_lean() -> None:
    assert [note.code for note in build(rows=plain(1, signs=["scooting"])).notes] == ["itch_check"]


def test_it_flags_two_itchy_leans_without_a_note() -> None:
    built = build(rows=plain(2, signs=["scooting"]))
    assert ([f.code for f in built.flags], built.notes) == (["itch_check"], [])


def test_it_notes_one_trembling_lean() -> None:
    assert [note.code for note in build(rows=plain(1, signs=["trembling"])).notes] == ["anxiety"]


def test_it_notes_two_anxiety_signs_together() -> None:
    assert [note.code for note in build(rows=plain(1, signs=["panting", "pacing"])).notes] == ["anxiety"]


def test_it_does_not_note_a_single_anxiety_sign_other_than_trembling() -> None:
    assert build(rows=plain(1, signs=["panting"])).notes == []


def test_it_notes_the_anxiety_the_flag_did_not_catch_yet() -> None:
    # Three trembling leans in a month: not frequent (under 2 a week), so a note, not a flag.
    built = build(rows=plain(3, signs=["trembling"]))
    assert ("anxiety" in [n.code for n in built.notes], "anxiety" in [f.code for f in built.flags]) == (
        True,
        False,
    )


@pytest.mark.parametrize(("count", "noted"), [(0, False), (1, True), (2, True), (3, False)])
def test_it_notes_one_or_two_anxious_departures(count, noted) -> None:
    built = build(rows=plain(count, activity="preparing_to_leave", signs=["whining"]))
    assert ("separation_anxiety" in [note.code for note in built.notes]) is noted


def test_it_flags_three_anxious_departures() -> None:
    built = build(rows=plain(3, activity="preparing_to_leave", signs=["whining"]))
    assert "separation_anxiety" in [flag.code for flag in built.flags]


# The verdict


def test_it_puts_a_vet_flag_first() -> None:
    built = build(dog=SENIOR, rows=plain(2, signs=["shaky_legs"]))
    assert report.verdict_of(built).level == "vet"


def test_it_puts_a_watch_flag_before_a_note() -> None:
    rows = plain(1, signs=["trembling"])
    rows.append(row(9, utc(2025, 3, 20, 9), 5, "home", outcome="knocked_over"))
    assert report.verdict_of(build(rows=rows)).level == "watch"


def test_it_puts_a_note_before_too_early() -> None:
    verdict = report.verdict_of(build(dog=SENIOR, rows=plain(1, signs=["shaky_legs"])))
    assert verdict.level == "note"
    assert verdict.text == (
        "One lean with shaky legs in an older dog: if you see it again, Leanlog will suggest a vet check; "
        "if it worries you, don’t wait."
    )


def test_it_says_how_many_more_leans_an_empty_journal_needs() -> None:
    verdict = report.verdict_of(build())
    assert (verdict.level, verdict.text) == (
        "too_early",
        "Too early to see patterns: no leans logged in this period yet. "
        "With 4 more leans, Leanlog can start to tell what the leaning is about.",
    )


def test_it_says_one_more_lean_after_three() -> None:
    assert "With 1 more lean," in report.verdict_of(build(rows=plain(3))).text


def test_it_puts_too_early_before_an_info_flag() -> None:
    young = DogFacts(3, "Pip", "medium", dt.date(2021, 3, 14), created_on=dt.date(2025, 3, 27))
    rows = [row(i, utc(2025, 3, 27 + i % 4, 9), 3, "home", "just_arrived") for i in range(6)]
    assert report.verdict_of(build(dog=young, rows=rows)).level == "too_early"


def test_it_gives_an_info_verdict_for_a_big_enough_journal() -> None:
    verdict = report.verdict_of(build(rows=plain(4, activity="just_arrived")))
    assert verdict.level == "info"


def test_it_gives_a_clear_bill_only_to_a_big_enough_journal() -> None:
    # 4 days with a lean and 11 check-ins: half the period observed.
    checkins = [dt.date(2025, 3, 10 + i) for i in range(11)]
    verdict = report.verdict_of(build(rows=plain(4), checkins=checkins))
    assert (verdict.level, verdict.text) == (
        "clear",
        "No concerns in these 30 days: 4 leans across the 15 days you noted being with Biscuit, "
        "none with a sign to watch.",
    )


@pytest.mark.parametrize("n", [0, 1, 2, 3])
def test_it_never_reassures_about_a_tiny_journal(n) -> None:
    text = report.verdict_of(build(rows=plain(n))).text.lower()
    assert not any(words in text for words in FORBIDDEN)


def test_it_writes_the_verdict_into_the_json() -> None:
    assert build().as_json()["verdict"]["level"] == "too_early"


# Not noted


def test_it_counts_what_was_not_noted_for_each_optional_field() -> None:
    rows = [(1, utc(2025, 3, 5, 9), None, "", "", "", "", [], [], "", ""), *plain(2)]
    assert build(rows=rows).not_noted == {
        "intensity": 1,
        "duration": 3,
        "posture": 3,
        "location": 1,
        "owner_activity": 3,
        "owner_response": 3,
        "outcome": 3,
    }


def test_it_averages_only_the_noted_intensities() -> None:
    rows = [(1, utc(2025, 3, 5, 9), None, "", "", "", "", [], []), row(2, utc(2025, 3, 6, 9), 4, "walk")]
    assert build(rows=rows).mean_intensity == 4.0


def test_it_shares_places_out_among_the_leans_that_noted_one() -> None:
    rows = [(1, utc(2025, 3, 5, 9), None, "", "", "", "", [], []), row(2, utc(2025, 3, 6, 9), 4, "walk")]
    where = next(part for part in report.breakdowns(build(rows=rows)) if part.key == "locations")
    assert ([(r.code, r.pct) for r in where.rows], where.unnoted) == ([("walk", 100)], 1)


def test_it_keeps_every_lean_in_a_rules_denominator() -> None:
    # 2 of 4 leans busy (50%) with an attention sign; two more with nothing noted.
    leans = [Lean.of(i, utc(2025, 3, 3 + i, 9), owner_activity="busy", signs={"pawing"}) for i in range(2)]
    leans += [Lean.of(i, utc(2025, 3, 3 + i, 9)) for i in range(2, 5)]
    facts = Facts(leans=leans, days=30, rate_per_week=1.2)
    assert flags.attention_seeking_flag(facts) is None


def test_it_writes_the_rate_with_two_decimals() -> None:
    assert build(rows=plain(5)).as_json()["rate_per_week"] == 1.17


# Acknowledgements


def test_it_keeps_a_flag_acknowledged_after_its_last_lean() -> None:
    ack = Acknowledgement(dt.date(2025, 3, 25), utc(2025, 3, 25, 12), "vet saw him")
    built = build(dog=SENIOR, rows=plain(2, signs=["shaky_legs"]), acks={"vet_check": ack})
    assert built.flags[0].as_json()["acknowledged"] == {"on": "2025-03-25", "note": "vet saw him"}


def test_it_brings_a_flag_back_with_a_lean_after_the_acknowledgement() -> None:
    ack = Acknowledgement(dt.date(2025, 3, 3), utc(2025, 3, 3, 12), "")  # the second lean is on the 4th
    built = build(dog=SENIOR, rows=plain(2, signs=["shaky_legs"]), acks={"vet_check": ack})
    assert built.flags[0].acknowledged is None


def test_it_quiets_an_acknowledged_flag_in_the_dog_pages_verdict_only() -> None:
    ack = Acknowledgement(dt.date(2025, 3, 25), utc(2025, 3, 25, 12), "")
    built = build(dog=SENIOR, rows=plain(4, signs=["shaky_legs"]), acks={"vet_check": ack})
    assert (report.verdict_of(built).level, report.verdict_of(built, hide_acknowledged=True).level) == (
        "vet",
        "info",
    )


def test_it_never_calls_a_journal_with_a_handled_flag_clear() -> None:
    ack = Acknowledgement(dt.date(2025, 3, 25), utc(2025, 3, 25, 12), "")
    built = build(dog=SENIOR, rows=plain(4, signs=["shaky_legs"]), acks={"vet_check": ack})
    assert report.verdict_of(built, hide_acknowledged=True).text == (
        "You marked “Physical signs in an older dog: book a vet check” as handled on 25 March 2025. "
        "Leanlog will bring it up again if a new lean shows it."
    )


# A note's words: what the journal shows and what comes next, for this dog.


def test_it_tells_a_senior_that_one_more_such_lean_makes_the_vet_check() -> None:
    (note,) = build(dog=SENIOR, rows=plain(1, signs=["shaky_legs"])).notes
    assert "If you see it again, Leanlog will suggest a vet check" in note.advice


@pytest.mark.parametrize("count", [1, 2, 3])
def test_it_never_promises_a_younger_dogs_vet_check_for_the_next_lean(count: int) -> None:
    """A younger dog's flag needs four such leans: 'again' would promise it at the second."""
    (note,) = build(rows=plain(count, signs=["stiffness"])).notes
    assert "Leanlog suggests a vet check from 4 such leans" in note.evidence
    assert ("again" in note.advice, "again" in note.shared_advice) == (False, False)
    assert "without waiting for Leanlog" in note.advice


def test_it_names_physical_signs_as_they_read_after_with() -> None:
    rows = plain(1, signs=["stiffness", "slow_to_stand", "tired", "weight_shifting"])
    (note,) = build(dog=SENIOR, rows=rows).notes
    assert (
        note.title
        == "One lean with shifting weight, stiffness, tiredness and trouble standing up in an older dog"
    )
