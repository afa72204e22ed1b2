"""Every write to a journal or its dog moves Dog.journal_changed_at, the cached report's key."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.test import Client
from django.urls import reverse

from dogs.models import Dog, Owner
from journal.models import Incident
from tests.conftest import PASSWORD, make_dog, make_incident
from tests.journal.test_incident_views import a_lean

# A mark far in the past: any write after it moves the mark to now.
LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
MARCH_1 = dt.datetime(2026, 3, 1, 8, 15, tzinfo=dt.UTC)
DOG_FORM = {"name": "Biscuit", "breed": "", "size": "giant", "birth_date": "2021-03-14", "notes": ""}


def set_long_ago(*dogs: Dog) -> None:
    Dog.objects.filter(pk__in=[dog.pk for dog in dogs]).update(journal_changed_at=LONG_AGO)


def mark(dog: Dog) -> dt.datetime:
    return Dog.objects.values_list("journal_changed_at", flat=True).get(pk=dog.pk)


def admin_lean(dog: Dog, **overrides) -> dict[str, object]:
    """The admin's change form for a lean, filled in."""
    data: dict[str, object] = {
        "dog": dog.pk,
        "occurred_at_0": "2026-03-01",
        "occurred_at_1": "08:15:00",
        "intensity": "4",
        "duration": "short",
        "posture": "backside",
        "location": "home",
        "owner_activity": "",
        "owner_response": "",
        "outcome": "",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def incident(dog: Dog) -> Incident:
    lean = make_incident(dog, MARCH_1, intensity=2)
    set_long_ago(dog)
    return lean


@pytest.fixture
def admin_client(db) -> Client:
    staff = Owner.objects.create_superuser(username="staff", password=PASSWORD, email="staff@example.com")
    client = Client()
    client.force_login(staff)
    return client


def test_it_marks_a_new_dog_as_changed_when_it_is_added(dog: Dog) -> None:
    assert mark(dog) > LONG_AGO


def test_it_touches_only_the_dogs_asked_for(owner) -> None:
    biscuit, rex = make_dog(owner, "Biscuit"), make_dog(owner, "Rex")
    set_long_ago(biscuit, rex)
    Dog.objects.filter(pk=biscuit.pk).touch_journal()
    assert (mark(biscuit) > LONG_AGO, mark(rex)) == (True, LONG_AGO)


# The owner's own pages


def test_it_marks_the_dog_when_a_lean_is_logged(owner_client: Client, dog: Dog) -> None:
    set_long_ago(dog)
    response = owner_client.post(reverse("journal:incident-create", args=[dog.pk]), a_lean())
    assert response.status_code == 302 and mark(dog) > LONG_AGO


def test_it_leaves_the_mark_alone_when_a_lean_is_refused(owner_client: Client, dog: Dog) -> None:
    set_long_ago(dog)
    response = owner_client.post(reverse("journal:incident-create", args=[dog.pk]), a_lean(intensity="9"))
    assert response.status_code == 200 and mark(dog) == LONG_AGO


def test_it_marks_the_dog_when_a_lean_is_edited(owner_client: Client, dog: Dog, incident: Incident) -> None:
    url = reverse("journal:incident-edit", args=[dog.pk, incident.pk])
    response = owner_client.post(url, a_lean(intensity="5"))
    assert response.status_code == 302 and mark(dog) > LONG_AGO


def test_it_marks_the_dog_when_a_lean_is_deleted(owner_client: Client, dog: Dog, incident: Incident) -> None:
    response = owner_client.post(reverse("journal:incident-delete", args=[dog.pk, incident.pk]))
    assert response.status_code == 302 and mark(dog) > LONG_AGO


def test_it_leaves_the_mark_alone_when_a_stranger_posts_a_delete(
    stranger_client: Client, dog: Dog, incident: Incident
) -> None:
    response = stranger_client.post(reverse("journal:incident-delete", args=[dog.pk, incident.pk]))
    assert response.status_code == 404 and mark(dog) == LONG_AGO


def test_it_marks_the_dog_when_its_details_are_edited(owner_client: Client, dog: Dog) -> None:
    set_long_ago(dog)
    response = owner_client.post(reverse("dogs:dog-edit", args=[dog.pk]), DOG_FORM)
    assert response.status_code == 302 and mark(dog) > LONG_AGO


# The admin


def test_it_marks_the_dog_when_staff_change_a_lean(
    admin_client: Client, dog: Dog, incident: Incident
) -> None:
    url = reverse("admin:journal_incident_change", args=[incident.pk])
    response = admin_client.post(url, admin_lean(dog))
    assert response.status_code == 302 and mark(dog) > LONG_AGO


def test_it_marks_both_dogs_when_staff_move_a_lean(
    admin_client: Client, owner, dog: Dog, incident: Incident
) -> None:
    rex = make_dog(owner, "Rex")
    set_long_ago(rex)
    url = reverse("admin:journal_incident_change", args=[incident.pk])
    admin_client.post(url, admin_lean(rex))
    assert (Incident.objects.get().dog_id, mark(dog) > LONG_AGO, mark(rex) > LONG_AGO) == (rex.pk, True, True)


def test_it_marks_the_dog_when_staff_add_a_lean(admin_client: Client, dog: Dog) -> None:
    set_long_ago(dog)
    response = admin_client.post(reverse("admin:journal_incident_add"), admin_lean(dog))
    assert response.status_code == 302 and mark(dog) > LONG_AGO


def test_it_marks_the_dog_when_staff_delete_a_lean(
    admin_client: Client, dog: Dog, incident: Incident
) -> None:
    url = reverse("admin:journal_incident_delete", args=[incident.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302 and mark(dog) > LONG_AGO


def test_it_marks_the_dogs_when_staff_delete_leans_in_bulk(
    admin_client: Client, dog: Dog, incident: Incident
) -> None:
    data = {"action": "delete_selected", "_selected_action": [incident.pk], "post": "yes"}
    response = admin_client.post(reverse("admin:journal_incident_changelist"), data)
    assert (response.status_code, Incident.objects.count(), mark(dog) > LONG_AGO) == (302, 0, True)


def test_it_marks_the_dog_when_staff_edit_it(admin_client: Client, owner, dog: Dog) -> None:
    set_long_ago(dog)
    data = {**DOG_FORM, "owner": owner.pk, "sex": "", "weight_kg": ""}
    response = admin_client.post(reverse("admin:dogs_dog_change", args=[dog.pk]), data)
    assert response.status_code == 302 and mark(dog) > LONG_AGO


# The demo data


def test_it_marks_the_demo_dogs_after_their_leans(db) -> None:
    call_command("load_demo", stdout=StringIO())
    dogs = Dog.objects.annotate(last_lean_saved=Max("incidents__created_at"))
    assert [dog.journal_changed_at >= dog.last_lean_saved for dog in dogs] == [True, True, True]
