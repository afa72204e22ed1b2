"""The REST API's timeline: a dog's events and weighings, read and added with the pages' rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from dogs.models import Dog, Owner, Role
from journal.models import Event, Weight
from tests.helpers import add_member, make_event, make_incident, make_weight


def token_client(person: Owner) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(person, 'script')[1]}"})


@pytest.fixture
def api(owner: Owner) -> Client:
    return token_client(owner)


def member(dog: Dog, person: Owner, role: str) -> Client:
    add_member(dog, person, role)
    return token_client(person)


def post(client: Client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def test_it_lists_the_events_latest_start_first(api, dog) -> None:
    make_event(dog, dt.date(2026, 3, 1), title="Carprofen 50 mg", ended_on=dt.date(2026, 3, 28))
    make_event(dog, dt.date(2026, 4, 2), title="Sit-stay course", kind="training", notes="Tuesdays")

    page = api.get(f"/api/dogs/{dog.pk}/events").json()

    assert page["page"] == 1 and page["has_next"] is False
    assert [(e["kind"], e["title"], e["started_on"], e["ended_on"], e["notes"]) for e in page["results"]] == [
        ("training", "Sit-stay course", "2026-04-02", None, "Tuesdays"),
        ("medication", "Carprofen 50 mg", "2026-03-01", "2026-03-28", ""),
    ]


def test_it_pages_the_events_fifty_at_a_time(api, dog) -> None:
    first_day = dt.date(2026, 1, 1)
    Event.objects.bulk_create(
        Event(dog=dog, kind="other", title=f"Thing {n}", started_on=first_day + dt.timedelta(days=n))
        for n in range(51)
    )

    first = api.get(f"/api/dogs/{dog.pk}/events").json()
    second = api.get(f"/api/dogs/{dog.pk}/events", {"page": 2}).json()

    assert (len(first["results"]), first["has_next"]) == (50, True)
    assert [e["title"] for e in second["results"]] == ["Thing 0"]
    assert second["has_next"] is False


def test_it_lists_the_events_in_three_queries(api, dog, django_assert_num_queries) -> None:
    for day in range(1, 11):
        make_event(dog, dt.date(2026, 2, day))
    api.get(f"/api/dogs/{dog.pk}/events")  # the token's last-used time is written once a minute

    # 1 the token with its owner, 2 the dog, 3 the page of events (one row more: has_next).
    with django_assert_num_queries(3):
        page = api.get(f"/api/dogs/{dog.pk}/events").json()

    assert len(page["results"]) == 10


def test_it_lists_the_weighings_latest_first(api, dog) -> None:
    make_weight(dog, dt.date(2026, 3, 1), "31.5")
    make_weight(dog, dt.date(2026, 4, 1), "30.25")

    page = api.get(f"/api/dogs/{dog.pk}/weights").json()

    assert [(w["measured_on"], w["weight_kg"]) for w in page["results"]] == [
        ("2026-04-01", 30.25),
        ("2026-03-01", 31.5),
    ]
    assert page["has_next"] is False


def test_it_answers_404_for_a_strangers_events_and_weights(dog, stranger) -> None:
    make_event(dog, dt.date(2026, 3, 1))
    make_weight(dog, dt.date(2026, 3, 1), "30")
    theirs = token_client(stranger)

    assert theirs.get(f"/api/dogs/{dog.pk}/events").status_code == 404
    assert theirs.get(f"/api/dogs/{dog.pk}/weights").status_code == 404
    event = {"kind": "diet", "title": "Mine now", "started_on": "2026-03-02"}
    assert post(theirs, f"/api/dogs/{dog.pk}/events", event).status_code == 404
    assert post(theirs, f"/api/dogs/{dog.pk}/weights", {"weight_kg": 12}).status_code == 404
    assert list(Event.objects.values_list("title", flat=True)) == ["Carprofen 50 mg"]
    assert Weight.objects.count() == 1


def test_it_adds_an_event_for_the_person_of_the_token(api, owner, dog) -> None:
    response = post(
        api,
        f"/api/dogs/{dog.pk}/events",
        {"kind": "medication", "title": "Carprofen", "started_on": "2026-03-03", "notes": "twice a day"},
    )

    assert response.status_code == 201
    event = Event.objects.get()
    assert response.json()["id"] == event.pk
    assert (event.dog, event.created_by, event.started_on, event.ended_on) == (
        dog,
        owner,
        dt.date(2026, 3, 3),
        None,
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"started_on": "2026-03-03", "ended_on": "2026-03-02"}, "ended_on", "The end cannot be before"),
        ({"started_on": "2020-01-01"}, "started_on", "Biscuit was born on 14 March 2021"),
        ({"started_on": "2999-01-01"}, "started_on", "That day hasn’t come yet"),
        ({"started_on": "2026-03-03", "title": "two\nlines"}, "title", ""),
        ({"started_on": "2026-03-03", "kind": "surgery"}, "kind", ""),
    ],
)
def test_it_refuses_an_event_the_events_page_refuses(api, dog, body, field, message) -> None:
    response = post(api, f"/api/dogs/{dog.pk}/events", {"kind": "diet", "title": "New food", **body})

    assert response.status_code == 422
    assert message in response.json()["errors"][field][0]
    assert not Event.objects.exists()


def test_it_adds_a_weighing_today_by_default(api, owner, dog) -> None:
    response = post(api, f"/api/dogs/{dog.pk}/weights", {"weight_kg": 31.5})

    assert response.status_code == 201
    weight = Weight.objects.get()
    assert (weight.measured_on, weight.weight_kg, weight.created_by) == (
        timezone.localdate(timezone=owner.zone()),
        Decimal("31.5"),
        owner,
    )


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"weight_kg": 0.4}, "weight_kg", "A weight is at least 0.5 kg."),
        ({"weight_kg": 150.01}, "weight_kg", "A weight is at most 150 kg."),
        ({"weight_kg": 30, "measured_on": "2999-01-01"}, "measured_on", "That day hasn’t come yet"),
    ],
)
def test_it_refuses_a_weighing_the_dog_page_refuses(api, dog, body, field, message) -> None:
    response = post(api, f"/api/dogs/{dog.pk}/weights", body)

    assert response.status_code == 422
    assert message in response.json()["errors"][field][0]
    assert not Weight.objects.exists()


def test_it_lets_a_viewer_read_the_timeline_but_not_add_to_it(dog, stranger) -> None:
    viewer = member(dog, stranger, Role.VIEWER)

    assert viewer.get(f"/api/dogs/{dog.pk}/events").status_code == 200
    assert viewer.get(f"/api/dogs/{dog.pk}/weights").status_code == 200
    event = {"kind": "diet", "title": "New food", "started_on": "2026-03-02"}
    assert post(viewer, f"/api/dogs/{dog.pk}/events", event).status_code == 403
    assert post(viewer, f"/api/dogs/{dog.pk}/weights", {"weight_kg": 30}).status_code == 403
    assert not Event.objects.exists() and not Weight.objects.exists()


def test_it_lets_a_carer_add_an_event_and_a_weighing(dog, stranger) -> None:
    carer = member(dog, stranger, Role.CARER)

    event = {"kind": "training", "title": "Settle cue", "started_on": "2026-03-02"}
    assert post(carer, f"/api/dogs/{dog.pk}/events", event).status_code == 201
    assert post(carer, f"/api/dogs/{dog.pk}/weights", {"weight_kg": 30}).status_code == 201
    assert Event.objects.get().created_by == stranger
    assert Weight.objects.get().created_by == stranger


def test_it_compares_an_event_added_through_the_api_in_the_next_report(api, owner_client, dog) -> None:
    url = reverse("journal:report-json", args=[dog.pk])
    make_incident(dog)
    assert owner_client.get(url).json()["events"] == []

    started = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    post(api, f"/api/dogs/{dog.pk}/events", {"kind": "diet", "title": "New food", "started_on": started})

    assert [event["title"] for event in owner_client.get(url).json()["events"]] == ["New food"]


@pytest.mark.parametrize("body", ['{"weight_kg": NaN}', '{"weight_kg": Infinity}', '{"weight_kg": "lots"}'])
def test_it_refuses_a_weight_that_is_no_number(api, dog, body: str) -> None:
    response = api.post(f"/api/dogs/{dog.pk}/weights", body, content_type="application/json")

    assert response.status_code == 422
    assert "weight_kg" in response.json()["errors"]
    assert not Weight.objects.exists()


def test_it_refuses_a_lone_surrogate_in_an_event_naming_the_field(api, dog) -> None:
    body = '{"kind": "diet", "title": "New food \\ud800", "started_on": "2026-03-02"}'

    response = api.post(f"/api/dogs/{dog.pk}/events", body, content_type="application/json")

    assert response.status_code == 422
    assert "surrogate" in response.json()["errors"]["title"][0]
    assert not Event.objects.exists()


RETRY_ID = "7d3c3f0e-9b1a-4a4e-8f0c-2b6f4e1d9a55"


@pytest.mark.parametrize(
    ("path", "body", "rows"),
    [
        (
            "events",
            {"kind": "medication", "title": "Carprofen 50 mg", "started_on": "2026-03-01"},
            lambda dog: dog.events,
        ),
        ("weights", {"weight_kg": 24.5, "measured_on": "2026-03-01"}, lambda dog: dog.weights),
    ],
)
def test_it_adds_once_what_a_retry_sends_again_with_the_same_client_id(api, dog, path, body, rows) -> None:
    first = post(api, f"/api/dogs/{dog.pk}/{path}", {**body, "client_id": RETRY_ID})
    again = post(api, f"/api/dogs/{dog.pk}/{path}", {**body, "client_id": RETRY_ID, "notes": "Changed"})
    other = post(api, f"/api/dogs/{dog.pk}/{path}", body)

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json() == first.json()
    assert rows(dog).count() == 2
    assert str(rows(dog).get(pk=first.json()["id"]).client_id) == RETRY_ID
