"""A dog, an event and a weighing sent twice (a double tap, a retry) are added once.

Each "add" form carries a fresh client_id; a repeat with the same id is answered as the first
post was, whatever it says now, and stores nothing. The rule itself (config.saving.once) is the lean's
too: tests/journal/test_client_id.py covers it there, with the race between two copies.
"""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from dogs.models import Dog, Membership
from journal.models import Event, Weight
from tests.helpers import field_value, make_dog, select_one

CLIENT_ID = "4a0f8f39-1c52-4e0b-8a7e-0d6c2f9b5e21"


def a_dog(**fields: str) -> dict[str, str]:
    return {"name": "Juno", "size": "large", "birth_date": "2019-05-02", **fields}


def an_event(**fields: str) -> dict[str, str]:
    return {"kind": "medication", "title": "Carprofen 50 mg", "started_on": "2026-11-20", **fields}


def a_weighing(**fields: str) -> dict[str, str]:
    return {"weight_kg": "24.5", "measured_on": "2026-11-30", **fields}


# (url name, form data, the rows of the signed-in owner's dog "Biscuit" or account it adds to)
FORMS = {
    "dog": ("dogs:dog-create", a_dog, lambda owner, dog: Dog.objects.filter(owner=owner).exclude(pk=dog.pk)),
    "event": ("journal:event-create", an_event, lambda owner, dog: dog.events.all()),
    "weighing": ("journal:weight-create", a_weighing, lambda owner, dog: dog.weights.all()),
}


def changed(data, **values: str) -> dict[str, str]:
    """The form's data with the values given for the fields it has (the others left out)."""
    return {**data(client_id=CLIENT_ID), **{name: value for name, value in values.items() if name in data()}}


def url_of(name: str, dog: Dog) -> str:
    return reverse(name) if name == "dogs:dog-create" else reverse(name, args=[dog.pk])


@pytest.fixture(params=list(FORMS))
def form(request: pytest.FixtureRequest, owner, dog):
    name, data, rows = FORMS[request.param]
    return url_of(name, dog), data, lambda: rows(owner, dog)


def test_it_adds_one_for_three_posts_with_the_same_client_id(owner_client, form):
    url, data, rows = form
    answers = [owner_client.post(url, data(client_id=CLIENT_ID)) for _ in range(3)]

    assert rows().count() == 1
    assert rows().get().client_id == uuid.UUID(CLIENT_ID)
    assert {answer.status_code for answer in answers} == {302}
    assert len({answer.url for answer in answers}) == 1


def test_it_adds_two_for_two_client_ids(owner_client, form):
    url, data, rows = form
    owner_client.post(url, data(client_id=CLIENT_ID))
    owner_client.post(url, data(client_id=str(uuid.uuid4())))

    assert rows().count() == 2


def test_it_adds_what_is_posted_without_a_client_id_each_time(owner_client, form):
    # A client that sends no id (an old page, a script) is not refused; it just has no guard.
    url, data, rows = form
    owner_client.post(url, data())
    owner_client.post(url, data())

    assert rows().count() == 2
    assert not rows().filter(client_id__isnull=False).exists()


def test_it_keeps_the_first_copy_when_a_repeat_says_something_else(owner_client, form):
    url, data, rows = form
    owner_client.post(url, data(client_id=CLIENT_ID))
    again = owner_client.post(url, changed(data, name="Other", title="Other", weight_kg="40"))

    assert again.status_code == 302
    stored = rows().get()
    assert "Other" not in str(stored) and "40" not in str(stored)


def test_it_refuses_a_client_id_that_is_not_one_next_to_the_form_and_adds_nothing(owner_client, form):
    url, data, rows = form
    response = owner_client.post(url, data(client_id="not-an-id"))

    assert response.status_code in {200, 400}
    assert "This form lost its label on the way. Reload the page and save again." in response.content.decode()
    assert not rows().exists()


def test_it_keeps_the_posted_client_id_when_the_form_comes_back_with_errors(owner_client, form):
    url, data, rows = form
    response = owner_client.post(url, changed(data, name="", title="", weight_kg="0"))

    assert field_value(response, "client_id") == CLIENT_ID
    assert select_one(response, 'input[name="client_id"]').get("data-client-id") == "kept"
    assert not rows().exists()


def test_it_answers_with_the_stored_copy_when_a_twin_wins_the_race(owner_client, owner, dog, form):
    # The twin request stored its copy between this request's lookup and its insert.
    url, data, rows = form
    owner_client.post(url, data(client_id=CLIENT_ID))
    twin = rows().get()
    with mock.patch("config.saving.once.stored_with", side_effect=[None, twin]):
        response = owner_client.post(url, data(client_id=CLIENT_ID))

    assert response.status_code == 302
    assert rows().count() == 1


def test_it_adds_a_dog_once_with_one_membership(owner_client, owner):
    for _ in range(2):
        owner_client.post(reverse("dogs:dog-create"), a_dog(client_id=CLIENT_ID))

    juno = Dog.objects.get(name="Juno")
    assert Membership.objects.filter(dog=juno).count() == 1


def test_it_adds_a_dog_whose_client_id_another_account_used(owner_client, owner, stranger):
    # The id is unique per account: another person's dog with it is neither an answer nor touched.
    theirs = make_dog(stranger, "Rex", client_id=uuid.UUID(CLIENT_ID))

    response = owner_client.post(reverse("dogs:dog-create"), a_dog(client_id=CLIENT_ID))

    mine = Dog.objects.get(name="Juno")
    assert response.url == mine.get_absolute_url()
    assert mine.pk != theirs.pk and mine.owner == owner
    assert Dog.objects.get(pk=theirs.pk).name == "Rex"


def test_it_notes_a_weighing_whose_client_id_another_dog_has(owner_client, owner, dog):
    other = make_dog(owner, "Pip")
    Weight.objects.create(dog=other, weight_kg="8", measured_on="2026-11-01", client_id=uuid.UUID(CLIENT_ID))

    owner_client.post(url_of("journal:weight-create", dog), a_weighing(client_id=CLIENT_ID))

    assert dog.weights.count() == 1
    assert other.weights.count() == 1


@pytest.mark.parametrize("model", [Event, Weight])
def test_the_database_refuses_a_second_row_with_the_same_client_id_for_one_dog(dog, model):
    fields = (
        {"kind": "diet", "title": "Senior diet", "started_on": "2026-10-01"}
        if model is Event
        else {"weight_kg": "20", "measured_on": "2026-10-01"}
    )
    model.objects.create(dog=dog, client_id=uuid.UUID(CLIENT_ID), **fields)

    with pytest.raises(IntegrityError):
        model.objects.create(dog=dog, client_id=uuid.UUID(CLIENT_ID), **fields)


def test_every_add_form_shows_a_fresh_client_id(owner_client, dog):
    pages = {
        "dog form": reverse("dogs:dog-create"),
        "event form": reverse("journal:event-create", args=[dog.pk]),
        "dog page (weighing)": dog.get_absolute_url(),
    }
    for page, url in pages.items():
        first = field_value(owner_client.get(url), "client_id")
        second = field_value(owner_client.get(url), "client_id")
        assert first and second and first != second, page
        assert uuid.UUID(first)


def test_the_edit_forms_carry_no_client_id(owner_client, dog):
    event = Event.objects.create(dog=dog, kind="diet", title="Senior diet", started_on="2026-10-01")
    edits = (reverse("dogs:dog-edit", args=[dog.pk]), reverse("journal:event-edit", args=[dog.pk, event.pk]))
    for url in edits:
        assert field_value(owner_client.get(url), "client_id") is None
