"""The report page's cache: a second view is cheaper, and every change shows at once."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog, Owner
from journal.models import Incident
from journal.report import Period
from journal.report_views import _cache_key
from tests.conftest import PASSWORD, make_dog, make_incident
from tests.journal.test_incident_views import a_lean
from tests.journal.test_report_views import text

LONDON = zoneinfo.ZoneInfo("Europe/London")
FORM_TIME = "%Y-%m-%dT%H:%M"


def page_url(dog: Dog) -> str:
    return reverse("journal:report", args=[dog.pk])


def leans_shown(response) -> int:
    return int(re.search(r'id="summary-leans">(\d+)<', response.content.decode()).group(1))


def flags_shown(response) -> list[str]:
    return re.findall(r'data-flag="([a-z_]+)"', response.content.decode())


def hours_ago(hours: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


def in_form(moment: dt.datetime) -> str:
    """A time as the lean form takes it: wall-clock time in the owner's zone (London)."""
    return moment.astimezone(LONDON).strftime(FORM_TIME)


# The cache is used, and changes nothing that the owner sees


def test_it_serves_the_second_view_in_fewer_queries(
    owner_client: Client, dog: Dog, django_assert_max_num_queries
) -> None:
    make_incident(dog, hours_ago(2))
    # 1. session, 2. owner, 3. the dog (scoped to the owner), 4. the period's rows,
    # 5. the previous period's count, 6. the first lean (the dog was added this month).
    with django_assert_max_num_queries(6):
        owner_client.get(page_url(dog))
    # 1. session, 2. owner, 3. the dog, whose journal_changed_at names the cached report.
    with django_assert_max_num_queries(3):
        owner_client.get(page_url(dog))


def test_it_shows_the_same_page_from_the_cache(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, hours_ago(2), signs=["scooting"])
    make_incident(dog, hours_ago(3), signs=["scratching"])
    first = owner_client.get(page_url(dog))
    assert text(owner_client.get(page_url(dog))) == text(first)


def test_it_caches_nothing_of_the_session(owner_client: Client, owner: Owner, dog: Dog) -> None:
    owner_client.get(page_url(dog))
    dog.refresh_from_db()
    with timezone.override(LONDON):
        today = timezone.localdate()
        body, _chart_data = cache.get(_cache_key(dog, Period.last(30, today), today))
    assert ("csrfmiddlewaretoken" in body, owner.username in body) == (False, False)


def test_it_still_hides_a_cached_report_from_a_stranger(
    owner_client: Client, stranger_client: Client, dog: Dog
) -> None:
    owner_client.get(page_url(dog))
    assert stranger_client.get(page_url(dog)).status_code == 404


def test_it_keeps_each_period_apart(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(days=10))
    owner_client.get(page_url(dog), {"days": "30"})
    assert leans_shown(owner_client.get(page_url(dog), {"days": "7"})) == 0


# Every change through the app shows at once


def test_it_counts_a_lean_logged_after_the_report_was_seen(owner_client: Client, dog: Dog) -> None:
    owner_client.get(page_url(dog))
    owner_client.post(
        reverse("journal:incident-create", args=[dog.pk]), a_lean(occurred_at=in_form(hours_ago(1)))
    )
    assert leans_shown(owner_client.get(page_url(dog))) == 1


def test_it_shows_a_flag_that_an_edit_brings(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, hours_ago(2), signs=["scooting"])
    calm = make_incident(dog, hours_ago(3), signs=["relaxed"])
    assert flags_shown(owner_client.get(page_url(dog))) == []
    owner_client.post(
        reverse("journal:incident-edit", args=[dog.pk, calm.pk]),
        a_lean(occurred_at=in_form(calm.occurred_at), signs=["scooting"]),
    )
    assert flags_shown(owner_client.get(page_url(dog))) == ["itch_check"]


def test_it_forgets_a_deleted_lean(owner_client: Client, dog: Dog) -> None:
    lean = make_incident(dog, hours_ago(2))
    assert leans_shown(owner_client.get(page_url(dog))) == 1
    owner_client.post(reverse("journal:incident-delete", args=[dog.pk, lean.pk]))
    assert leans_shown(owner_client.get(page_url(dog))) == 0


