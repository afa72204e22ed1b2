"""The report's numbers on a small journal counted by hand, and the loaders' query counts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from dogs.models import Dog
from journal.report import numbers as report
from journal.report.numbers import DogFacts, Period
from journal.report.rules import most_serious
from tests.helpers import (
    ROWS,
    journal_in_db,
    load_report,
    make_dog,
    make_incident,
    make_owner,
    report_of_rows,
    row,
    utc,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = dt.UTC
TODAY = dt.date(2025, 3, 31)  # a Monday; London moved to summer time on Sunday 30 March
PERIOD = Period.last(30, TODAY)  # 2 March (a Sunday) to 31 March
BISCUIT = DogFacts(1, "Biscuit", "medium", dt.date(2021, 3, 14), created_on=dt.date(2025, 1, 1))


@pytest.fixture
def built() -> report.Report:
    return report_of_rows(
        BISCUIT,
        PERIOD,
        ROWS,
        previous_incidents=2,
        first_lean_on=dt.date(2025, 2, 10),
        today=TODAY,
        tz=LONDON,
    )


# Periods


def test_it_counts_both_ends_of_a_period() -> None:
    assert (PERIOD.start, PERIOD.end, PERIOD.days) == (dt.date(2025, 3, 2), dt.date(2025, 3, 31), 30)


def test_it_puts_the_previous_period_just_before() -> None:
    assert PERIOD.previous() == Period(dt.date(2025, 1, 31), dt.date(2025, 3, 1))


def test_it_bounds_a_period_at_local_midnights() -> None:
    since, until = PERIOD.bounds(LONDON)
    assert (since.astimezone(UTC), until.astimezone(UTC)) == (utc(2025, 3, 2), utc(2025, 3, 31, 23))


# D, the rate and the baseline


def test_it_spreads_the_rate_over_the_whole_period_for_an_old_journal() -> None:
    assert report.rate_days(PERIOD, dt.date(2024, 6, 1)) == 30


def test_it_spreads_the_rate_from_the_journal_start() -> None:
    assert report.rate_days(PERIOD, dt.date(2025, 3, 20)) == 12


def test_it_spreads_the_rate_over_at_least_seven_days() -> None:
    assert report.rate_days(PERIOD, dt.date(2025, 3, 28)) == 7


def test_it_starts_the_journal_at_a_lean_logged_before_the_dog_was_added() -> None:
    assert report.journal_start(dt.date(2025, 3, 28), dt.date(2025, 3, 10)) == dt.date(2025, 3, 10)


def test_it_starts_the_journal_on_the_day_the_dog_was_added() -> None:
    assert report.journal_start(dt.date(2025, 3, 28), None) == dt.date(2025, 3, 28)


def test_it_has_a_baseline_when_the_journal_began_before_the_previous_period() -> None:
    assert report.has_baseline(PERIOD, dt.date(2025, 1, 30))


def test_it_has_no_baseline_when_the_journal_began_on_the_previous_periods_first_day() -> None:
    assert not report.has_baseline(PERIOD, dt.date(2025, 1, 31))


# The hand-counted journal


def test_it_counts_the_leans(built: report.Report) -> None:
    assert built.incidents == 6


def test_it_gives_the_rate_per_week(built: report.Report) -> None:
    assert (built.rate_days, round(built.rate_per_week, 2)) == (30, 1.4)


def test_it_gives_the_mean_intensity(built: report.Report) -> None:
    assert built.mean_intensity == 3.0


def test_it_counts_signs_most_frequent_first(built: report.Report) -> None:
    assert list(built.signs.items()) == [
        ("trembling", 3),
        ("panting", 1),
        ("stiffness", 1),
        ("nudging", 1),
        ("relaxed", 1),
        ("tail_wagging", 1),
    ]


def test_it_counts_triggers(built: report.Report) -> None:
    assert built.triggers == {"thunder_fireworks": 2, "other_dogs": 1}


def test_it_counts_locations(built: report.Report) -> None:
    assert built.locations == {"home": 5, "dog_park": 1}


def test_it_counts_owner_activities_leaving_out_the_unnoted(built: report.Report) -> None:
    assert list(built.owner_activities.items()) == [
        ("relaxing", 2),
        ("just_arrived", 1),
        ("busy", 1),
        ("walking", 1),
    ]


def test_it_counts_owner_responses(built: report.Report) -> None:
    assert built.owner_responses == {"petted": 2, "talked": 2, "ignored": 1}


def test_it_counts_by_hour_in_the_owners_zone(built: report.Report) -> None:
    expected = [0] * 24
    expected[0], expected[8], expected[12], expected[18] = 2, 1, 1, 2
    assert built.by_hour == expected


def test_it_counts_by_weekday_from_monday(built: report.Report) -> None:
    assert built.by_weekday == [1, 0, 3, 1, 0, 0, 1]


def test_it_fills_the_heat_map_by_weekday_and_hour(built: report.Report) -> None:
    assert (built.heat[2][18], built.heat[0][0], built.heat[6][0]) == (2, 1, 1)


def test_it_lists_every_week_of_the_period_from_monday(built: report.Report) -> None:
    assert [(w.week_start.isoformat(), w.incidents, w.mean_intensity) for w in built.weekly] == [
        ("2025-02-24", 1, 2.0),
        ("2025-03-03", 2, 4.5),
        ("2025-03-10", 1, 3.0),
        ("2025-03-17", 1, 1.0),
        ("2025-03-24", 0, None),
        ("2025-03-31", 1, 3.0),
    ]


def test_it_starts_the_weeks_at_the_journals_first_week() -> None:
    young = DogFacts(3, "Pip", "small", dt.date(2024, 6, 1), created_on=dt.date(2025, 3, 20))
    built = report_of_rows(young, PERIOD, [], 0, None, TODAY, LONDON)
    assert [week.week_start.isoformat() for week in built.weekly] == [
        "2025-03-17",
        "2025-03-24",
        "2025-03-31",
    ]


def test_it_flags_a_tripled_frequency(built: report.Report) -> None:
    assert [(flag.code, flag.level) for flag in built.flags] == [("frequency_rise", "watch")]


def test_it_shares_out_what_the_leaning_seems_to_be_about(built: report.Report) -> None:
    assert {reason.code: (reason.count, reason.pct) for reason in built.reasons} == {
        "affection": (1, 17),
        "greeting": (1, 17),
        "security": (2, 33),
        "anxiety": (3, 50),
        "attention": (1, 17),
        "claiming": (1, 17),
        "physical": (1, 17),
        "itch": (0, 0),
    }


def test_it_counts_leans_that_point_to_no_reason() -> None:
    rows = [(1, utc(2025, 3, 20, 12), 3, "walk", "", "", "", [], [])]
    built = report_of_rows(BISCUIT, PERIOD, rows, 0, None, TODAY, LONDON)
    assert built.unexplained == 1


def test_it_reports_an_empty_period_without_numbers_to_average() -> None:
    built = report_of_rows(BISCUIT, PERIOD, [], 0, None, TODAY, LONDON)
    assert (built.incidents, built.mean_intensity, built.flags) == (0, None, [])


def test_it_sees_a_senior_dog_by_its_size_class() -> None:
    old = DogFacts(2, "Rex", "giant", dt.date(2018, 1, 1), created_on=dt.date(2025, 1, 1))
    rows = [(i, utc(2025, 3, 10 + i, 9), 3, "home", "", "", "", [], ["stiffness"]) for i in (1, 2)]
    built = report_of_rows(old, PERIOD, rows, 0, None, TODAY, LONDON)
    assert [(flag.code, flag.level) for flag in built.flags] == [("vet_check", "vet")]


@pytest.mark.parametrize(("kg", "flagged"), [(None, False), (Decimal("40"), True)])
def test_it_sends_a_dog_that_weighs_as_a_bigger_class_to_the_vet_at_that_class_age(kg, flagged) -> None:
    # 7 years and 6 months: an adult as the medium dog it was saved as, a senior at a large dog's weight.
    dog = DogFacts(2, "Rex", "medium", dt.date(2017, 9, 30), created_on=dt.date(2025, 1, 1), weight_kg=kg)
    rows = [(i, utc(2025, 3, 10 + i, 9), 3, "home", "", "", "", [], ["stiffness"]) for i in (1, 2)]

    built = report_of_rows(dog, PERIOD, rows, 0, None, TODAY, LONDON)

    assert built.as_json()["dog"]["life_stage"] == ("senior" if flagged else "adult")
    assert [flag.code for flag in built.flags] == (["vet_check"] if flagged else [])


def test_it_writes_the_dog_and_the_period_into_the_json(built: report.Report) -> None:
    data = built.as_json()
    assert (data["dog"], data["period"]) == (
        {"id": 1, "name": "Biscuit", "size": "medium", "age_years": 4.0, "life_stage": "adult"},
        {"start": "2025-03-02", "end": "2025-03-31", "days": 30},
    )


def test_it_writes_flags_into_the_json_with_their_leans(built: report.Report) -> None:
    (flag,) = built.as_json()["flags"]
    assert flag == {
        "code": "frequency_rise",
        "level": "watch",
        "title": built.flags[0].title,
        "evidence": "6 leans in these 30 days against 2 in the 30 days before (3.0 times as many).",
        "advice": built.flags[0].advice,
        "incident_ids": [1, 2, 3, 4, 5, 6],
        "acknowledged": None,
    }


# The loaders, against the database


@pytest.fixture
def db_dog(db) -> Dog:
    dog = make_dog(make_owner("carol"), created_at=utc(2025, 1, 1, 12))
    journal_in_db(dog)
    make_incident(dog, utc(2025, 3, 31, 23, 0))  # 00:00 on 1 April in London: after the period
    return dog


def test_it_loads_the_same_numbers_from_the_database(db_dog: Dog) -> None:
    loaded = load_report(db_dog, PERIOD, TODAY, LONDON)
    expected = report_of_rows(
        DogFacts.of(db_dog, LONDON), PERIOD, ROWS, 2, dt.date(2025, 2, 10), TODAY, LONDON
    )
    got, want = loaded.as_json(), expected.as_json()
    got["flags"][0]["incident_ids"] = want["flags"][0]["incident_ids"] = []  # database ids differ
    for got_note, want_note in zip(got["notes"], want["notes"], strict=True):
        got_note["incident_ids"] = want_note["incident_ids"] = []
    assert got == want


def test_it_loads_the_previous_count_and_journal_start(db_dog: Dog) -> None:
    loaded = load_report(db_dog, PERIOD, TODAY, LONDON)
    assert (loaded.previous_incidents, loaded.journal_start) == (2, dt.date(2025, 1, 1))


def test_it_loads_a_report_in_eight_queries(db_dog: Dog, django_assert_max_num_queries) -> None:
    # 1. the stamps of the period's days; 2. its rows; 3. the previous period's count; 4. the first
    # lean; 5. the check-in days; 6. the acknowledgements; 7. the weighings; 8. the events.
    with django_assert_max_num_queries(8):
        load_report(db_dog, PERIOD, TODAY, LONDON)


def test_it_loads_a_bigger_journal_in_the_same_eight_queries(
    db_dog: Dog, django_assert_max_num_queries
) -> None:
    for day in range(3, 29):
        make_incident(db_dog, utc(2025, 3, day, 7), signs=["trembling"])
    # 1. the stamps of the period's days; 2. its rows; 3. the previous period's count; 4. the first
    # lean; 5. the check-in days; 6. the acknowledgements; 7. the weighings; 8. the events.
    with django_assert_max_num_queries(8):
        load_report(db_dog, PERIOD, TODAY, LONDON)


def test_it_loads_an_older_dogs_report_in_seven_queries(db_dog: Dog, django_assert_num_queries) -> None:
    # 1. the stamps of the period's days; 2. its rows; 3. the previous period's count (the dog is
    # older than both periods); 4. the check-in days; 5. the acknowledgements; 6. the weighings;
    # 7. the events (none).
    with django_assert_num_queries(7):
        load_report(db_dog, PERIOD, TODAY, LONDON)


def test_it_finds_a_backfilled_lean_before_a_new_dog_was_added(db) -> None:
    dog = make_dog(make_owner("hal"), "New", created_at=utc(2025, 3, 20))
    make_incident(dog, utc(2025, 2, 3, 9))
    assert load_report(dog, PERIOD, TODAY, LONDON).journal_start == dt.date(2025, 2, 3)


def current_flags(dogs: list[Dog]) -> dict[int, object]:
    """Each dog's most serious flag over PERIOD, as the home card picks it."""
    built = report.load_reports(dogs, PERIOD, TODAY, LONDON)
    return {pk: most_serious(each.flags) for pk, each in built.items()}


