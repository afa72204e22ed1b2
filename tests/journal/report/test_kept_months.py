"""Kept months (journal.report.kept_months): a long report adds up monthly tallies and says exactly what
one read of every lean says, before and after any write, in any time zone."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import random
import zoneinfo
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog, Owner
from journal.models import DayStamp, FlagAcknowledgement, Incident, ReportPart
from journal.report import kept_months as summaries
from journal.report.kept_months import period_rows, whole_months
from journal.report.numbers import DogFacts, Period, report_of_tally
from journal.report.rules import Acknowledgement, Facts
from journal.report.tally import merged, stored_rows, tally_of
from journal.vocabulary import Location, Outcome, OwnerActivity, OwnerResponse, Sign, Trigger
from tests.helpers import ROWS, a_lean, load_report, make_dog, utc

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Half-hour offsets and summer time on the other side of the year: hours fall differently.
ADELAIDE = zoneinfo.ZoneInfo("Australia/Adelaide")
# West of UTC: a month of the zone ends on a UTC day of the next month.
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 20)
# Fourteen months and a bit: whole months in the middle, ragged days at both ends.
PERIOD = Period(dt.date(2025, 9, 17), TODAY)


def _random_leans(dog: Dog, count: int, seed: int) -> None:
    """count seeded leans for the dog, stored as the ORM stores them, in one executemany.

    The leans are made and prepared for the database once per process (_prepared_leans): with
    bulk_create, compiling the same SQL again for every test was most of this module's time.
    """
    columns, rows = _prepared_leans(count, seed, connection.vendor)
    quote = connection.ops.quote_name
    dog_at = columns.index("dog_id")
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(Incident._meta.db_table)} ({', '.join(map(quote, columns))}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            [(*row[:dog_at], dog.pk, *row[dog_at + 1 :]) for row in rows],
        )


def _seeded_leans(count: int, seed: int) -> list[Incident]:
    """count leans spread at random over the months around PERIOD, unsaved and of no dog yet."""
    chance = random.Random(seed)
    first = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    span = int((dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC) - first).total_seconds())
    # Each vocabulary listed once: an enum's values are worked out again on every read.
    locations, activities = ("", *Location.values), ("", *OwnerActivity.values)
    responses, outcomes = ("", *OwnerResponse.values), ("", *Outcome.values)
    triggers, signs = Trigger.values, Sign.values
    return [
        Incident(
            dog_id=0,
            occurred_at=first
            + dt.timedelta(seconds=chance.randrange(span), microseconds=chance.randrange(10**6)),
            intensity=chance.choice((None, 1, 2, 3, 4, 5)),
            location=chance.choice(locations),
            owner_activity=chance.choice(activities),
            owner_response=chance.choice(responses),
            outcome=chance.choice(outcomes),
            triggers=chance.sample(triggers, k=chance.choice((0, 0, 1, 2))),
            signs=chance.sample(signs, k=chance.choice((0, 1, 1, 2, 3))),
        )
        for _ in range(count)
    ]


@functools.cache
def _prepared_leans(count: int, seed: int, vendor: str) -> tuple[list[str], list[tuple]]:
    """The columns and, lean by lean, the values the ORM would write for _seeded_leans (one
    database vendor per process: the vendor is in the key only to say what they were made for)."""
    fields = [field for field in Incident._meta.concrete_fields if not field.primary_key]
    rows = [
        tuple(field.get_db_prep_save(field.pre_save(lean, True), connection) for field in fields)
        for lean in _seeded_leans(count, seed)
    ]
    return [field.column for field in fields], rows


def test_the_journals_leans_are_stored_as_the_orm_stores_them(owner: Owner) -> None:
    fast, orm = make_dog(owner, name="Fast"), make_dog(owner, name="Orm")
    _random_leans(fast, 40, seed=7)
    leans = _seeded_leans(40, seed=7)
    for lean in leans:
        lean.dog = orm
    Incident.objects.bulk_create(leans)

    def stored(dog: Dog) -> list[dict]:
        rows = Incident.objects.filter(dog=dog).order_by("occurred_at", "id").values()
        return [
            {k: v for k, v in row.items() if k not in {"id", "dog_id", "created_at", "updated_at"}}
            for row in rows
        ]

    assert len(stored(fast)) == 40
    assert stored(fast) == stored(orm)


def read_at_once(dog: Dog, period: Period, tz: dt.tzinfo):
    """The report from one read of every lean of the period, no kept month involved."""
    previous = load_report(dog, period, TODAY, tz)
    rows = list(
        period_rows(
            Incident.objects.filter(
                dog=dog, occurred_at__gte=period.bounds(tz)[0], occurred_at__lt=period.bounds(tz)[1]
            )
        )
    )
    return report_of_tally(
        DogFacts.of(dog, tz),
        period,
        tally_of(rows, tz),
        previous.previous_incidents,
        None,
        TODAY,
        acknowledgements=latest_acknowledgements(dog),
    )


def latest_acknowledgements(dog: Dog) -> dict[str, Acknowledgement]:
    return {
        ack.code: Acknowledgement(ack.on, ack.created_at, ack.note)
        for ack in FlagAcknowledgement.objects.filter(dog=dog).order_by("created_at", "id")
    }


@pytest.fixture
def journal(owner: Owner) -> Dog:
    dog = make_dog(
        owner, size="giant", birth_date=dt.date(2017, 1, 5), created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    )
    _random_leans(dog, 900, seed=7)
    return dog


# Times as stored: a whole second (no fraction), the first and last microsecond of a second, and
# a fraction of fewer digits as raw SQL may write it.
STORED_MOMENTS = [
    ("2025-03-30 00:59:59", 1743296399_000000),
    ("2025-03-30 01:00:00.000001", 1743296400_000001),
    ("2026-11-19 23:59:59.999999", 1795132799_999999),
    ("2026-01-01 12:00:00.5", 1767268800_500000),
]


@pytest.mark.parametrize("sqlite_form", ["unixepoch", "strftime"])
def test_it_reads_every_moment_to_the_microsecond(journal: Dog, sqlite_form: str, monkeypatch) -> None:
    # SQLite before 3.38 has no unixepoch(): the older form must read the same numbers.
    if sqlite_form == "strftime":
        if connection.vendor != "sqlite":
            pytest.skip("Only SQLite has two ways of reading a time.")
        monkeypatch.setattr(summaries, "UNIXEPOCH_SINCE", (99, 0, 0))
    elif connection.vendor == "sqlite" and connection.Database.sqlite_version_info < (3, 38):
        pytest.skip("This SQLite has no unixepoch().")
    leans = Incident.objects.filter(dog=journal)
    lean = leans.first()
    set_time = "UPDATE journal_incident SET occurred_at = %s WHERE id = %s"
    for stored, moment in STORED_MOMENTS:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(set_time, [stored, lean.pk])
        else:
            leans.filter(pk=lean.pk).update(occurred_at=dt.datetime.fromisoformat(stored + "+00:00"))

        read = {row[0]: row[1] for row in period_rows(leans.filter(pk=lean.pk))}

        assert read == {lean.pk: moment}


def test_it_cuts_the_period_into_whole_months() -> None:
    months = whole_months(PERIOD)
    assert months[0] == dt.date(2026, 10, 1)
    assert months[-1] == dt.date(2025, 10, 1)
    assert len(months) == 13
    assert whole_months(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))) == [dt.date(2026, 3, 1)]
    assert whole_months(Period(dt.date(2026, 3, 2), dt.date(2026, 4, 30))) == [dt.date(2026, 4, 1)]


@pytest.mark.parametrize("tz", [LONDON, ADELAIDE, NEW_YORK], ids=str)
def test_kept_months_say_what_one_read_of_every_lean_says(journal: Dog, tz: dt.tzinfo) -> None:
    first = load_report(journal, PERIOD, TODAY, tz)
    assert ReportPart.objects.filter(dog=journal, zone=str(tz)).count() == 13
    from_kept_months = load_report(journal, PERIOD, TODAY, tz)
    at_once = read_at_once(journal, PERIOD, tz)
    assert first.incidents > 600
    assert from_kept_months == first == at_once
    assert from_kept_months.as_json() == at_once.as_json()


def test_each_time_zone_keeps_its_own_months(journal: Dog) -> None:
    london = load_report(journal, PERIOD, TODAY, LONDON)
    adelaide = load_report(journal, PERIOD, TODAY, ADELAIDE)
    # The same leans fall on other hours and days in Adelaide.
    assert london.heat != adelaide.heat
    assert load_report(journal, PERIOD, TODAY, LONDON) == london
    assert load_report(journal, PERIOD, TODAY, ADELAIDE) == adelaide


def _old_lean(dog: Dog) -> Incident:
    """A lean in the middle of a kept month."""
    return (
        Incident.objects.filter(dog=dog, occurred_at__month=3, occurred_at__year=2026).order_by("id").first()
    )


def raw_update(dog, other, lean):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE journal_incident SET signs = ',trembling,', intensity = 5 WHERE id = %s", [lean.pk]
        )


def raw_delete(dog, other, lean):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM journal_incident WHERE id = %s", [lean.pk])


def raw_insert(dog, other, lean):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO journal_incident (dog_id, occurred_at, duration, posture, location, owner_activity, "
            "triggers, signs, owner_response, outcome, notes, created_at, updated_at) "
            "VALUES (%s, %s, '', '', 'vet', '', '', ',shaky_legs,', '', '', '', %s, %s)",
            [dog.pk, lean.occurred_at, lean.occurred_at, lean.occurred_at],
        )


def move_to_another_month(dog, other, lean):
    Incident.objects.filter(pk=lean.pk).update(occurred_at=lean.occurred_at - dt.timedelta(days=62))


def move_to_another_dog(dog, other, lean):
    Incident.objects.filter(pk=lean.pk).update(dog=other)


def move_from_another_dog(dog, other, lean):
    incoming = Incident.objects.create(dog=other, occurred_at=lean.occurred_at, signs=["scooting"])
    Incident.objects.filter(pk=incoming.pk).update(dog=dog)


def bulk_create_old(dog, other, lean):
    Incident.objects.bulk_create([Incident(dog=dog, occurred_at=lean.occurred_at, outcome="knocked_over")])


def save_old(dog, other, lean):
    lean.location = "car"
    lean.save()


def delete_in_bulk(dog, other, lean):
    Incident.objects.filter(dog__in=[dog, other], occurred_at__year=2026, occurred_at__month=3).delete()


OLD_MONTH_WRITES = [
    raw_update,
    raw_delete,
    raw_insert,
    move_to_another_month,
    move_to_another_dog,
    move_from_another_dog,
    bulk_create_old,
    save_old,
]


@pytest.mark.parametrize("write", OLD_MONTH_WRITES, ids=lambda write: write.__name__)
def test_a_write_to_a_kept_month_shows_at_once(journal: Dog, owner: Owner, write) -> None:
    other = make_dog(owner, name="Pepper")
    before = load_report(journal, PERIOD, TODAY, LONDON)
    assert load_report(journal, PERIOD, TODAY, LONDON) == before  # from kept months

    write(journal, other, _old_lean(journal))

    after = load_report(journal, PERIOD, TODAY, LONDON)
    assert after != before
    assert after == read_at_once(journal, PERIOD, LONDON)


def test_editing_an_old_lean_in_the_form_shows_at_once(owner_client, journal: Dog) -> None:
    lean = _old_lean(journal)
    url = reverse("journal:report-json", args=[journal.pk])
    query = {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}
    with timezone.override(LONDON):
        before = owner_client.get(url, query).json()
        when = lean.occurred_at.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
        response = owner_client.post(
            reverse("journal:incident-edit", args=[journal.pk, lean.pk]),
            a_lean(occurred_at=when, signs=["shaky_legs", "stiffness"], intensity="5"),
        )
        assert response.status_code == 302
        after = owner_client.get(url, query).json()
    assert after["signs"] != before["signs"]
    assert after["signs"]["shaky_legs"] == before["signs"].get("shaky_legs", 0) + 1


def test_a_write_stamps_only_its_own_day(journal: Dog) -> None:
    lean = _old_lean(journal)
    stamps = dict(DayStamp.objects.filter(dog_id=journal.pk).values_list("day", "stamp"))
    Incident.objects.filter(pk=lean.pk).update(intensity=1)
    after = dict(DayStamp.objects.filter(dog_id=journal.pk).values_list("day", "stamp"))
    moved = {day for day in after if after[day] != stamps.get(day)}
    assert moved == {lean.occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%d")}


def _leans_by_day(dog: Dog) -> dict[str, int]:
    counted: dict[str, int] = {}
    for moment in Incident.objects.filter(dog=dog).values_list("occurred_at", flat=True):
        day = moment.astimezone(dt.UTC).strftime("%Y-%m-%d")
        counted[day] = counted.get(day, 0) + 1
    return counted


@pytest.mark.parametrize("write", [*OLD_MONTH_WRITES, delete_in_bulk], ids=lambda write: write.__name__)
def test_the_day_stamps_count_every_lean_after_any_write(journal: Dog, owner: Owner, write) -> None:
    other = make_dog(owner, name="Pepper")
    Incident.objects.create(dog=other, occurred_at=utc(2026, 3, 2, 9))
    write(journal, other, _old_lean(journal))
    for dog in (journal, other):
        days = DayStamp.objects.filter(dog_id=dog.pk, leans__gt=0).values_list("day", "leans")
        assert dict(days) == _leans_by_day(dog)
        assert DayStamp.leans_of(dog.pk) == Incident.objects.filter(dog=dog).count()


@pytest.mark.parametrize("tz", [LONDON, ADELAIDE, NEW_YORK], ids=str)
def test_a_lean_logged_today_leaves_every_kept_month_as_it_is(journal: Dog, tz: dt.tzinfo) -> None:
    # Today is in the period's ragged end. In New York the kept October reaches into a UTC day
    # of November (its last evening): a month stamp would have unsettled it, a day's does not.
    load_report(journal, PERIOD, TODAY, tz)
    kept = dict(ReportPart.objects.filter(dog=journal, zone=str(tz)).values_list("month", "basis"))
    Incident.objects.create(dog=journal, occurred_at=dt.datetime(2026, 11, 19, 15, tzinfo=dt.UTC))

    again = load_report(journal, PERIOD, TODAY, tz)

    assert dict(ReportPart.objects.filter(dog=journal, zone=str(tz)).values_list("month", "basis")) == kept
    assert again == read_at_once(journal, PERIOD, tz)


def test_it_reads_the_months_it_counts_anew_as_one_range_of_the_index(journal: Dog) -> None:
    # Fourteen months ORed one by one would have the database test each on every lean.
    with CaptureQueriesContext(connection) as captured:
        load_report(journal, PERIOD, TODAY, LONDON)
    (leans,) = [query["sql"] for query in captured if 'AS "moment"' in query["sql"]]
    assert leans.count('"journal_incident"."occurred_at" >=') == 1


def test_the_next_report_takes_the_months_added_up_from_the_cache(journal: Dog) -> None:
    first = load_report(journal, PERIOD, TODAY, LONDON)
    Incident.objects.create(dog=journal, occurred_at=dt.datetime(2026, 11, 19, 15, tzinfo=dt.UTC))
    with CaptureQueriesContext(connection) as captured:
        again = load_report(journal, PERIOD, TODAY, LONDON)
    # Only the ragged end moved: no kept month is read, and the numbers are those of every lean.
    assert not [query for query in captured if '"journal_reportpart"' in query["sql"]]
    assert again.incidents == first.incidents + 1
    assert again == read_at_once(journal, PERIOD, LONDON)


def test_a_report_that_cannot_keep_its_months_is_still_right(journal: Dog, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise DatabaseError("attempt to write a readonly database")

    monkeypatch.setattr(ReportPart.objects, "bulk_create", refuse)
    built = load_report(journal, PERIOD, TODAY, LONDON)
    assert built == read_at_once(journal, PERIOD, LONDON)
    assert not ReportPart.objects.exists()


def test_it_counts_a_month_kept_by_an_older_tally_version_again(journal: Dog, monkeypatch) -> None:
    load_report(journal, PERIOD, TODAY, LONDON)
    ReportPart.objects.update(counts="{}")  # what an older, different tally could have left
    monkeypatch.setattr("journal.report.kept_months.TALLY_VERSION", summaries.TALLY_VERSION + 1)
    assert load_report(journal, PERIOD, TODAY, LONDON) == read_at_once(journal, PERIOD, LONDON)


# The golden tally: a fixed small journal's month as a kept month stores it. Any change to what a
# tally counts or how it is stored shows here, and must come with a new TALLY_VERSION, or every
# month kept under the old one would be read as if counted by the new code.
GOLDEN_TALLY = Path(__file__).parent / "tally_golden.json"
GOLDEN_ROWS = [
    *ROWS,
    # Blanks and a lean with every choice noted, to cover the "not noted" and code-set columns.
    (7, utc(2025, 3, 14, 7, 45), None, "", "", "", "", [], [], "", ""),
    (
        8,
        utc(2025, 3, 15, 21),
        2,
        "vet",
        "petting",
        "ignored",
        "left",
        ["vet_or_grooming"],
        ["scooting"],
        "long",
        "sitting",
    ),
]


def _golden_part() -> dict[str, object]:
    tally = tally_of(stored_rows(GOLDEN_ROWS), LONDON)
    part = summaries._part_of_tally(1, str(LONDON), dt.date(2025, 3, 1), "basis", tally)
    # What a kept month reads back is what was counted.
    assert summaries._tally_of_part(part) == tally
    return {
        "ids": bytes(part.ids).hex(),
        "moments": bytes(part.moments).hex(),
        "profiles": bytes(part.profiles).hex(),
        "counts": part.counts,
    }


def test_a_tallys_profiles_name_their_leans_only_with_each_leans_profile() -> None:
    tally = tally_of(stored_rows(GOLDEN_ROWS), LONDON)
    profiles = tally.rule_profiles()
    numbered = Facts(
        leans=(), days=30, rate_per_week=0, profiles=profiles, ids=tally.ids, profile_of=tally.profile_of
    )
    without = Facts(leans=(), days=30, rate_per_week=0, profiles=profiles, ids=tally.ids)

    # Every lean, in the tally's order; a tally's profiles keep no places of their own.
    assert numbered.ids_of(profiles) == tally.ids
    with pytest.raises(ValueError):
        without.ids_of(profiles)


def test_it_stores_the_golden_tally_under_its_version() -> None:
    golden = json.loads(GOLDEN_TALLY.read_text())
    found = _golden_part()
    if os.environ.get("LEANLOG_WRITE_GOLDEN") == "1" and found != golden["part"]:
        assert golden["version"] < summaries.TALLY_VERSION, (
            "Bump TALLY_VERSION in journal/report/kept_months.py before writing a new golden tally."
        )
        golden = {"version": summaries.TALLY_VERSION, "part": found}
        GOLDEN_TALLY.write_text(json.dumps(golden, indent=1) + "\n")
    assert (found, summaries.TALLY_VERSION) == (golden["part"], golden["version"]), (
        "A month's tally, as a kept month stores it, is not what TALLY_VERSION "
        f"{golden['version']} stored (tests/journal/report/tally_golden.json). If you changed what a "
        "tally counts or how a kept month stores it (journal/report/tally.py, the rules' view of a "
        "lean in journal/report/rules.py, the sign groups, journal/report/kept_months.py), bump "
        "TALLY_VERSION so that every kept month is counted again, then run LEANLOG_WRITE_GOLDEN=1 "
        "pytest tests/journal/report/test_kept_months.py to store the new golden tally."
    )


def test_it_bases_a_kept_month_on_its_version_day_stamps_and_clock_changes_alone() -> None:
    # A month with a clock change (London, March 2025) and two stamped days: nothing of the code.
    march = summaries.basis_of(dt.date(2025, 3, 1), LONDON, [("2025-03-05", 7), ("2025-03-30", -3)])
    assert march == "v4:2f357472fa5a06befd2853af"
    assert march != summaries.basis_of(dt.date(2025, 3, 1), LONDON, [("2025-03-05", 8), ("2025-03-30", -3)])
    # The same stamps in a zone with other clock changes are another basis.
    assert march != summaries.basis_of(dt.date(2025, 3, 1), NEW_YORK, [("2025-03-05", 7), ("2025-03-30", -3)])


@pytest.mark.parametrize("seed", range(12))
def test_tallies_of_back_to_back_runs_merge_into_the_tally_of_all(journal: Dog, seed: int) -> None:
    rows = stored_rows(
        period_rows(Incident.objects.filter(dog=journal)).values_list(
            "id",
            "moment",
            "intensity",
            "location",
            "owner_activity",
            "owner_response",
            "outcome",
            "stored_triggers",
            "stored_signs",
            "duration",
            "posture",
        )
    )
    chance = random.Random(seed)
    cuts = sorted(chance.sample(range(1, len(rows)), k=chance.randint(1, 6)))
    runs = [rows[a:b] for a, b in zip([0, *cuts], [*cuts, len(rows)], strict=True)]
    tz = chance.choice((LONDON, ADELAIDE, dt.UTC))
    assert merged(tally_of(run, tz) for run in runs) == tally_of(rows, tz)


def test_a_lean_in_a_kept_month_after_an_acknowledgement_brings_the_flag_back(journal: Dog) -> None:
    Incident.objects.filter(dog=journal).update(outcome="")
    fall = Incident.objects.create(dog=journal, occurred_at=dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC))
    Incident.objects.filter(pk=fall.pk).update(outcome="knocked_over")
    FlagAcknowledgement.objects.create(
        dog=journal,
        code="knock_over",
        on=dt.date(2026, 2, 11),
        created_at=dt.datetime(2026, 2, 11, tzinfo=dt.UTC),
    )
    handled = load_report(journal, PERIOD, TODAY, LONDON)
    assert load_report(journal, PERIOD, TODAY, LONDON) == handled == read_at_once(journal, PERIOD, LONDON)
    assert [flag.acknowledged is not None for flag in handled.flags if flag.code == "knock_over"] == [True]

    later = Incident.objects.filter(dog=journal, occurred_at__year=2026, occurred_at__month=5).first()
    Incident.objects.filter(pk=later.pk).update(outcome="knocked_over")

    again = load_report(journal, PERIOD, TODAY, LONDON)
    assert again == read_at_once(journal, PERIOD, LONDON)
    assert [flag.acknowledged for flag in again.flags if flag.code == "knock_over"] == [None]


# A short period keeps no month; its days before today (UTC) are kept in the cache instead.

SHORT = Period(dt.date(2026, 10, 22), TODAY)
# 15:00 UTC on the report's day: the leans since midnight UTC are today's, the rest settled.
NOW = dt.datetime(2026, 11, 20, 15, tzinfo=dt.UTC)


@pytest.fixture
def at_three_pm(monkeypatch) -> None:
    monkeypatch.setattr(summaries.timezone, "now", lambda: NOW)


def _tallied_rows(monkeypatch) -> list[int]:
    """How many rows each tally_of of the kept months' module is given, from now on."""
    counted: list[int] = []

    def counting(rows, tz):
        counted.append(len(rows))
        return tally_of(rows, tz)

    monkeypatch.setattr(summaries, "tally_of", counting)
    return counted


