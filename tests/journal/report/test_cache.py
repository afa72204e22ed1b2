"""The report's cache: a second view is cheaper, and every write, whatever its path, shows at once."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from dogs.models import Dog, Owner
from journal.models import Incident
from journal.report import kept_months
from journal.report.cache import report_key
from journal.report.numbers import Period
from tests.helpers import (
    PASSWORD,
    a_lean,
    add_member,
    make_dog,
    make_incident,
    make_owner,
    select,
    select_one,
    text,
    with_second_factor,
)
from tests.journal.imports.test_import import confirm_fields

LONDON = zoneinfo.ZoneInfo("Europe/London")
FORM_TIME = "%Y-%m-%dT%H:%M"


def page_url(dog: Dog) -> str:
    return reverse("journal:report", args=[dog.pk])


def leans_shown(response) -> int:
    return int(select_one(response, "#summary-leans").text)


def flags_shown(response) -> list[str]:
    return [element.get("data-flag") for element in select(response, "[data-flag]")]


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
    # 1. session, 2. owner, 3. the dog (scoped to the owner), 4. its journal's stamp, 5. the
    # stamps of the period's days before today, 6. the period's rows, 7. the previous period's
    # count, 8. the first lean (the dog was added this month), 9. the check-in days, 10. the
    # acknowledgements, 11. the weighings, 12. the events.
    # (30 days keep no calendar month: journal/report/kept_months.py KEPT_MONTHS_OVER_DAYS.)
    with django_assert_max_num_queries(12):
        owner_client.get(page_url(dog))
    # 1. session, 2. owner, 3. the dog, 4. its journal's stamp, which names the cached report.
    with django_assert_max_num_queries(4):
        owner_client.get(page_url(dog))


def test_it_shows_the_same_page_from_the_cache(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, hours_ago(2), signs=["scooting"])
    make_incident(dog, hours_ago(3), signs=["scratching"])
    first = owner_client.get(page_url(dog))
    assert text(owner_client.get(page_url(dog))) == text(first)


def test_it_caches_nothing_of_the_session(owner_client: Client, owner: Owner, dog: Dog) -> None:
    owner_client.get(page_url(dog))
    with timezone.override(LONDON):
        today = timezone.localdate()
        key = report_key(dog, Period.last(30, today), today, LONDON, part="owner-page")
    body = cache.get(key)[1].raw.decode()
    assert "csrfmiddlewaretoken" not in body
    assert owner.username not in body


def test_a_new_tally_version_leaves_every_cached_report_behind(
    owner_client: Client, dog: Dog, monkeypatch
) -> None:
    # The counting changed (the golden tally test then asks for a new version): no report counted
    # the old way may still be served, by this server or by one still running the old code.
    make_incident(dog, hours_ago(2))
    owner_client.get(page_url(dog))
    with timezone.override(LONDON):
        today = timezone.localdate()
    period = Period.last(30, today)
    kept = report_key(dog, period, today, LONDON, part="owner-page")
    assert cache.get(kept) is not None
    monkeypatch.setattr("journal.report.kept_months.TALLY_VERSION", kept_months.TALLY_VERSION + 1)
    assert report_key(dog, period, today, LONDON, part="owner-page") != kept


def test_it_still_hides_a_cached_report_from_a_stranger(
    owner_client: Client, stranger_client: Client, dog: Dog
) -> None:
    owner_client.get(page_url(dog))
    assert stranger_client.get(page_url(dog)).status_code == 404


def test_it_keeps_each_period_apart(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(days=10))
    owner_client.get(page_url(dog), {"days": "30"})
    assert leans_shown(owner_client.get(page_url(dog), {"days": "7"})) == 0


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


# Every write, whatever its path, shows at once: in the page and in report.json.


@pytest.fixture
def admin_client(db) -> Client:
    staff = Owner.objects.create_superuser(username="staff", password=PASSWORD, email="staff@example.com")
    # The admin asks staff for a second factor.
    return with_second_factor(Client(), staff)


def report_part(response) -> str:
    """The page's text from the report's numbers on: what the cache keeps, without messages."""
    page = text(response)
    return page[page.index("In numbers") :]


def admin_lean(dog: Dog, lean: Incident, **changes) -> dict[str, object]:
    when = lean.occurred_at.astimezone(dt.UTC)
    data = {
        "dog": dog.pk,
        "occurred_at_0": when.date().isoformat(),
        "occurred_at_1": when.time().isoformat(),
        "intensity": str(lean.intensity),
        "duration": lean.duration,
        "posture": lean.posture,
        "location": lean.location,
    }
    return {**data, **changes}


def log_in_view(client, admin, dog, lean):
    return client.post(
        reverse("journal:incident-create", args=[dog.pk]), a_lean(occurred_at=in_form(hours_ago(1)))
    )


def checkin_in_view(client, admin, dog, lean):
    day = timezone.localdate() - dt.timedelta(days=5)
    return client.post(reverse("journal:checkin-create", args=[dog.pk]), {"date": day.isoformat()})


def edit_in_view(client, admin, dog, lean):
    url = reverse("journal:incident-edit", args=[dog.pk, lean.pk])
    return client.post(url, a_lean(occurred_at=in_form(lean.occurred_at), signs=["scooting"]))


def delete_in_view(client, admin, dog, lean):
    return client.post(reverse("journal:incident-delete", args=[dog.pk, lean.pk]))


def edit_dog_in_view(client, admin, dog, lean):
    edit = {"name": "Biscuit", "breed": "", "size": "giant", "birth_date": "2016-03-14", "notes": ""}
    return client.post(reverse("dogs:dog-edit", args=[dog.pk]), edit)


def add_in_admin(client, admin, dog, lean):
    return admin.post(reverse("admin:journal_incident_add"), admin_lean(dog, lean, intensity="5"))


def change_in_admin(client, admin, dog, lean):
    url = reverse("admin:journal_incident_change", args=[lean.pk])
    return admin.post(url, admin_lean(dog, lean, intensity="5"))


def delete_in_admin(client, admin, dog, lean):
    return admin.post(reverse("admin:journal_incident_delete", args=[lean.pk]), {"post": "yes"})


def bulk_delete_in_admin(client, admin, dog, lean):
    data = {"action": "delete_selected", "_selected_action": [lean.pk], "post": "yes"}
    return admin.post(reverse("admin:journal_incident_changelist"), data)


def edit_dog_in_admin(client, admin, dog, lean):
    data = {
        "name": dog.name,
        "owner": dog.owner_id,
        "breed": "",
        "size": "giant",
        "birth_date": "2016-03-14",
        "sex": "",
        "weight_kg": "",
        "notes": "",
    }
    return admin.post(reverse("admin:dogs_dog_change", args=[dog.pk]), data)


def bulk_create(client, admin, dog, lean):
    Incident.objects.bulk_create([Incident(dog=dog, occurred_at=hours_ago(n)) for n in (4, 5)])


def queryset_update(client, admin, dog, lean):
    Incident.objects.filter(dog=dog).update(intensity=5)


def queryset_delete(client, admin, dog, lean):
    Incident.objects.filter(dog=dog).delete()


def raw_sql(client, admin, dog, lean):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE journal_incident SET intensity = 1 WHERE id = %s", [lean.pk])


def demo_command(client, admin, dog, lean):
    # A management command that writes leans: the demo loader, pointed at this journal's owner.
    call_command("load_demo", stdout=StringIO())
    Incident.objects.filter(dog__owner__username="demo").update(dog=dog)


def csv_import(client, admin, dog, lean):
    when = hours_ago(1).replace(microsecond=0).isoformat()
    content = (
        "occurred_at,intensity,duration,posture,location,owner_activity,triggers,signs,owner_response,"
        f"outcome,notes\n{when},5,long,front,vet,,,trembling,,,\n"
    )
    preview = client.post(
        reverse("journal:incident-import", args=[dog.pk]),
        {"file": SimpleUploadedFile("leans.csv", content.encode(), "text/csv")},
    )
    return client.post(reverse("journal:incident-import-confirm", args=[dog.pk]), confirm_fields(preview))


def lean_through_the_api(client, admin, dog, lean):
    token = ApiToken.issue(dog.owner, "cache test")[1]
    response = Client(headers={"Authorization": f"Bearer {token}"}).post(
        f"/api/dogs/{dog.pk}/leans",
        {"occurred_at": hours_ago(1).isoformat(), "intensity": 5},
        "application/json",
    )
    assert response.status_code == 201


WRITE_PATHS = [
    checkin_in_view,
    log_in_view,
    edit_in_view,
    delete_in_view,
    edit_dog_in_view,
    add_in_admin,
    change_in_admin,
    delete_in_admin,
    bulk_delete_in_admin,
    edit_dog_in_admin,
    bulk_create,
    queryset_update,
    queryset_delete,
    raw_sql,
    demo_command,
    csv_import,
    lean_through_the_api,
]


@pytest.mark.parametrize("write", WRITE_PATHS, ids=lambda write: write.__name__)
def test_it_shows_every_write_at_once(
    owner_client: Client, admin_client: Client, owner: Owner, write
) -> None:
    # Two stiff leans: a vet check for a senior dog, a note for this adult one. Added ten days
    # ago, so that a check-in five days ago is inside its journal.
    dog = make_dog(
        owner,
        size="medium",
        birth_date=dt.date(2021, 3, 14),
        created_at=timezone.now() - dt.timedelta(days=10),
    )
    lean = make_incident(dog, hours_ago(2).replace(second=0, microsecond=0), intensity=2, signs=["stiffness"])
    make_incident(dog, hours_ago(3), intensity=2, signs=["stiffness"])
    json_url = reverse("journal:report-json", args=[dog.pk])
    page_before = report_part(owner_client.get(page_url(dog)))
    json_before = owner_client.get(json_url).json()

    response = write(owner_client, admin_client, dog, lean)

    assert response is None or response.status_code == 302
    json_after = owner_client.get(json_url).json()
    assert json_after != json_before
    # The page tells the same story as the JSON, cached or not.
    cache.clear()
    fresh_page = report_part(owner_client.get(page_url(dog)))
    assert report_part(owner_client.get(page_url(dog))) == fresh_page != page_before


def test_it_shows_an_acknowledgement_at_once(owner_client: Client, owner: Owner) -> None:
    dog = make_dog(owner)
    make_incident(dog, hours_ago(2), outcome="knocked_over")
    json_url = reverse("journal:report-json", args=[dog.pk])
    assert owner_client.get(json_url).json()["flags"][0]["acknowledged"] is None

    owner_client.post(
        reverse("journal:flag-acknowledge", args=[dog.pk, "knock_over"]), {"note": "Mat training"}
    )

    acknowledged = owner_client.get(json_url).json()["flags"][0]["acknowledged"]
    assert acknowledged == {"on": timezone.localdate().isoformat(), "note": "Mat training"}


def event_in_view(client, admin, dog, lean):
    event = {"kind": "medication", "title": "Carprofen 50 mg", "started_on": timezone.localdate().isoformat()}
    return client.post(reverse("journal:event-create", args=[dog.pk]), {**event, "notes": ""})


def weight_in_view(client, admin, dog, lean):
    return client.post(reverse("journal:weight-create", args=[dog.pk]), {"weight_kg": "31.5"})


@pytest.mark.parametrize(
    "write", [*WRITE_PATHS, event_in_view, weight_in_view], ids=lambda write: write.__name__
)
def test_it_shows_every_write_on_the_dog_page_and_the_home_page_at_once(
    owner_client: Client, admin_client: Client, owner: Owner, write
) -> None:
    dog = make_dog(
        owner,
        size="medium",
        birth_date=dt.date(2021, 3, 14),
        created_at=timezone.now() - dt.timedelta(days=10),
    )
    lean = make_incident(dog, hours_ago(2).replace(second=0, microsecond=0), intensity=2, signs=["stiffness"])
    make_incident(dog, hours_ago(3), intensity=2, signs=["stiffness"])
    pages = [reverse("dogs:home"), reverse("dogs:dog-detail", args=[dog.pk])]
    # Both pages keep their parts in the cache before the write.
    before = [text(owner_client.get(url)) for url in pages]
    assert [text(owner_client.get(url)) for url in pages] == before

    response = write(owner_client, admin_client, dog, lean)
    assert response is None or response.status_code == 302
    # A write through a view leaves a message for the next page: shown here, on neither of them.
    owner_client.get(reverse("password_change_done"))

    after = [text(owner_client.get(url)) for url in pages]
    # Every one of these writes shows on the dog page, but a check-in for an earlier day (that
    # one counts in the report only).
    assert (after[1] != before[1]) is (write is not checkin_in_view)
    cache.clear()
    assert [text(owner_client.get(url)) for url in pages] == after


# The page's own content around the report (header, period picker, footer) is kept too, under
# everything it shows: each reader sees their own.


def test_each_member_sees_the_header_of_their_own_role(owner_client, dog: Dog) -> None:
    carer = make_owner("carla")  # in London too: the same report, the same key but for the role
    add_member(dog, carer, "carer")
    carer_client = Client()
    carer_client.force_login(carer)
    make_incident(dog, hours_ago(2))

    assert select(owner_client.get(page_url(dog)), "[data-share-with-vet]")
    carers_page = carer_client.get(page_url(dog))
    assert not select(carers_page, "[data-share-with-vet]")
    assert "Times are in Europe/London." in text(carers_page)
    assert select(owner_client.get(page_url(dog)), "[data-share-with-vet]")


def test_the_header_follows_the_verdict_and_the_dog(owner_client, dog: Dog) -> None:
    make_incident(dog, hours_ago(2))
    first = owner_client.get(page_url(dog))
    assert select_one(first, "[data-verdict]").get("data-verdict") == "too_early"

    # Knocked over three times this week: the verdict turns into a flag.
    for hours in (3, 4, 5):
        make_incident(dog, hours_ago(hours), outcome="knocked_over")
    flagged = owner_client.get(page_url(dog))
    assert select_one(flagged, "[data-verdict]").get("data-verdict") != "too_early"

    Dog.objects.filter(pk=dog.pk).update(name="Biscuit the Second", breed="Lurcher")
    renamed = owner_client.get(page_url(dog))
    assert "Biscuit the Second’s leaning report" in text(renamed)
    assert "Lurcher" in text(renamed)


def test_a_bad_period_shows_its_errors_and_the_next_good_one_does_not(owner_client, dog: Dog) -> None:
    make_incident(dog, hours_ago(2))
    bad = owner_client.get(page_url(dog), {"start": "2026-13-01", "end": "2026-01-01"})
    assert select_one(bad, "#period-errors") is not None
    good = owner_client.get(page_url(dog), {"days": 30})
    assert select_one(good, "#period-errors") is None
    assert select_one(
        owner_client.get(page_url(dog), {"start": "2026-13-01", "end": "2026-01-01"}), "#period-errors"
    )
