"""Before and after an event, pure: the windows' length and bounds, the counts, the change rule."""

from __future__ import annotations

import datetime as dt

import pytest

from journal.report.before_after import (
    EventFacts,
    LeanDay,
    change_of,
    compare,
    count_window,
    event_reports,
    is_compared,
    window_days,
    windows,
)

S = dt.date(2026, 3, 3)
TODAY = dt.date(2026, 6, 1)


def day(offset: int) -> dt.date:
    return S + dt.timedelta(days=offset)


def event(
    started_on: dt.date = S, ended_on: dt.date | None = None, id: int = 1, title: str = "Carprofen"
) -> EventFacts:
    return EventFacts(id, "medication", title, started_on, ended_on)


def leans_on(offsets: list[int], signs: tuple[str, ...] = (), intensity: int | None = None) -> list[LeanDay]:
    return [LeanDay(day(offset), intensity, signs) for offset in offsets]


# L = min(28, days S..period end inclusive, days journal start..S exclusive)


@pytest.mark.parametrize(
    ("period_end", "journal_start", "expected"),
    [
        (day(27), day(-28), 28),  # both sides exactly 28
        (day(28), day(-29), 28),  # capped at 28
        (day(26), day(-100), 27),  # S..end inclusive: 27 days
        (day(0), day(-100), 1),  # the start is the period's last day
        (day(100), day(-5), 5),  # 5 days of journal before S
        (day(100), day(0), 0),  # the journal starts on S: nothing before
        (day(6), day(-7), 7),
        (day(5), day(-7), 6),
    ],
)
def test_it_takes_the_window_length_at_each_bound(period_end, journal_start, expected) -> None:
    assert window_days(S, period_end, journal_start) == expected


def test_it_places_the_windows_either_side_of_the_start() -> None:
    assert windows(S, 28) == ((day(-28), day(-1)), (day(0), day(27)))
    assert windows(S, 7) == ((day(-7), day(-1)), (day(0), day(6)))


# Which events the period concerns


@pytest.mark.parametrize(
    ("started_on", "ended_on", "expected"),
    [
        (day(0), None, True),  # starts on the period's first day
        (day(30), None, True),  # starts on its last day
        (day(31), None, False),  # after it
        (day(-1), None, True),  # before it, ongoing
        (day(-10), day(0), True),  # before it, ends on its first day
        (day(-10), day(-1), False),  # ended the day before it began
    ],
)
def test_it_compares_events_of_the_period_and_ongoing_ones(started_on, ended_on, expected) -> None:
    assert is_compared(event(started_on, ended_on), day(0), day(30)) is expected


# Counting a window


def test_it_counts_only_the_leans_inside_the_window() -> None:
    leans = leans_on([-8, -7, -1, 0], signs=("trembling",))

    window = count_window(day(-7), day(-1), 7, leans, [])

    assert (window.incidents, window.anxiety, window.observed_days) == (2, 2, 2)


def test_it_counts_a_lean_once_per_group_and_observed_days_with_check_ins() -> None:
    leans = [
        LeanDay(day(0), 4, ("trembling", "panting", "shaky_legs")),
        LeanDay(day(0), None, ("scratching",)),
        LeanDay(day(1), 2, ("relaxed",)),
    ]

    window = count_window(day(0), day(6), 7, leans, [day(1), day(3), day(7)])

    assert window.incidents == 3
    assert (window.physical, window.anxiety, window.itch) == (1, 1, 1)
    assert window.observed_days == 3  # days 0, 1 and 3; day 7 is outside
    assert window.mean_intensity == 3.0  # noted leans only
    assert window.rate_per_week == 3.0


def test_it_gives_the_rate_with_two_decimals_and_no_mean_without_intensity() -> None:
    window = count_window(day(0), day(27), 28, leans_on(list(range(17))), [])

    assert window.rate_per_week == 4.25
    assert window.mean_intensity is None


