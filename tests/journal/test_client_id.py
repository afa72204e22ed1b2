"""One lean per tap: a repeated client_id for the same dog is stored once and answered as before."""

from __future__ import annotations

import datetime as dt
import uuid
from unittest import mock

import pytest
from django import forms
from django.db import IntegrityError
from django.urls import reverse

from config.saving.once import ClientIdInput
from journal.models import Incident
from tests.helpers import a_lean, field_value, make_dog, make_incident, select

CLIENT_ID = "0f8b6f5e-6f1a-4c57-9a35-3e9d2b1c7a10"


def create_url(dog) -> str:
    return reverse("journal:incident-create", args=[dog.pk])


def test_it_stores_the_client_id_with_the_lean(owner_client, dog):
    owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID))

    assert Incident.objects.get().client_id == uuid.UUID(CLIENT_ID)


def test_it_stores_a_lean_posted_without_a_client_id(owner_client, dog):
    owner_client.post(create_url(dog), a_lean())

    assert Incident.objects.get().client_id is None


def test_it_stores_one_lean_for_four_posts_with_the_same_client_id(owner_client, dog):
    for _ in range(4):
        owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID))

    assert Incident.objects.count() == 1


def test_it_answers_a_repeat_as_it_answered_the_first(owner_client, dog):
    first = owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID))
    again = owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID, notes="Changed my mind."))

    assert again.status_code == 302
    assert again.url == first.url
    assert Incident.objects.get().notes == ""


def test_it_answers_a_repeat_with_the_saved_message(owner_client, dog):
    owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID))
    response = owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID), follow=True)

    assert "Saved: Biscuit leaned on you on" in response.content.decode()


def test_it_stores_two_leans_with_two_client_ids(owner_client, dog):
    owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID))
    owner_client.post(create_url(dog), a_lean(client_id=str(uuid.uuid4())))

    assert Incident.objects.count() == 2


def test_it_stores_a_lean_whose_client_id_another_dog_already_has(owner_client, owner, dog, stranger):
    # client_id is unique per dog: someone else's lean with the same id is neither an error nor touched.
    strangers_lean = make_incident(make_dog(stranger, "Rex"), client_id=uuid.UUID(CLIENT_ID), notes="Rex's.")

    response = owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID, notes="Biscuit's."))

    mine = dog.incidents.get()
    assert response.url == f"{reverse('journal:incident-list', args=[dog.pk])}#incident-{mine.pk}"
    assert mine.notes == "Biscuit's."
    strangers_lean.refresh_from_db()
    assert strangers_lean.notes == "Rex's."


def test_it_never_points_at_the_other_dogs_lean(owner_client, owner, dog):
    other = make_dog(owner, "Pip")
    make_incident(other, client_id=uuid.UUID(CLIENT_ID))

    response = owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID))

    assert response.url.endswith(f"#incident-{dog.incidents.get().pk}")
    assert other.incidents.count() == 1


def test_it_refuses_a_client_id_that_is_not_a_uuid(owner_client, dog):
    response = owner_client.post(create_url(dog), a_lean(client_id="not-a-uuid"))

    assert response.status_code == 200
    assert "This form lost its label on the way" in response.content.decode()
    assert not Incident.objects.exists()


def test_it_keeps_the_posted_client_id_when_the_form_comes_back_with_errors(owner_client, dog):
    response = owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID, occurred_at="soon"))

    assert f'value="{CLIENT_ID}"' in response.content.decode()
    assert 'data-client-id="kept"' in response.content.decode()


def test_it_gives_every_new_form_its_own_client_id(owner_client, dog):
    first = field_value(owner_client.get(create_url(dog)), "client_id")
    second = field_value(owner_client.get(create_url(dog)), "client_id")

    assert uuid.UUID(first) and uuid.UUID(second)
    assert first != second


def test_it_leaves_the_client_id_out_of_the_edit_form(owner_client, dog):
    incident = make_incident(dog)

    response = owner_client.get(reverse("journal:incident-edit", args=[dog.pk, incident.pk]))

    assert 'name="client_id"' not in response.content.decode()


def test_it_answers_with_the_stored_lean_when_a_copy_wins_the_race(owner_client, dog):
    # The twin request stored its copy between this request's lookup and its insert.
    twin = make_incident(dog, client_id=uuid.UUID(CLIENT_ID))
    with mock.patch("config.saving.once.stored_with", side_effect=[None, twin]):
        response = owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID))

    assert response.url.endswith(f"#incident-{twin.pk}")
    assert Incident.objects.count() == 1


def test_it_refuses_a_second_row_with_the_same_client_id_in_the_database(dog):
    make_incident(dog, client_id=uuid.UUID(CLIENT_ID))

    with pytest.raises(IntegrityError):
        make_incident(dog, client_id=uuid.UUID(CLIENT_ID))


def test_it_refuses_a_lean_kept_on_the_phone_by_another_account(owner_client, owner, dog):
    response = owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID, signed_in_as=str(owner.pk + 1)))

    assert response.status_code == 409
    assert "saved on this phone by another account" in response.content.decode()
    assert not Incident.objects.exists()


def test_it_stores_a_lean_the_signed_in_person_kept(owner_client, owner, dog):
    owner_client.post(create_url(dog), a_lean(client_id=CLIENT_ID, signed_in_as=str(owner.pk)))

    assert Incident.objects.get().logged_by == owner


def test_it_reads_the_time_in_the_zone_the_form_was_shown_in(owner_client, dog):
    # alice lives in London; the form she saved offline was shown while her zone was Tokyo.
    owner_client.post(create_url(dog), a_lean(occurred_at="2026-03-01T09:00", time_zone="Asia/Tokyo"))

    assert Incident.objects.get().occurred_at == dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)


def test_it_reads_the_time_in_the_owners_zone_when_the_form_names_an_unknown_zone(owner_client, dog):
    owner_client.post(create_url(dog), a_lean(occurred_at="2026-03-01T09:00", time_zone="Mars/Olympus"))

    assert Incident.objects.get().occurred_at == dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("value", [None, "", CLIENT_ID, uuid.UUID(CLIENT_ID), '"><b>'])
@pytest.mark.parametrize(
    "attrs", [{"data-client-id": "fresh"}, {"data-client-id": "kept", "id": "id_client_id", "hidden": True}]
)
def test_its_input_is_written_as_djangos_hidden_input_writes_it(value, attrs) -> None:
    ours = ClientIdInput(attrs={"data-client-id": ""})
    djangos = forms.HiddenInput(attrs={"data-client-id": ""})
    assert ours.render("client_id", value, attrs) == djangos.render("client_id", value, attrs)


def test_the_lean_form_carries_a_fresh_client_id(owner_client, dog) -> None:
    page = owner_client.get(create_url(dog))
    (hidden,) = select(page, "input[name=client_id]")
    assert hidden.get("type") == "hidden"
    assert hidden.get("data-client-id") == "fresh"
    assert uuid.UUID(hidden.get("value"))