def test_it_finds_each_dogs_most_serious_flag(db) -> None:
    owner = make_owner("dana")
    calm = make_dog(owner, "Calm", created_at=utc(2025, 1, 1))
    itchy = make_dog(owner, "Itchy", created_at=utc(2025, 1, 1))
    for day in (10, 11):
        make_incident(itchy, utc(2025, 3, day, 9), signs=["scooting"])
    make_incident(itchy, utc(2025, 3, 12, 9), outcome="knocked_over")
    found = current_flags([calm, itchy])
    assert (found[calm.pk], found[itchy.pk].code) == (None, "itch_check")


def test_it_loads_the_reports_of_many_dogs_in_eight_queries(db, django_assert_max_num_queries) -> None:
    owner = make_owner("erin")
    dogs = [make_dog(owner, f"Dog {i}", created_at=utc(2025, 1, 1)) for i in range(6)]
    dogs += [make_dog(owner, f"New {i}", created_at=utc(2025, 3, 1)) for i in range(3)]
    for dog in dogs:
        make_incident(dog, utc(2025, 3, 20, 9), signs=["scooting"])
        make_incident(dog, utc(2025, 2, 20, 9))
    # 1. every dog's day stamps of the period; 2. every dog's rows of the period; 3. every dog's
    # previous count; 4. the first lean of the dogs added after the previous period began;
    # 5. every dog's check-in days; 6. every dog's acknowledgements; 7. every dog's weighings;
    # 8. every dog's events (none here, so no window is read).
    with django_assert_max_num_queries(8):
        built = report.load_reports(dogs, PERIOD, TODAY, LONDON)
    assert [built[dog.pk].incidents for dog in dogs] == [1] * 9


