"""An edit never silently undoes someone else's: a lean, an event or a dog changed after its form
was shown is not overwritten by that form; saved again, the person's version goes in."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django import forms
from django.db import connection, connections, models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from config.saving.edits import stored_digest
from dogs.models import Dog, Owner
from journal.models import Event, Incident, Weight
from journal.views import leans as leans_views
from tests.helpers import a_lean, field_value, make_event, make_incident, select, select_one

pytestmark = pytest.mark.django_db
# Long enough for the other of two saves sent at once to reach the same point, unless held back.
MEETING_SECONDS = 2


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


ONE_WRITER_AT_A_TIME = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database cannot hold two writers at once; its IMMEDIATE "
    "transactions let one writer in at a time on a real file",
)


def saves_meet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each form's save waits, after its checks and before writing, for another save to come:
    without a lock, two saves sent at once both pass the checks on the row as it was."""
    meeting = threading.Barrier(2)
    save = forms.ModelForm.save

    def save_together(form: forms.ModelForm, *args, **kwargs):
        # When the other save is held back (or done), the wait times out: go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(timeout=MEETING_SECONDS)
        return save(form, *args, **kwargs)

    monkeypatch.setattr(forms.ModelForm, "save", save_together)


def at_once(*sends: Callable[[], HttpResponse]) -> list[HttpResponse]:
    """The answers to requests sent together, each on a thread and a connection of its own."""
    replies = []

    def send(one: Callable[[], HttpResponse]) -> None:
        try:
            replies.append(one())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(one,)) for one in sends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return replies


@ONE_WRITER_AT_A_TIME
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", CASES)
def test_of_two_saves_sent_at_once_from_one_form_the_second_is_refused(
    owner: Owner, dog: Dog, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    row, url, mine, _theirs, words = CASES[kind](dog)
    first = Client()
    first.force_login(owner)
    seen = field_value(first.get(url), "seen")
    # The same form in two tabs, both saved at the same moment.
    second = Client()
    second.cookies = first.cookies
    saves_meet(monkeypatch)

    replies = at_once(
        lambda: first.post(url, {**mine, "notes": "From one tab", "seen": seen}),
        lambda: second.post(url, {**mine, "notes": "From another", "seen": seen}),
    )

    assert sorted(reply.status_code for reply in replies) == [200, 302]
    refused = next(reply for reply in replies if reply.status_code == 200)
    assert words in select_one(refused, "#form-errors").text
    # What is stored is the save that went through, not the refused one.
    refused_notes = select_one(refused, 'textarea[name="notes"]').text.strip()
    assert {refused_notes, type(row).objects.get(pk=row.pk).notes} == {"From one tab", "From another"}


@ONE_WRITER_AT_A_TIME
@pytest.mark.django_db(transaction=True)
def test_two_api_changes_of_one_lean_sent_at_once_keep_each_others_fields(
    owner: Owner, dog: Dog, monkeypatch: pytest.MonkeyPatch
) -> None:
    lean = make_incident(dog, timezone.now() - dt.timedelta(hours=2), intensity=2, notes="On the sofa")
    url = f"/api/dogs/{dog.pk}/leans/{lean.pk}"
    api = Client(headers={"Authorization": f"Bearer {ApiToken.issue(owner, 'script')[1]}"})
    saves_meet(monkeypatch)

    # Neither names a version: each changes its own field and leaves the other as stored.
    replies = at_once(
        lambda: api.patch(url, {"notes": "On the stairs"}, "application/json"),
        lambda: api.patch(url, {"intensity": 4}, "application/json"),
    )

    assert [reply.status_code for reply in replies] == [200, 200]
    lean.refresh_from_db()
    assert (lean.notes, lean.intensity) == ("On the stairs", 4)


@pytest.mark.parametrize(
    ("kind", "differs"),
    [
        ("lean", ["Intensity: how strong?", "Notes"]),
        ("event", ["What it is", "Notes"]),
        ("dog", ["Breed", "Weight in kg", "Notes"]),
    ],
)
def test_a_refused_form_names_where_the_persons_version_differs_from_the_row_now(
    owner_client: Client, dog: Dog, kind: str, differs: list[str]
) -> None:
    _row, url, mine, theirs, _words = CASES[kind](dog)
    seen = field_value(owner_client.get(url), "seen")
    theirs()

    answer = owner_client.post(url, {**mine, "seen": seen})

    assert "Your version differs from the one stored now in:" in select_one(answer, "#form-errors").text
    assert [item.text.strip() for item in select(answer, "#saving-again-changes li")] == differs


def test_a_lean_deleted_while_its_save_was_on_its_way_is_not_made_again(
    owner_client: Client, dog: Dog, monkeypatch: pytest.MonkeyPatch
) -> None:
    row, url, mine, _theirs, _words = CASES["lean"](dog)
    seen = field_value(owner_client.get(url), "seen")
    read = leans_views.get_lean_for

    def read_then_deleted_elsewhere(*args, **kwargs):
        # The view has the lean in hand; another member deletes it before the save.
        lean = read(*args, **kwargs)
        Incident.objects.filter(pk=lean.pk).delete()
        return lean

    monkeypatch.setattr(leans_views, "get_lean_for", read_then_deleted_elsewhere)

    answer = owner_client.post(url, {**mine, "seen": seen})

    assert answer.status_code == 404
    assert not Incident.objects.filter(pk=row.pk).exists()
