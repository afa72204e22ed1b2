"""Whoever leaves a household, however they leave, the household keeps every row they made."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog, Invitation, Membership, Owner, Role
from journal.models import CheckIn, Event, FlagAcknowledgement, Incident, Weight
from sharing.models import ShareLink, VetNote
from tests.helpers import (
    PASSWORD,
    add_member,
    make_dog,
    make_event,
    make_incident,
    make_invitation,
    make_owner,
    make_share,
    make_weight,
    text,
)

FORMER = "a former member"


def signed_in(person: Owner) -> Client:
    client = Client()
    client.force_login(person)
    return client


@dataclass
class Household:
    """Dana added Biscuit and made one row of every kind; Erin, an owner too, stays."""

    dana: Owner
    erin: Owner
    dog: Dog
    lean: Incident
    erins_lean: Incident
    checkin: CheckIn
    acknowledgement: FlagAcknowledgement
    share: ShareLink
    note: VetNote
    invitation: Invitation
    event: Event
    weight: Weight


@pytest.fixture
def household(db) -> Household:
    dana, erin = make_owner("dana"), make_owner("erin")
    dog = make_dog(dana)
    # Erin joined by Dana's link, which is how a second owner arrives.
    invitation, _ = make_invitation(dog, Role.OWNER, invited_by=dana)
    add_member(dog, erin, Role.OWNER)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now(), accepted_by=erin)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    share, _ = make_share(dog, created_by=dana)
    return Household(
        dana=dana,
        erin=erin,
        dog=dog,
        lean=make_incident(dog, an_hour_ago, logged_by=dana, notes="Dana's lean"),
        erins_lean=make_incident(dog, an_hour_ago, logged_by=erin, notes="Erin's lean"),
        checkin=CheckIn.objects.create(dog=dog, date=dt.date(2026, 3, 1), by=dana),
        acknowledgement=FlagAcknowledgement.objects.create(
            dog=dog, code="sudden_change", note="Seen by the vet", on=dt.date(2026, 3, 2), by=dana
        ),
        share=share,
        note=VetNote.objects.create(share=share, dog=dog, author="Dr Okafor", text="Hips look fine."),
        invitation=invitation,
        event=make_event(dog, dt.date(2026, 3, 3), title="Dana's carprofen", created_by=dana),
        weight=make_weight(dog, dt.date(2026, 3, 3), "30.5", created_by=dana),
    )


def _membership(h: Household) -> Membership:
    return Membership.objects.get(dog=h.dog, person=h.dana)


def leave(h: Household) -> None:
    response = signed_in(h.dana).post(reverse("dogs:people-remove", args=[h.dog.pk, _membership(h).pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(dog=h.dog, person=h.dana).exists()


def removed(h: Household) -> None:
    response = signed_in(h.erin).post(reverse("dogs:people-remove", args=[h.dog.pk, _membership(h).pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(dog=h.dog, person=h.dana).exists()


def demoted(h: Household) -> None:
    url = reverse("dogs:people-role", args=[h.dog.pk, _membership(h).pk])
    response = signed_in(h.erin).post(url, {"role": Role.VIEWER})
    assert response.status_code == 302
    assert _membership(h).role == Role.VIEWER


def account_deleted(h: Household) -> None:
    response = signed_in(h.dana).post(reverse("journal:account-delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not Owner.objects.filter(pk=h.dana.pk).exists()


def removed_then_account_deleted(h: Household) -> None:
    removed(h)
    account_deleted(h)


def left_then_account_deleted(h: Household) -> None:
    leave(h)
    account_deleted(h)


WAYS = [leave, removed, demoted, account_deleted, removed_then_account_deleted, left_then_account_deleted]


def _name(way) -> str:
    """How Dana is named once she has gone that way: by name while her account exists."""
    return FORMER if way.__name__.endswith("account_deleted") else "dana"


def _export(h: Household) -> zipfile.ZipFile:
    response = signed_in(h.erin).get(reverse("journal:account-export"))
    return zipfile.ZipFile(io.BytesIO(response.content))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


def lean(h: Household, name: str) -> None:
    assert Incident.objects.filter(pk=h.lean.pk).exists()
    page = text(signed_in(h.erin).get(reverse("journal:incident-list", args=[h.dog.pk])))
    assert f"Logged by {name} Dana's lean" in page
    export = signed_in(h.erin).get(reverse("journal:incident-export", args=[h.dog.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert {row["notes"]: row["logged_by"] for row in rows}["Dana's lean"] == name


def someone_elses_lean(h: Household, name: str) -> None:
    assert Incident.objects.get(pk=h.erins_lean.pk).logged_by == h.erin
    assert "Logged by erin Erin's lean" in text(
        signed_in(h.erin).get(reverse("journal:incident-list", args=[h.dog.pk]))
    )


def checkin(h: Household, name: str) -> None:
    assert CheckIn.objects.filter(pk=h.checkin.pk).exists()
    [row] = _csv(_export(h), "checkins.csv")
    assert (row["date"], row["by"]) == ("2026-03-01", name)


def acknowledgement(h: Household, name: str) -> None:
    assert FlagAcknowledgement.objects.filter(pk=h.acknowledgement.pk).exists()
    [row] = _csv(_export(h), "acknowledgements.csv")
    assert (row["note"], row["by"]) == ("Seen by the vet", name)


def share_link(h: Household, name: str) -> None:
    assert ShareLink.objects.filter(pk=h.share.pk).exists()
    page = text(signed_in(h.erin).get(reverse("sharing:share-list", args=[h.dog.pk])))
    assert f"Made by {name}" in page


def vet_note(h: Household, name: str) -> None:
    assert VetNote.objects.filter(pk=h.note.pk).exists()
    assert "Hips look fine." in text(signed_in(h.erin).get(reverse("dogs:dog-detail", args=[h.dog.pk])))


def invitation(h: Household, name: str) -> None:
    kept = Invitation.objects.get(pk=h.invitation.pk)
    assert (kept.accepted_by, kept.invited_by_id) == (h.erin, h.dana.pk if name == "dana" else None)


def dog(h: Household, name: str) -> None:
    kept = Dog.objects.get(pk=h.dog.pk)
    assert kept.owner_id == (h.dana.pk if name == "dana" else None)
    assert Membership.objects.get(dog=kept, person=h.erin).role == Role.OWNER
    assert signed_in(h.erin).get(reverse("dogs:dog-detail", args=[kept.pk])).status_code == 200


def event(h: Household, name: str) -> None:
    assert Event.objects.filter(pk=h.event.pk).exists()
    export = signed_in(h.erin).get(reverse("journal:event-export", args=[h.dog.pk]))
    [row] = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert (row["title"], row["added_by"]) == ("Dana's carprofen", name)
    [row] = _csv(_export(h), "events.csv")
    assert (row["title"], row["added_by"]) == ("Dana's carprofen", name)


def weight(h: Household, name: str) -> None:
    assert Weight.objects.filter(pk=h.weight.pk).exists()
    [row] = _csv(_export(h), "weights.csv")
    assert (row["weight_kg"], row["added_by"]) == ("30.5", name)


KINDS = [
    lean,
    someone_elses_lean,
    checkin,
    acknowledgement,
    share_link,
    vet_note,
    invitation,
    dog,
    event,
    weight,
]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("way", WAYS, ids=lambda way: way.__name__)
def test_it_keeps_every_row_a_person_made_however_they_leave(household, way, kind) -> None:
    way(household)

    kind(household, _name(way))
