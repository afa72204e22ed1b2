"""Words that claim only what was noted: coverage, shares' bases, rates, heat maps, the vet's copy."""

from __future__ import annotations

import datetime as dt

import pytest

from journal.report import numbers as report
from journal.report.rules import Acknowledgement
from tests.helpers import row, utc
from tests.journal.report.test_honesty import ADULT, PERIOD, build, plain


def days_of_march(first: int, count: int) -> list[dt.date]:
    return [dt.date(2025, 3, first + i) for i in range(count)]


# The verdict's coverage: clear from half the period's days observed, sparse below.


def test_it_calls_a_journal_observed_on_exactly_half_the_days_clear() -> None:
    # 4 leans on 3-6 March and 11 check-ins on 10-20 March: 15 of 30 days.
    built = build(rows=plain(4), checkins=days_of_march(10, 11))
    assert (built.observed_days, built.covered_days) == (15, 30)
    assert report.verdict_of(built).level == "clear"


def test_it_calls_a_journal_observed_on_one_day_under_half_sparse() -> None:
    built = build(rows=plain(4), checkins=days_of_march(10, 10))
    verdict = report.verdict_of(built)
    assert (verdict.level, verdict.text) == (
        "sparse",
        "Nothing flagged in 4 leans, but the journal covers only 14 of 30 days.",
    )


def test_it_counts_coverage_from_the_journals_first_day() -> None:
    # Added on 18 March: 14 days of the period from its start, 7 of them observed.
    young = report.DogFacts(1, "Biscuit", "medium", dt.date(2021, 3, 14), created_on=dt.date(2025, 3, 18))
    rows = [row(i, utc(2025, 3, 18 + i, 9), 3, "home") for i in range(4)]
    built = build(dog=young, rows=rows, checkins=days_of_march(22, 3))
    assert (built.observed_days, built.covered_days) == (7, 14)
    assert report.verdict_of(built).level == "clear"


def test_it_ranks_sparse_after_info_and_before_clear() -> None:
    assert report.VERDICT_LEVELS == ("vet", "watch", "note", "too_early", "info", "sparse", "clear")
    # An info flag is still said over thin coverage.
    assert report.verdict_of(build(rows=plain(4, activity="just_arrived"))).level == "info"


# A share names its basis when some leans did not note the field.


def test_it_names_the_basis_of_a_place_noted_on_one_lean_of_two() -> None:
    rows = [row(1, utc(2025, 3, 3, 9), 3, "home"), row(2, utc(2025, 3, 4, 9), 3, "")]
    places = next(part for part in report.breakdowns(build(rows=rows)) if part.key == "locations")
    assert places.basis == "the 1 of 2 leans with a place noted"


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("owner_activities", "the 2 of 3 leans with an activity noted"),
        ("owner_responses", "the 1 of 3 leans with a response noted"),
    ],
)
def test_it_names_the_basis_of_every_single_choice(key: str, words: str) -> None:
    rows = [
        row(1, utc(2025, 3, 3, 9), 3, "home", "busy", "petted"),
        row(2, utc(2025, 3, 4, 9), 3, "home", "busy"),
        row(3, utc(2025, 3, 5, 9), 3, "home"),
    ]
    part = next(part for part in report.breakdowns(build(rows=rows)) if part.key == key)
    assert (part.basis, part.note) == (words, f"Shares of {words}.")


def test_it_names_no_basis_when_every_lean_noted_the_field() -> None:
    places = next(part for part in report.breakdowns(build(rows=plain(2))) if part.key == "locations")
    assert places.basis == ""


def test_it_says_how_many_leans_the_mean_intensity_rests_on() -> None:
    rows = [row(1, utc(2025, 3, 3, 9), 4, "home"), row(2, utc(2025, 3, 4, 9), None, "home")]
    assert report.intensity_basis(build(rows=rows)) == "from the 1 of 2 leans with an intensity noted"
    assert report.intensity_basis(build(rows=plain(3))) == "from all 3 leans"


# Rates and heat maps need enough journal.


def test_it_gives_a_rate_from_seven_days_of_journal_and_not_from_six() -> None:
    def aged(days: int) -> report.Report:
        created = PERIOD.end - dt.timedelta(days=days - 1)
        dog = report.DogFacts(1, "Biscuit", "medium", dt.date(2021, 3, 14), created_on=created)
        return build(dog=dog, rows=[row(1, utc(2025, 3, 30, 9), 3, "home")])

    assert (report.has_rate(aged(6)), report.has_rate(aged(7))) == (False, True)


def test_it_draws_a_heat_map_from_ten_leans_and_not_from_nine() -> None:
    assert (report.has_heat_map(build(rows=plain(9))), report.has_heat_map(build(rows=plain(10)))) == (
        False,
        True,
    )


# The vet's copy speaks of the family.


def test_it_tells_the_vet_the_family_marked_a_flag_as_handled() -> None:
    rows = plain(2, signs=["scooting"])
    acks = {"itch_check": Acknowledgement(dt.date(2025, 3, 30), utc(2025, 3, 30, 12), "")}
    built = build(rows=rows, acks=acks)
    assert [flag.code for flag in built.flags if flag.acknowledged] == ["itch_check"]
    shared = report.verdict_of(built, shared=True).text
    assert "The family marked" in shared and "You " not in shared
    assert built.as_json(shared=True)["verdict"]["text"] == shared


def test_it_tells_the_vet_the_days_the_family_was_with_the_dog() -> None:
    built = build(rows=plain(4), checkins=days_of_march(10, 11))
    assert "the 15 days the family noted being with Biscuit" in report.verdict_of(built, shared=True).text
    assert ADULT.name == "Biscuit"
