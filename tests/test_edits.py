"""An edit never silently undoes someone else's: a lean, an event or a dog changed after its form
was shown is not overwritten by that form; saved again, the person's version goes in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.saving.edits import stored_digest
from dogs.models import Dog
from journal.models import Event, Incident, Weight
from tests.helpers import a_lean, field_value, make_event, make_incident, select_one

pytestmark = pytest.mark.django_db


def _lean_case(dog: Dog) -> tuple[models.Model, str, dict[str, object], Callable[[], None], str]:
    lean = make_incident(dog, timezone.now() - dt.timedelta(hours=2), intensity=2, notes="On the sofa")
    url = reverse("journal:incident-edit", args=[dog.pk, lean.pk])
    mine = a_lean(occurred_at=timezone.localtime(lean.occurred_at).strftime("%Y-%m-%dT%H:%M"), intensity="4")

    def theirs() -> None:
        Incident.objects.filter(pk=lean.pk).update(notes="On the sofa, then the stairs")

    return lean, url, mine, theirs, "This lean was changed elsewhere"


def _event_case(dog: Dog) -> tuple[models.Model, str, dict[str, object], Callable[[], None], str]:
    event = make_event(dog, timezone.localdate() - dt.timedelta(days=10), title="Carprofen 50 mg")
    url = reverse("journal:event-edit", args=[dog.pk, event.pk])
    mine = {
        "kind": "medication",
        "title": "Carprofen 75 mg",
        "started_on": event.started_on.isoformat(),
        "ended_on": "",
        "notes": "",
    }

    def theirs() -> None:
        Event.objects.filter(pk=event.pk).update(notes="The vet halved the dose")

    return event, url, mine, theirs, "This was changed elsewhere"


def _dog_case(dog: Dog) -> tuple[models.Model, str, dict[str, object], Callable[[], None], str]:
    url = reverse("dogs:dog-edit", args=[dog.pk])
    mine = {
        "name": dog.name,
        "breed": "Labrador",
        "size": dog.size,
        "birth_date": dog.birth_date.isoformat(),
        "sex": "",
        "weight_kg": "30",
        "notes": "",
    }

    def theirs() -> None:
        Dog.objects.filter(pk=dog.pk).update(weight_kg=Decimal("32"), notes="Weighed at the vet")

    return dog, url, mine, theirs, "details were changed elsewhere"


CASES = {"lean": _lean_case, "event": _event_case, "dog": _dog_case}


@pytest.mark.parametrize("kind", CASES)
def test_a_form_shown_before_someone_elses_change_saves_nothing_and_says_why(
    owner_client: Client, dog: Dog, kind: str
) -> None:
    row, url, mine, theirs, words = CASES[kind](dog)
    seen = field_value(owner_client.get(url), "seen")
    assert seen == stored_digest(type(row).objects.get(pk=row.pk))
    theirs()
    changed = stored_digest(type(row).objects.get(pk=row.pk))

    answer = owner_client.post(url, {**mine, "seen": seen})

    assert answer.status_code == 200
    assert stored_digest(type(row).objects.get(pk=row.pk)) == changed  # their change stands
    assert words in select_one(answer, "#form-errors").text
    assert "Please fix" not in select_one(answer, "#form-errors").text  # no answer of theirs to fix
    # What the person typed is still in the form, which now stands for the row as it is.
    assert field_value(answer, "seen") == changed
    typed = "title" if kind == "event" else "breed" if kind == "dog" else None
    if typed:
        assert field_value(answer, typed) == mine[typed]

    again = owner_client.post(url, {**mine, "seen": field_value(answer, "seen")})

    assert again.status_code == 302
    assert stored_digest(type(row).objects.get(pk=row.pk)) != changed


@pytest.mark.parametrize("kind", CASES)
def test_a_form_saved_with_nothing_changed_meanwhile_goes_through(
    owner_client: Client, dog: Dog, kind: str
) -> None:
    _row, url, mine, _theirs, _words = CASES[kind](dog)
    seen = field_value(owner_client.get(url), "seen")

    assert owner_client.post(url, {**mine, "seen": seen}).status_code == 302


@pytest.mark.parametrize("kind", CASES)
def test_a_form_sent_without_what_it_saw_is_saved_as_before(
    owner_client: Client, dog: Dog, kind: str
) -> None:
    _row, url, mine, theirs, _words = CASES[kind](dog)
    theirs()

    assert owner_client.post(url, mine).status_code == 302


def test_a_stale_dog_form_notes_no_weighing_of_the_weight_it_showed(owner_client: Client, dog: Dog) -> None:
    dog.weight_kg = Decimal("30")
    dog.save()
    _row, url, mine, _theirs, _words = _dog_case(dog)
    seen = field_value(owner_client.get(url), "seen")
    # Another owner weighs the dog at 32 kg on the form; this form still shows 30.
    Dog.objects.filter(pk=dog.pk).update(weight_kg=Decimal("32"))

    owner_client.post(url, {**mine, "weight_kg": "30", "seen": seen})

    assert Dog.objects.get(pk=dog.pk).weight_kg == Decimal("32")
    assert not Weight.objects.filter(dog=dog).exists()


def test_a_new_lean_or_dog_form_carries_no_seen(owner_client: Client, dog: Dog) -> None:
    assert field_value(owner_client.get(reverse("journal:incident-create", args=[dog.pk])), "seen") is None
    assert field_value(owner_client.get(reverse("dogs:dog-create")), "seen") is None