# The change rule, at and around each threshold


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (9, 6, "fewer"),  # exactly two thirds, 3 fewer
        (9, 7, "same"),  # above two thirds
        (6, 4, "same"),  # two thirds but only 2 fewer
        (4, 1, "fewer"),
        (3, 0, "fewer"),  # 3 fewer, and 0 ≤ 2
        (2, 0, "same"),  # only 2 fewer
        (6, 9, "more"),  # exactly 1.5 times, 3 more
        (6, 8, "same"),  # below 1.5 times
        (4, 6, "same"),  # 1.5 times but only 2 more
        (0, 3, "more"),
        (0, 2, "same"),
        (0, 0, "same"),
        (17, 6, "fewer"),
        (10, 14, "same"),  # 4 more, but under 1.5 times
    ],
)
def test_it_applies_the_change_rule_at_its_thresholds(before: int, after: int, expected: str) -> None:
    assert change_of(before, after) == expected


def test_it_says_too_early_whatever_the_counts() -> None:
    assert change_of(20, 0, too_early=True) == "too_early"


def observed_everywhere(days: int) -> list[dt.date]:
    return [day(offset) for offset in range(-days, days)]


def test_it_is_too_early_under_seven_days_a_side() -> None:
    comparison = compare(event(), [], day(5), day(-100), leans_on([-6] * 9), observed_everywhere(6), TODAY)

    assert comparison.window_days == 6
    assert comparison.change == "too_early"
    assert comparison.by_group == {"physical": "too_early", "anxiety": "too_early", "itch": "too_early"}
    assert "look again from 9 March" in comparison.text


def test_it_compares_at_exactly_seven_days_a_side() -> None:
    comparison = compare(event(), [], day(6), day(-100), leans_on([-6] * 9), observed_everywhere(7), TODAY)

    assert (comparison.window_days, comparison.change) == (7, "fewer")


@pytest.mark.parametrize(("observed_after", "expected"), [(3, "too_early"), (4, "fewer")])
def test_it_needs_four_observed_days_in_each_window(observed_after: int, expected: str) -> None:
    checkins = [day(offset) for offset in range(-7, 0)] + [day(offset) for offset in range(observed_after)]

    comparison = compare(event(), [], day(6), day(-100), leans_on([-3] * 5), checkins, TODAY)

    assert comparison.change == expected


def test_it_says_how_many_check_ins_are_missing() -> None:
    checkins = [day(offset) for offset in range(-28, 0)] + [day(0)]

    comparison = compare(event(), [], day(27), day(-100), [], checkins, TODAY)

    assert comparison.text == (
        "Since “Carprofen” began on 3 March: check in on 3 more days by 30 March to compare."
    )


def test_it_says_the_journal_began_too_recently() -> None:
    comparison = compare(event(), [], day(27), day(-3), [], observed_everywhere(28), TODAY)

    assert comparison.window_days == 3
    assert "began only 3 days before it" in comparison.text


def test_it_says_what_the_journal_shows_and_no_more() -> None:
    before = leans_on(list(range(-28, -11)), signs=("shaky_legs",))  # 17 leans, 17 physical
    after = leans_on(list(range(0, 6)), signs=("shaky_legs",))[:2] + leans_on([10, 11, 12, 13])

    comparison = compare(event(), [], day(27), day(-100), before + after, observed_everywhere(28), TODAY)

    assert comparison.change == "fewer"
    assert comparison.by_group == {"physical": "fewer", "anxiety": "same", "itch": "same"}
    assert comparison.text == (
        "Since “Carprofen” began on 3 March: fewer leans in 28 days than in the 28 before "
        "(4.25 → 1.50 leans a week, leans with a physical sign 17 → 2). Other things may have changed too."
    )
    assert "worked" not in comparison.text and "helped" not in comparison.text


def test_it_calls_a_third_more_leans_no_clear_change_rather_than_about_as_many() -> None:
    # 15 leans before, 20 after: under 1.5 times as many, so "same" by the rule, yet a third more.
    leans = leans_on(list(range(-15, 0)) + list(range(0, 20)))

    comparison = compare(event(), [], day(27), day(-100), leans, observed_everywhere(28), TODAY)

    assert comparison.change == "same"
    assert comparison.text.startswith(
        "Since “Carprofen” began on 3 March: no clear change in leans over 28 days against the 28 before "
        "(3.75 → 5.00 leans a week)."
    )
    assert "as many" not in comparison.text


