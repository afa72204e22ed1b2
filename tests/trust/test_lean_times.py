"""One rule for a lean's time at every door, and no stored time can make a page fail."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from dogs.models import Owner
from journal.imports import csv_import
from journal.models import EARLIEST_LEAN_MOMENT, LATEST_LEAN_MOMENT, Incident
from tests.helpers import a_lean, make_dog, make_incident, make_owner, make_share
from tests.trust.support import signed_in_routes, text_of, url_for

UTC = dt.UTC
# Moments no door takes: shown in a zone west of UTC the first underflows year 1, east of UTC
# the second overflows year 9999. The API stored them before the rule.
OUT_OF_RANGE = (dt.datetime(1, 1, 1, tzinfo=UTC), dt.datetime(9999, 12, 31, 23, 59, tzinfo=UTC))


def every_page_of(client: Client, dog, lean, token: str) -> list[str]:
    """Every page of the dog (journal, report, report.json, CSV, vet page, zip, home...) that answers 5xx."""
    paths = [
        url_for(route, dog, lean) if route.kwargs else reverse(route.name) for route in signed_in_routes()
    ]
    paths += [
        reverse("dogs:home"),
        reverse("shared-report", args=[token]),
        reverse("shared-report-json", args=[token]),
    ]
    failed = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200:
            text_of(response)  # a streamed CSV fails only when read
        if response.status_code >= 500:
            failed.append(path)
    return failed


@pytest.mark.parametrize("moment", OUT_OF_RANGE, ids=lambda moment: moment.isoformat())
def test_it_keeps_an_out_of_range_lean_time_out_of_the_database(dog, moment) -> None:
    lean = make_incident(dog)

    # .update() skips every validator, as raw SQL or the old API did.
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=lean.pk).update(occurred_at=moment)

    assert Incident.objects.get().occurred_at == lean.occurred_at


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"])
@pytest.mark.parametrize("moment", [EARLIEST_LEAN_MOMENT, LATEST_LEAN_MOMENT], ids=["earliest", "latest"])
def test_it_serves_every_page_of_a_dog_with_a_lean_at_the_databases_bounds(db, zone, moment) -> None:
    owner = make_owner("berta", zone)
    dog = make_dog(owner)
    make_incident(dog, notes="an ordinary lean")
    odd = make_incident(dog, notes="at the bound")
    # What the database still takes from a write that skips the doors.
    Incident.objects.filter(pk=odd.pk).update(occurred_at=moment)
    _, token = make_share(dog)
    client = Client()
    client.force_login(owner)

    assert every_page_of(client, dog, odd, token) == []


BEFORE = [("journal", "0008_leans_before_households_logged_by_the_adder")]
AFTER = [("journal", "0009_lean_time_in_range")]


@pytest.mark.django_db(transaction=True)
def test_it_moves_a_lean_stored_out_of_range_to_the_bound_and_says_so_in_its_notes() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    person = old.get_model("dogs", "Owner").objects.create(username="olive")
    dog = old.get_model("dogs", "Dog").objects.create(
        owner=person, name="Pepper", size="small", birth_date="2020-01-01"
    )
    Lean = old.get_model("journal", "Incident")
    Lean.objects.create(dog=dog, occurred_at=OUT_OF_RANGE[0], notes="Leaned at the door.")
    Lean.objects.create(dog=dog, occurred_at=OUT_OF_RANGE[1])
    kept = Lean.objects.create(dog=dog, occurred_at=dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    leans = list(Incident.objects.order_by("pk").values_list("occurred_at", "notes"))

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert leans[0][0] == EARLIEST_LEAN_MOMENT
    assert leans[0][1].startswith("Leaned at the door.\n\n(Logged as 0001-01-01 00:00 UTC")
    assert leans[1][0] == LATEST_LEAN_MOMENT
    assert leans[1][1].startswith("(Logged as 9999-12-31 23:59 UTC")
    assert leans[2] == (kept.occurred_at, "")


# --- one rule at every door ----------------------------------------------------------------

# A time each door must refuse, and why: before the journal's first day, a Unix time, offsets
# past ±14:00 (PostgreSQL cannot even store +23:59), the far ends of the calendar, the future.
REFUSED_TIMES = {
    "year 1": "0001-01-01T00:00:00+00:00",
    "year 9999": "9999-12-31T23:59:00+00:00",
    "before 1990": "1989-12-31T23:59:00+00:00",
    "offset +23:59": "2026-03-01T08:15:00+23:59",
    "offset -14:01": "2026-03-01T08:15:00-14:01",
    "next year": f"{dt.date.today().year + 1}-03-01T08:15:00+00:00",
}


def api_client(owner: Owner) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(owner, 'times')[1]}"})


@pytest.mark.parametrize("when", REFUSED_TIMES.values(), ids=REFUSED_TIMES.keys())
def test_it_refuses_a_lean_time_out_of_range_through_the_api(owner, dog, when) -> None:
    response = api_client(owner).post(
        f"/api/dogs/{dog.pk}/leans", {"occurred_at": when}, content_type="application/json"
    )

    assert response.status_code == 422, response.content
    assert "occurred_at" in response.json()["errors"]
    assert not Incident.objects.exists()


@pytest.mark.parametrize("when", [0, 1772352900, -62135596800, 1772352900.5])
def test_it_refuses_a_unix_time_through_the_api(owner, dog, when) -> None:
    response = api_client(owner).post(
        f"/api/dogs/{dog.pk}/leans", {"occurred_at": when}, content_type="application/json"
    )

    assert response.status_code == 422, response.content
    assert "ISO 8601" in " ".join(response.json()["errors"]["occurred_at"])
    assert not Incident.objects.exists()


@pytest.mark.parametrize("when", REFUSED_TIMES.values(), ids=REFUSED_TIMES.keys())
def test_it_refuses_a_lean_time_out_of_range_in_an_api_change(owner, dog, when) -> None:
    lean = make_incident(dog, notes="kept as it was")
    before = Incident.objects.values().get()

    response = api_client(owner).patch(
        f"/api/dogs/{dog.pk}/leans/{lean.pk}", {"occurred_at": when}, content_type="application/json"
    )

    assert response.status_code == 422, response.content
    assert "occurred_at" in response.json()["errors"]
    assert Incident.objects.values().get() == before


def test_it_takes_a_lean_time_with_a_fourteen_hour_offset_through_the_api(owner, dog) -> None:
    response = api_client(owner).post(
        f"/api/dogs/{dog.pk}/leans",
        {"occurred_at": "2026-03-01T08:15:00+14:00"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert Incident.objects.get().occurred_at == dt.datetime(2026, 2, 28, 18, 15, tzinfo=UTC)


# The form takes wall-clock minutes in the owner's zone, so no offset can be typed.
FORM_REFUSED = (
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "1989-12-31T23:59",
    f"{dt.date.today().year + 1}-03-01T08:15",
)


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/New_York"])
@pytest.mark.parametrize("when", FORM_REFUSED)
def test_it_refuses_a_lean_time_out_of_range_in_the_form(db, zone, when) -> None:
    owner = make_owner("berta", zone)
    dog = make_dog(owner)
    client = Client()
    client.force_login(owner)

    response = client.post(reverse("journal:incident-create", args=[dog.pk]), a_lean(occurred_at=when))

    assert response.status_code == 200
    assert response.context["form"].errors["occurred_at"]
    assert not Incident.objects.exists()


@pytest.mark.parametrize("when", REFUSED_TIMES.values(), ids=REFUSED_TIMES.keys())
def test_it_refuses_a_lean_time_out_of_range_in_a_csv_row(when) -> None:
    header = "occurred_at,intensity,duration,posture,location,owner_activity,triggers,signs,"
    header += "owner_response,outcome,notes"
    stream = io.StringIO(f"{header}\r\n{when},,,,,,,,,,\r\n")

    rows = list(csv_import.read_rows(stream, dt.UTC, dt.datetime.now(UTC)))

    assert len(rows) == 1
    _, reason = rows[0]
    assert isinstance(reason, str), f"{when} was read as a lean"
