"""Odd bytes and odd values are refused with a message by the field, and never reach a 500."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from dogs.models import Dog, Owner
from journal.imports import csv_import
from sharing.models import VetNote
from tests.helpers import PASSWORD, make_dog, make_owner, make_share
from tests.trust.support import DOG_FIELDS, snapshot

CSV_HEADER = (
    "occurred_at,intensity,duration,posture,location,owner_activity,triggers,signs,"
    "owner_response,outcome,notes"
)


def rows() -> dict[str, list[dict]]:
    """Every row a request could change, less the tokens' last-used times that any API call moves."""
    return {name: table for name, table in snapshot().items() if name != "tokens"}


def api_client(owner: Owner) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(owner, 'odd')[1]}"})


# --- sign-up's next -------------------------------------------------------------------------


@pytest.mark.parametrize("next_url", ["-1", "NaN", "home", "dogs:home"])
def test_it_ignores_a_next_that_is_no_path_at_sign_up(client, db, next_url) -> None:
    response = client.post(
        f"{reverse('dogs:signup')}?next={next_url}",
        {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD, "time_zone": "Europe/London"},
    )

    assert response.status_code == 302
    assert response.url == reverse("dogs:home")


@pytest.mark.parametrize("next_url", ["-1", "NaN"])
def test_it_ignores_a_next_that_is_no_path_when_signed_in(owner_client, next_url) -> None:
    response = owner_client.get(f"{reverse('dogs:signup')}?next={next_url}")

    assert response.status_code == 302
    assert response.url == reverse("dogs:home")


# --- lone surrogates in the API -------------------------------------------------------------

SURROGATE_BODY = '{"occurred_at": "2026-03-01T08:15:00+00:00", "notes": "leaned \\ud800"}'


def test_it_refuses_a_lone_surrogate_in_an_api_body_naming_the_field(owner, dog) -> None:
    response = api_client(owner).post(
        f"/api/dogs/{dog.pk}/leans", SURROGATE_BODY, content_type="application/json"
    )

    assert response.status_code == 422
    assert "surrogate" in response.json()["errors"]["notes"][0]
    assert not dog.incidents.exists()


def test_it_refuses_a_lone_surrogate_in_an_api_change(owner, dog) -> None:
    from tests.helpers import make_incident

    lean = make_incident(dog)
    api = api_client(owner)
    before = rows()

    response = api.patch(
        f"/api/dogs/{dog.pk}/leans/{lean.pk}", '{"triggers": ["\\udfff"]}', content_type="application/json"
    )

    assert response.status_code == 422
    assert "surrogate" in response.json()["errors"]["triggers"][0]
    assert rows() == before


# --- sign-in with a huge username ----------------------------------------------------------


def test_it_refuses_a_huge_username_at_sign_in_with_a_message(client, owner) -> None:
    response = client.post(reverse("login"), {"username": "a" * 100_000, "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].errors


# --- NUL bytes ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["p256dh", "auth"])
def test_it_refuses_a_nul_byte_in_a_push_key(owner_client, owner, key) -> None:
    keys = {"p256dh": "BP-browser-public-key", "auth": "c2l4dGVlbiBieXRl"}
    keys[key] = keys[key] + "\x00"
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": keys}

    response = owner_client.post(
        reverse("dogs:push-subscribe"), json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 400
    assert "base64url" in response.json()["error"]
    assert not owner.push_subscriptions.exists() if hasattr(owner, "push_subscriptions") else True


def test_it_names_a_csv_row_whose_notes_hold_a_nul_byte() -> None:
    stream = io.StringIO(f"{CSV_HEADER}\r\n2026-03-01T08:15:00+00:00,,,,,,,,,,bad\x00note\r\n")

    rows = list(csv_import.read_rows(stream, dt.UTC, dt.datetime.now(dt.UTC)))

    assert len(rows) == 1
    _, reason = rows[0]
    assert isinstance(reason, str) and "control character" in reason


def test_it_refuses_a_csv_upload_whose_notes_hold_a_nul_byte(owner_client, dog) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = f"{CSV_HEADER}\r\n2026-03-01T08:15:00+00:00,,,,,,,,,,bad\x00note\r\n".encode()
    owner_client.post(
        reverse("journal:incident-import", args=[dog.pk]),
        {"file": SimpleUploadedFile("leans.csv", content, "text/csv")},
    )
    response = owner_client.post(reverse("journal:incident-import-confirm", args=[dog.pk]))

    assert response.status_code < 500
    assert not dog.incidents.exists()


# --- one-line names -------------------------------------------------------------------------

CONTROL_CHARACTERS = ["\n", "\r", "\t", "\x00", "\x1b", "\x85"]


@pytest.mark.parametrize("field", ["name", "breed"])
@pytest.mark.parametrize("character", CONTROL_CHARACTERS, ids=repr)
def test_it_refuses_a_control_character_in_a_dogs_name_or_breed(
    owner_client, owner, field, character
) -> None:
    before = snapshot()

    response = owner_client.post(reverse("dogs:dog-create"), {**DOG_FIELDS, field: f"Bis{character}cuit"})

    assert response.status_code == 200
    # Django's own check names a NUL; the one-line rule names the rest.
    assert response.context["form"].errors[field]
    assert snapshot() == before


def test_it_keeps_line_breaks_and_tabs_in_a_dogs_notes_but_not_a_nul(owner_client, owner) -> None:
    response = owner_client.post(
        reverse("dogs:dog-create"), {**DOG_FIELDS, "notes": "one\nline\r\nand\ta tab"}
    )
    assert response.status_code == 302
    assert Dog.objects.get().notes == "one\nline\r\nand\ta tab"

    response = owner_client.post(reverse("dogs:dog-create"), {**DOG_FIELDS, "notes": "nul\x00here"})
    assert response.status_code == 200
    assert response.context["form"].errors["notes"]


def test_it_refuses_a_line_break_in_a_vet_notes_author(client, dog) -> None:
    _, token = make_share(dog)

    response = client.post(
        reverse("shared-note", args=[token]), {"author": "Dr Vet\r\nBcc: x@example.com", "text": "All fine."}
    )

    assert response.status_code in (200, 400)
    assert not VetNote.objects.exists()


def test_it_refuses_a_nul_in_a_lean_note(owner_client, dog) -> None:
    from tests.helpers import a_lean

    response = owner_client.post(reverse("journal:incident-create", args=[dog.pk]), a_lean(notes="a\x00b"))

    assert response.status_code == 200
    assert response.context["form"].errors["notes"]
    assert not dog.incidents.exists()


def test_it_emails_the_reminder_of_a_dog_named_on_two_lines_before_the_rule(settings, db) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owner = make_owner("alice")
    owner.reminder_time = dt.time(19, 0)
    owner.email = "alice@example.com"
    owner.email_confirmed = True
    owner.save()
    dog = make_dog(owner, "Biscuit")
    # Written before names were kept to one line: .update() skips the validators.
    Dog.objects.filter(pk=dog.pk).update(name="Bis\r\ncuit")

    call_command("send_reminders", "--now", "2026-03-02T19:05:00+00:00", stdout=io.StringIO())

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Did Bis cuit lean on you today?"