def test_it_skips_the_first_lean_query_when_every_dog_is_older(db, django_assert_num_queries) -> None:
    dogs = [make_dog(make_owner("fay"), "Old", created_at=utc(2024, 1, 1))]
    # 1. the stamps of the period's days; 2. its rows; 3. the previous count; 4. check-in days;
    # 5. acknowledgements; 6. weighings; 7. events.
    with django_assert_num_queries(7):
        report.load_reports(dogs, PERIOD, TODAY, LONDON)


def test_it_sees_a_backfilled_journal_as_a_baseline_for_a_new_dog(db) -> None:
    dog = make_dog(make_owner("gus"), "Backfilled", created_at=utc(2025, 3, 20))
    make_incident(dog, utc(2025, 1, 5, 9))  # logged after the dog was added, dated before
    make_incident(dog, utc(2025, 2, 5, 9))  # the previous period was observed: a real baseline
    for day in range(10, 16):
        make_incident(dog, utc(2025, 3, day, 9))
    found = current_flags([dog])[dog.pk]
    assert found is not None and found.code == "frequency_rise"


def test_it_loads_no_reports_without_dogs(db, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert report.load_reports([], PERIOD, TODAY, LONDON) == {}


def test_it_states_the_anxiety_rate_over_the_days_a_new_journal_covers() -> None:
    # Biscuit was added on 25 March: D is the 7 days to the 31st, so 5 leans are 5.0 a week.
    puppy_journal = DogFacts(1, "Biscuit", "medium", dt.date(2021, 3, 14), created_on=dt.date(2025, 3, 25))
    rows = [row(n, utc(2025, 3, 26 + n, 9), 3, "home", signs=["trembling"]) for n in range(5)]

    built = report_of_rows(
        puppy_journal, PERIOD, rows, previous_incidents=0, first_lean_on=None, today=TODAY, tz=LONDON
    )

    anxiety = next(flag for flag in built.flags if flag.code == "anxiety")
    assert anxiety.evidence.endswith("That is 5 leans in the 7 days the journal spans, about 5.0 a week.")


def test_it_counts_only_the_previous_period_before_this_one(db) -> None:
    # Leans long before the previous period (2 March to 31 March 2025 is this one; 31 January
    # to 1 March the one before) must not swell its count.
    dog = make_dog(make_owner("ida"), created_at=utc(2024, 1, 1))
    for day in (5, 20, 30):
        make_incident(dog, utc(2025, 1, day, 9))
    make_incident(dog, utc(2025, 1, 30, 23, 30))  # 23:30 UTC on 30 Jan is still the 30th in London
    make_incident(dog, utc(2025, 1, 31, 9))
    make_incident(dog, utc(2025, 2, 14, 9))
    make_incident(dog, utc(2025, 3, 10, 9))

    loaded = load_report(dog, PERIOD, TODAY, LONDON)

    assert loaded.previous_incidents == 2
    assert loaded.incidents == 1
