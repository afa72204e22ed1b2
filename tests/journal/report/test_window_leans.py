"""The leans of the before-and-after windows, read from the database in one query of index seeks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dogs.models import Dog
from journal.models import Incident
from journal.report import window_leans
from journal.report.before_after import LeanDay, day_sums
from journal.report.window_leans import merged_ranges, window_day_sums, window_lean_days
from tests.helpers import make_incident, utc

LONDON = zoneinfo.ZoneInfo("Europe/London")
AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")


def day(month: int, number: int) -> dt.date:
    return dt.date(2025, month, number)


def test_it_merges_overlapping_and_touching_ranges() -> None:
    ranges = [
        (day(3, 10), day(3, 20)),
        (day(3, 1), day(3, 9)),
        (day(3, 15), day(3, 25)),
        (day(4, 1), day(4, 2)),
    ]
    assert merged_ranges(ranges) == [(day(3, 1), day(3, 25)), (day(4, 1), day(4, 2))]


def test_it_reads_the_leans_of_each_range_on_their_local_day_in_one_query(dog: Dog) -> None:
    make_incident(
        dog, utc(2025, 3, 29, 23, 30), intensity=3, signs=["shaky_legs", "trembling"]
    )  # London: 29th
    make_incident(dog, utc(2025, 3, 30, 23, 30), signs=["scooting"])  # 31 March in summer time
    make_incident(dog, utc(2025, 3, 15, 12))  # between the ranges
    make_incident(dog, utc(2025, 2, 1, 12))  # before them
    with CaptureQueriesContext(connection) as queries:
        found = window_lean_days(
            Incident.objects.filter(dog=dog), [(day(3, 1), day(3, 10)), (day(3, 20), day(3, 31))], LONDON
        )
    assert len(queries) == 1
    assert sorted(found, key=lambda lean: lean.day) == [
        LeanDay(day(3, 29), 3, ("shaky_legs", "trembling")),
        LeanDay(day(3, 31), None, ("scooting",)),
    ]


def test_it_places_a_lean_on_the_next_day_east_of_utc(dog: Dog) -> None:
    make_incident(dog, utc(2025, 3, 9, 12, 30))  # 01:30 on 10 March in Auckland
    found = window_lean_days(Incident.objects.filter(dog=dog), [(day(3, 10), day(3, 10))], AUCKLAND)
    assert [lean.day for lean in found] == [day(3, 10)]


def test_it_reads_nothing_without_ranges(dog: Dog, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert window_lean_days(Incident.objects.filter(dog=dog), [], LONDON) == []


NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_it_adds_up_each_day_in_the_database_as_the_leans_add_up_in_python(dog: Dog) -> None:
    # Every six hours for a fortnight across London's and New York's spring clock changes, with
    # signs of each group, several groups at once, none, and intensities noted or not.
    signs = [["shaky_legs"], ["trembling", "stiffness"], [], ["scooting", "panting"], ["relaxed"]]
    for number in range(60):
        make_incident(
            dog,
            utc(2025, 3, 5) + dt.timedelta(hours=6 * number + number % 5),
            intensity=number % 6 or None,
            signs=signs[number % len(signs)],
        )
    ranges = [(day(3, 6), day(3, 12)), (day(3, 11), day(3, 19)), (day(3, 27), day(3, 31))]
    for zone in (LONDON, NEW_YORK, AUCKLAND):
        leans = Incident.objects.filter(dog=dog)
        assert window_day_sums(dog.pk, ranges, zone) == day_sums(window_lean_days(leans, ranges, zone))


def test_it_adds_up_the_windows_in_one_query(dog: Dog, django_assert_num_queries) -> None:
    make_incident(dog, utc(2025, 3, 29, 23, 30), signs=["shaky_legs"])
    with django_assert_num_queries(1):
        sums = window_day_sums(dog.pk, [(day(3, 1), day(3, 31))], LONDON)
    assert sums == {day(3, 29): [1, 0, 0, 1, 0, 0]}


def test_it_reads_more_ranges_than_one_compound_select_takes(dog: Dog, monkeypatch) -> None:
    monkeypatch.setattr(window_leans, "MAX_UNITED", 2)
    for number in (1, 5, 9):
        make_incident(dog, utc(2025, 3, number, 12), signs=["shaky_legs"])
    ranges = [(day(3, 1), day(3, 1)), (day(3, 5), day(3, 5)), (day(3, 9), day(3, 9))]
    sums = window_day_sums(dog.pk, ranges, LONDON)
    assert sorted(sums) == [day(3, 1), day(3, 5), day(3, 9)]


# A window before the report's period is kept in the cache under the stamps of its UTC days.


def test_it_keeps_a_windows_sums_and_reads_only_the_stamps_the_next_time(
    dog: Dog, django_assert_num_queries
) -> None:
    for number in (2, 9, 9, 30):
        make_incident(dog, utc(2025, 3, number, 12), intensity=number % 5 + 1, signs=["shaky_legs"])
    ranges = [(day(3, 1), day(3, 10)), (day(3, 20), day(3, 31))]
    read = window_day_sums(dog.pk, ranges, LONDON)
    with django_assert_num_queries(2):
        assert window_leans.kept_window_sums(dog.pk, ranges, LONDON) == read
    with django_assert_num_queries(1):
        assert window_leans.kept_window_sums(dog.pk, ranges, LONDON) == read
    # A lean on a day of neither window leaves both kept.
    make_incident(dog, utc(2025, 3, 15, 12), signs=["shaky_legs"])
    with django_assert_num_queries(1):
        assert window_leans.kept_window_sums(dog.pk, ranges, LONDON) == read


def test_a_write_to_a_windows_days_counts_it_again_whatever_wrote_it(dog: Dog) -> None:
    lean = make_incident(dog, utc(2025, 3, 2, 12), intensity=2)
    ranges = [(day(3, 1), day(3, 10)), (day(3, 20), day(3, 31))]
    assert window_leans.kept_window_sums(dog.pk, ranges, AUCKLAND)[day(3, 3)] == [1, 2, 1, 0, 0, 0]
    # 00:30 on 1 March in Auckland is still 28 February in UTC: that day's stamp counts too.
    make_incident(dog, utc(2025, 2, 28, 11, 30), signs=["trembling"])
    assert window_leans.kept_window_sums(dog.pk, ranges, AUCKLAND)[day(3, 1)] == [1, 0, 0, 0, 1, 0]
    # Raw SQL, as a script or the admin's bulk action might: the database moves the stamps.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Incident._meta.db_table} SET intensity = 5 WHERE id = %s",
            [lean.pk],
        )
    assert window_leans.kept_window_sums(dog.pk, ranges, AUCKLAND)[day(3, 3)] == [1, 5, 1, 0, 0, 0]
    Incident.objects.filter(pk=lean.pk).delete()
    assert day(3, 3) not in window_leans.kept_window_sums(dog.pk, ranges, AUCKLAND)
    assert window_leans.kept_window_sums(dog.pk, ranges, AUCKLAND) == window_day_sums(
        dog.pk, ranges, AUCKLAND
    )