def test_it_reads_the_dogs_new_size(owner_client: Client, owner: Owner) -> None:
    # About six and a half: a senior for a giant dog (from 6), an adult for a medium one (until 8).
    born = timezone.localdate(timezone=LONDON) - dt.timedelta(days=6 * 365 + 180)
    dog = make_dog(owner, size="medium", birth_date=born)
    make_incident(dog, hours_ago(2), signs=["stiffness"])
    make_incident(dog, hours_ago(3), signs=["stiffness"])
    assert flags_shown(owner_client.get(page_url(dog))) == []
    edit = {"name": "Biscuit", "breed": "", "size": "giant", "birth_date": born.isoformat(), "notes": ""}
    owner_client.post(reverse("dogs:dog-edit", args=[dog.pk]), edit)
    # Two leans with physical signs call for a vet check in a senior dog only.
    assert flags_shown(owner_client.get(page_url(dog))) == ["vet_check"]


def test_it_shows_a_lean_that_staff_changed_in_the_admin(owner_client: Client, dog: Dog) -> None:
    lean = make_incident(dog, hours_ago(2).replace(second=0, microsecond=0), intensity=2)
    assert "2.0 of 5" in text(owner_client.get(page_url(dog)))
    staff = Owner.objects.create_superuser(username="staff", password=PASSWORD, email="staff@example.com")
    admin = Client()
    admin.force_login(staff)
    when = lean.occurred_at.astimezone(staff.zone())
    admin.post(
        reverse("admin:journal_incident_change", args=[lean.pk]),
        {
            "dog": dog.pk,
            "occurred_at_0": when.date().isoformat(),
            "occurred_at_1": when.time().isoformat(),
            "intensity": "5",
            "duration": "short",
            "posture": "backside",
            "location": "home",
        },
    )
    page = text(owner_client.get(page_url(dog)))
    assert (Incident.objects.get().intensity, "5.0 of 5" in page) == (5, True)


# The owner's zone and day are part of what the report depends on


def test_it_places_leans_in_the_owners_new_time_zone(owner_client: Client, dog: Dog) -> None:
    # 21:00 on 10 June in London is already 05:00 on 11 June in Tokyo.
    make_incident(dog, dt.datetime(2025, 6, 10, 20, 0, tzinfo=dt.UTC))
    june_10 = {"start": "2025-06-10", "end": "2025-06-10"}
    assert leans_shown(owner_client.get(page_url(dog), june_10)) == 1
    owner_client.post(reverse("dogs:account-settings"), {"time_zone": "Asia/Tokyo", "email": ""})
    assert leans_shown(owner_client.get(page_url(dog), june_10)) == 0


def test_it_ages_the_dog_with_the_calendar(owner_client: Client, owner: Owner, monkeypatch) -> None:
    # A giant dog turns six, and senior, on 15 June 2026; the chosen period does not move.
    dog = make_dog(owner, size="giant", birth_date=dt.date(2020, 6, 15))
    make_incident(dog, dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), signs=["stiffness"])
    make_incident(dog, dt.datetime(2026, 6, 2, 9, 0, tzinfo=dt.UTC), signs=["stiffness"])
    early_june = {"start": "2026-06-01", "end": "2026-06-10"}
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 6, 14, 12, 0, tzinfo=dt.UTC))
    assert flags_shown(owner_client.get(page_url(dog), early_june)) == []
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC))
    assert flags_shown(owner_client.get(page_url(dog), early_june)) == ["vet_check"]


@pytest.mark.parametrize("cached", [False, True])
def test_it_fills_the_period_picker_for_each_request(owner_client: Client, dog: Dog, cached: bool) -> None:
    if cached:
        owner_client.get(page_url(dog))
    # A bad period falls back to the default one, whose report may be cached; the picker
    # still echoes what was typed, with its message beside it.
    response = owner_client.get(page_url(dog), {"start": "2025-03-10", "end": "2025-03-01"})
    page = response.content.decode()
    assert "The start date is after the end date." in text(response) and 'value="2025-03-10"' in page