def test_it_says_when_fewer_days_were_noted_after_than_before() -> None:
    # A lean a day on 15 days before and 10 after, nothing else noted: fewer leans, and fewer days.
    leans = leans_on(list(range(-15, 0)) + list(range(0, 10)))

    comparison = compare(event(), [], day(27), day(-100), leans, [], TODAY)

    assert comparison.change == "fewer"
    assert "Noted on 15 days before and 10 after: part of the difference may be days nobody noted." in (
        comparison.text
    )


@pytest.mark.parametrize(("observed_before", "observed_after", "said"), [(15, 11, False), (15, 10, True)])
def test_it_names_the_days_noted_at_the_change_rules_threshold(observed_before, observed_after, said) -> None:
    # The same rule as for leans: at most two thirds, and at least 3 days apart.
    checkins = [day(-1 - n) for n in range(observed_before)] + [day(n) for n in range(observed_after)]

    comparison = compare(event(), [], day(27), day(-100), leans_on([-2, 3]), checkins, TODAY)

    assert ("Noted on" in comparison.text) is said


def test_it_names_another_event_that_starts_inside_either_window() -> None:
    others = [
        event(day(-28), id=2, title="New food"),  # the before window's first day
        event(day(27), id=3, title="Move"),  # the after window's last day
        event(day(-29), id=4, title="Too early"),
        event(day(28), id=5, title="Too late"),
    ]

    comparison = compare(event(), [event(), *others], day(40), day(-100), [], observed_everywhere(28), TODAY)

    assert comparison.overlaps == [2, 3]
    assert "Also in these weeks: “New food” (3 February), “Move” (30 March)." in comparison.text


def test_it_lists_only_the_events_the_period_concerns_in_start_order() -> None:
    events = [
        event(day(10), id=1),
        event(day(-40), day(-35), id=2),
        event(day(-40), id=3),
        event(day(50), id=4),
    ]

    reports = event_reports(events, day(0), day(30), day(-100), [], [], TODAY)

    assert [report.event.id for report in reports] == [3, 1]


# The vet's copy: the same comparison, the household in the third person.


def test_it_tells_the_vet_which_check_ins_the_family_needs() -> None:
    checkins = [day(offset) for offset in range(-28, -26)] + [day(0)]

    comparison = compare(event(), [], day(27), day(-100), [], checkins, TODAY)

    assert comparison.shared_text == (
        "Since “Carprofen” began on 3 March: the family needs to check in on 2 more days between "
        "3 February and 2 March and check in on 3 more days by 30 March to compare."
    )
    assert comparison.text.startswith("Since “Carprofen” began on 3 March: check in on 2 more days between ")


def test_it_tells_the_vet_the_dates_are_too_short_rather_than_to_look_again() -> None:
    comparison = compare(event(), [], day(5), day(-100), leans_on([-6] * 9), observed_everywhere(6), TODAY)

    assert comparison.shared_text == (
        "Since “Carprofen” began on 3 March: too early to compare; the report’s dates cover only 6 days "
        "from its start, and a comparison needs at least 7 on each side."
    )


def test_it_tells_the_vet_a_comparison_in_the_same_words() -> None:
    before = leans_on(list(range(-28, -11)), signs=("shaky_legs",))

    comparison = compare(event(), [], day(27), day(-100), before, observed_everywhere(28), TODAY)

    assert comparison.shared_text == comparison.text
    assert comparison.as_json(shared=True)["text"] == comparison.text


def test_it_puts_the_vets_words_in_the_vets_json() -> None:
    comparison = compare(event(), [], day(27), day(-100), [], [day(0)], TODAY)

    assert "the family needs to" in comparison.as_json(shared=True)["text"]
    assert "the family" not in comparison.as_json()["text"]


@pytest.mark.parametrize("kind", ["vet_visit", "life_change"])
def test_it_never_says_an_event_of_one_day_began(kind: str) -> None:
    check_up = EventFacts(1, kind, "Check-up", day(0), None)
    leans = leans_on(list(range(-15, 0)) + list(range(0, 20)))

    compared = compare(check_up, [], day(27), day(-100), leans, observed_everywhere(28), TODAY)
    too_early = compare(check_up, [], day(3), day(-100), leans, observed_everywhere(28), TODAY)

    assert compared.text.startswith("Since “Check-up” on 3 March: no clear change in leans over 28 days")
    assert too_early.text.startswith("Since “Check-up” on 3 March: too early to compare")
    assert "began" not in compared.text + too_early.text
