"""Events and weights in the report: report.json's keys, the page's sentence, the cache, time zones."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from dogs.models import Dog, Owner
from journal.models import CheckIn, Event
from tests.helpers import (
    make_dog,
    make_event,
    make_incident,
    make_owner,
    make_weight,
    select,
    with_second_factor,
)

PERIOD = "?start=2026-03-01&end=2026-04-30"
S = dt.date(2026, 3, 20)


def at(zone: zoneinfo.ZoneInfo, day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def a_dog_in(zone_name: str) -> tuple[Client, Dog, zoneinfo.ZoneInfo]:
    owner = make_owner(f"owner-{zone_name.replace('/', '-').lower()}", time_zone=zone_name)
    dog = make_dog(owner, created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client = Client()
    client.force_login(owner)
    return client, dog, zoneinfo.ZoneInfo(zone_name)


def report_json(client: Client, dog: Dog) -> dict:
    return client.get(reverse("journal:report-json", args=[dog.pk]) + PERIOD).json()


def shaky_month(dog: Dog, zone: zoneinfo.ZoneInfo) -> None:
    """Nine shaky leans in the 28 days before S, two after; a check-in every day of both windows."""
    for offset in range(1, 10):
        make_incident(dog, at(zone, S - dt.timedelta(days=offset * 3)), intensity=3, signs=["shaky_legs"])
    for offset in (2, 9):
        make_incident(dog, at(zone, S + dt.timedelta(days=offset)), intensity=2, signs=["shaky_legs"])
    CheckIn.objects.bulk_create(
        CheckIn(dog=dog, date=S + dt.timedelta(days=offset)) for offset in range(-28, 28)
    )


@pytest.mark.parametrize("zone_name", ["Europe/London", "America/Los_Angeles", "Pacific/Auckland"])
def test_it_compares_the_weeks_before_and_after_an_event(db, zone_name: str) -> None:
    client, dog, zone = a_dog_in(zone_name)
    shaky_month(dog, zone)
    event = make_event(dog, S, title="Carprofen")

    events = report_json(client, dog)["events"]

    comparison = events[0]["comparison"]
    assert (events[0]["id"], events[0]["kind"], events[0]["started_on"]) == (
        event.pk,
        "medication",
        "2026-03-20",
    )
    assert comparison["window_days"] == 28
    assert comparison["before"]["start"] == "2026-02-20" and comparison["after"]["end"] == "2026-04-16"
    assert (comparison["before"]["incidents"], comparison["after"]["incidents"]) == (9, 2)
    assert (comparison["before"]["physical"], comparison["after"]["physical"]) == (9, 2)
    assert comparison["before"]["rate_per_week"] == 2.25 and comparison["after"]["rate_per_week"] == 0.5
    assert comparison["before"]["observed_days"] == 28
    assert comparison["after"]["mean_intensity"] == 2.0
    assert comparison["change"] == "fewer"
    assert comparison["by_group"] == {"physical": "fewer", "anxiety": "same", "itch": "same"}
    assert comparison["text"].startswith(
        "Since “Carprofen” began on 20 March: fewer leans in 28 days than in the 28 before "
        "(2.25 → 0.50 leans a week"
    )


@pytest.mark.parametrize("zone_name", ["America/Los_Angeles", "Pacific/Auckland"])
def test_it_puts_a_lean_near_midnight_in_the_owners_day(db, zone_name: str) -> None:
    client, dog, zone = a_dog_in(zone_name)
    # 23:30 on the day before S, in the owner's zone: before, whatever the day in UTC.
    make_incident(dog, at(zone, S - dt.timedelta(days=1), 23, 30))
    make_incident(dog, at(zone, S, 0, 15))
    make_event(dog, S)

    comparison = report_json(client, dog)["events"][0]["comparison"]

    assert (comparison["before"]["incidents"], comparison["after"]["incidents"]) == (1, 1)


def test_it_lists_no_events_or_weights_for_a_dog_without(owner_client: Client, dog: Dog) -> None:
    data = report_json(owner_client, dog)

    assert (data["events"], data["weights"]) == ([], [])


def test_it_lists_the_weighings_of_the_period(owner_client: Client, dog: Dog) -> None:
    make_weight(dog, dt.date(2026, 2, 28), "31")
    make_weight(dog, dt.date(2026, 3, 1), "30.5")
    make_weight(dog, dt.date(2026, 4, 30), "30")

    weights = report_json(owner_client, dog)["weights"]

    assert weights == [
        {"measured_on": "2026-03-01", "weight_kg": 30.5},
        {"measured_on": "2026-04-30", "weight_kg": 30.0},
    ]


def test_it_says_the_comparison_on_the_report_page(db) -> None:
    client, dog, zone = a_dog_in("Europe/London")
    shaky_month(dog, zone)
    make_event(dog, S, title="Carprofen")

    response = client.get(reverse("journal:report", args=[dog.pk]) + PERIOD)

    items = select(response, "#report-events [data-event]")
    assert [item.get("data-change") for item in items] == ["fewer"]
    assert "Other things may have changed too." in items[0].text


def test_its_windows_headers_keep_each_day_with_its_month_and_both_dates_together(db) -> None:
    # A phone's narrow column broke "After (2 Nov–29 Nov)" between the day and its month, then
    # after the dash (a word joiner holds the second date to it).
    client, dog, zone = a_dog_in("Europe/London")
    shaky_month(dog, zone)
    make_event(dog, S, title="Carprofen")

    page = client.get(reverse("journal:report", args=[dog.pk]) + PERIOD).content.decode()

    assert "Before (20\u00a0Feb–\u206019\u00a0Mar)" in page
    assert "After (20\u00a0Mar–\u206016\u00a0Apr)" in page


# The section is kept under all it shows (the comparisons, the dog's name, the copy, the language).


def test_the_before_and_after_section_follows_a_lean_in_a_window(db) -> None:
    client, dog, zone = a_dog_in("Europe/London")
    shaky_month(dog, zone)
    make_event(dog, S, title="Carprofen")
    url = reverse("journal:report", args=[dog.pk]) + PERIOD

    def leans_before_and_after() -> list[str]:
        return [cell.text for cell in select(client.get(url), "#report-events td")][:2]

    assert leans_before_and_after() == ["9", "2"]
    make_incident(dog, at(zone, S + dt.timedelta(days=5)), signs=["shaky_legs"])
    assert leans_before_and_after() == ["9", "3"]


def test_the_before_and_after_section_is_in_the_readers_language(db) -> None:
    client, dog, zone = a_dog_in("Europe/London")
    shaky_month(dog, zone)
    make_event(dog, S, title="Carprofen")
    url = reverse("journal:report", args=[dog.pk]) + PERIOD
    assert select(client.get(url), "#events-title")[0].text == "Before and after"

    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de")

    assert select(german, "#events-title")[0].text == "Vorher und nachher"
    assert "Leans" not in select(german, "#report-events tbody")[0].text


def test_it_marks_the_events_start_on_the_weekly_chart_and_in_its_table(db) -> None:
    client, dog, zone = a_dog_in("Europe/London")
    shaky_month(dog, zone)
    event = make_event(dog, S, title="Carprofen")  # a Friday: the week of Monday 16 March

    response = client.get(reverse("journal:report", args=[dog.pk]) + PERIOD)

    # Ten weeks from Monday 23 February (the period runs from Sunday 1 March): the fourth column.
    assert [line.get("x1") for line in select(response, "#weekly-starts line")] == [f"{3.5 * 100 / 10:g}%"]
    assert [item.text for item in select(response, "#weekly-start-list li")] == [
        "1 Carprofen began Fri 20 Mar (week of 16 Mar)"
    ]
    marked = select(response, f"#table-weekly [data-event={event.pk}]")
    assert [item.text for item in marked] == ["1. Carprofen began Fri 20 Mar 2026"]
    assert marked[0].parent.select_one("time").get("datetime") == "2026-03-16"


def add_with_orm(dog: Dog) -> None:
    make_event(dog, S)


def add_with_raw_sql(dog: Dog) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO journal_event (dog_id, kind, title, started_on, notes, created_at) "
            "VALUES (%s, 'diet', 'New food', %s, '', %s)",
            [dog.pk, S, timezone.now()],
        )


def change_with_orm(dog: Dog) -> None:
    Event.objects.filter(dog=dog).update(started_on=S - dt.timedelta(days=1))


def delete_with_orm(dog: Dog) -> None:
    Event.objects.filter(dog=dog).delete()


def add_in_admin(dog: Dog) -> None:
    boss = Owner.objects.create_superuser("boss", "boss@example.com", "walkies-and-biscuits-42")
    admin = with_second_factor(Client(), boss)
    response = admin.post(
        reverse("admin:journal_event_add"),
        {"dog": dog.pk, "kind": "diet", "title": "New food", "started_on": "2026-03-20", "notes": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def add_through_the_api(dog: Dog) -> None:
    token = ApiToken.issue(dog.owner, "timeline script")[1]
    response = Client(headers={"Authorization": f"Bearer {token}"}).post(
        f"/api/dogs/{dog.pk}/events",
        {"kind": "diet", "title": "New food", "started_on": S.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content.decode()[:2000]


@pytest.mark.parametrize(
    "write",
    [add_with_orm, add_with_raw_sql, add_in_admin, add_through_the_api],
    ids=lambda write: write.__name__,
)
def test_it_shows_a_new_event_at_once(owner_client: Client, dog: Dog, write) -> None:
    Dog.objects.filter(pk=dog.pk).update(created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    dog.refresh_from_db()
    assert report_json(owner_client, dog)["events"] == []

    write(dog)

    assert len(report_json(owner_client, dog)["events"]) == 1


@pytest.mark.parametrize("write", [change_with_orm, delete_with_orm], ids=lambda write: write.__name__)
def test_it_shows_a_changed_event_at_once(owner_client: Client, dog: Dog, write) -> None:
    make_event(dog, S)
    before = report_json(owner_client, dog)["events"]

    write(dog)

    assert report_json(owner_client, dog)["events"] != before


def test_it_shows_a_new_weight_at_once(owner_client: Client, dog: Dog) -> None:
    assert report_json(owner_client, dog)["weights"] == []

    owner_client.post(
        reverse("journal:weight-create", args=[dog.pk]), {"weight_kg": "30", "measured_on": "2026-03-02"}
    )

    assert report_json(owner_client, dog)["weights"] == [{"measured_on": "2026-03-02", "weight_kg": 30.0}]


# The windows inside the period are cut from the period's own tally, the days before it read
# from the leans: both ways must count every window alike, near midnight, across clock changes.
@pytest.mark.parametrize("zone_name", ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
def test_it_counts_the_windows_from_the_tally_as_from_the_leans(db, monkeypatch, zone_name) -> None:
    from journal.report import numbers
    from journal.report.numbers import Period, load_reports
    from journal.report.window_leans import window_day_sums

    _client, dog, zone = a_dog_in(zone_name)
    signs = [["trembling"], ["stiffness", "panting"], ["scooting"], [], ["relaxed"]]
    for n in range(160):
        day = dt.date(2026, 1, 2) + dt.timedelta(days=n * 97 % 120)
        # Late evening and just after midnight: the days a zone's offset moves.
        make_incident(
            dog, at(zone, day, 23 if n % 2 else 0, 30), intensity=n % 5 + 1 or None, signs=signs[n % 5]
        )
    # One event whose "before" window lies mostly before the period, one well inside it.
    for started, title in ((dt.date(2026, 3, 8), "Early"), (dt.date(2026, 4, 5), "Later")):
        make_event(dog, started, title=title)
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    today = dt.date(2026, 5, 1)

    def comparisons() -> list:
        built = load_reports([Dog.objects.get(pk=dog.pk)], period, today, zone)[dog.pk]
        return [(item.event.title, item.comparison) for item in built.events]

    from_tally = comparisons()
    monkeypatch.setattr(
        numbers,
        "_window_days",
        lambda dog_id, ranges, _period, tz, _days: window_day_sums(dog_id, ranges, tz),
    )
    from_leans = comparisons()
    assert len(from_tally) == 2
    assert all(comparison is not None and comparison.before.incidents for _, comparison in from_tally)
    assert from_tally == from_leans


def test_it_marks_a_vet_visit_as_on_its_day_on_the_chart_and_in_its_table_never_begun(db) -> None:
    client, dog, zone = a_dog_in("Europe/London")
    shaky_month(dog, zone)
    make_event(dog, S, title="Check-up", kind="vet_visit")

    response = client.get(reverse("journal:report", args=[dog.pk]) + PERIOD)

    assert [item.text for item in select(response, "#weekly-start-list li")] == [
        "1 Check-up on Fri 20 Mar (week of 16 Mar)"
    ]
    assert "1. Check-up on Fri 20 Mar 2026" in select(response, "#table-weekly")[0].text
    assert "began" not in select(response, "#report-events")[0].text