# A period's days before today, a short period's all and a long one's ragged ends, are kept too.
PERIODS = [pytest.param(SHORT, id="short"), pytest.param(PERIOD, id="long")]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("tz", [LONDON, ADELAIDE, NEW_YORK], ids=str)
def test_a_report_after_a_new_lean_reads_only_todays_leans(
    journal: Dog, period: Period, tz: dt.tzinfo, at_three_pm, monkeypatch
) -> None:
    first = load_report(journal, period, TODAY, tz)
    assert first.incidents > 40
    assert first == read_at_once(journal, period, tz)
    # 12:00 UTC: still the 20th in Adelaide (22:30), whose day ends at 13:30 UTC.
    Incident.objects.create(dog=journal, occurred_at=NOW - dt.timedelta(hours=3), signs=["trembling"])
    tallied = _tallied_rows(monkeypatch)

    again = load_report(journal, period, TODAY, tz)

    midnight, until = NOW.replace(hour=0), period.bounds(tz)[1]
    todays = Incident.objects.filter(dog=journal, occurred_at__gte=midnight, occurred_at__lt=until).count()
    assert tallied == [todays]
    assert again.incidents == first.incidents + 1
    assert again == read_at_once(journal, period, tz)


# A day of the short period before today; a ragged day before the long period's first whole month.
EARLIER_DAYS = [
    pytest.param(SHORT, dt.date(2026, 11, 3), NEW_YORK, id="short"),
    pytest.param(PERIOD, dt.date(2025, 9, 20), ADELAIDE, id="long"),
]


@pytest.mark.parametrize(("period", "day", "tz"), EARLIER_DAYS)
@pytest.mark.parametrize("write", OLD_MONTH_WRITES, ids=lambda write: write.__name__)
def test_a_write_to_a_kept_day_shows_at_once(
    journal: Dog, owner: Owner, write, period: Period, day: dt.date, tz: dt.tzinfo, at_three_pm
) -> None:
    other = make_dog(owner, name="Pepper")
    before = load_report(journal, period, TODAY, tz)
    assert load_report(journal, period, TODAY, tz) == before  # its days before today from the cache
    lean = Incident.objects.filter(dog=journal, occurred_at__date=day).order_by("id").first()

    # (move_to_another_month takes the lean 62 days back, out of the period.)
    write(journal, other, lean)

    after = load_report(journal, period, TODAY, tz)
    assert after != before
    assert after == read_at_once(journal, period, tz)
