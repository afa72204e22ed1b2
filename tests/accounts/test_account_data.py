"""The whole account as a zip, and deleting the account with the dogs it alone owns."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

from django.urls import reverse

from dogs.models import Dog, Owner, Role
from journal.models import CheckIn, Incident
from sharing.models import VetNote
from tests.helpers import PASSWORD, add_member, field_error, make_dog, make_incident, make_share, text, utc


def download(client) -> zipfile.ZipFile:
    response = client.get(reverse("journal:account-export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_it_zips_every_dog_and_lean_with_a_readme(owner_client, owner, dog) -> None:
    other = make_dog(owner, "Pip")
    make_incident(dog, utc(2026, 3, 1, 8), notes="=1+1")
    make_incident(other, utc(2026, 3, 2, 8))

    archive = download(owner_client)

    assert sorted(archive.namelist()) == [
        "README.txt",
        "acknowledgements.csv",
        "acknowledgements.json",
        "checkins.csv",
        "checkins.json",
        "dogs.csv",
        "dogs.json",
        "leans.csv",
        "leans.json",
        "vet_notes.csv",
        "vet_notes.json",
    ]
    assert "leans.csv" in archive.read("README.txt").decode()
    assert [d["name"] for d in json.loads(archive.read("dogs.json"))] == ["Biscuit", "Pip"]
    leans = list(csv.DictReader(io.StringIO(archive.read("leans.csv").decode(), newline="")))
    assert [(row["dog_id"], row["notes"]) for row in leans] == [(str(dog.pk), "=1+1"), (str(other.pk), "")]
    assert len(json.loads(archive.read("leans.json"))) == 2


def test_it_leaves_out_other_peoples_dogs(owner_client, stranger) -> None:
    make_incident(make_dog(stranger, "Rex"))

    archive = download(owner_client)

    assert json.loads(archive.read("dogs.json")) == []
    assert json.loads(archive.read("leans.json")) == []


def test_it_says_what_goes_before_deleting(owner_client, dog) -> None:
    make_incident(dog)

    response = owner_client.get(reverse("journal:account-delete"))

    assert "Biscuit and 1 lean in Biscuit’s journal." in text(response)


def test_it_deletes_the_account_and_its_dogs(owner_client, owner, dog) -> None:
    make_incident(dog)

    response = owner_client.post(reverse("journal:account-delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert not Owner.objects.filter(pk=owner.pk).exists()
    assert not Dog.objects.exists()
    assert not Incident.objects.exists()


def test_it_deletes_nothing_for_a_wrong_password(owner_client, owner, dog) -> None:
    response = owner_client.post(reverse("journal:account-delete"), {"password": "not-it"})

    assert field_error(response, "password") == "That is not your password. Nothing was deleted."
    assert Owner.objects.filter(pk=owner.pk).exists()
    assert Dog.objects.filter(pk=dog.pk).exists()


def test_it_leaves_other_owners_alone(owner_client, stranger) -> None:
    rex = make_dog(stranger, "Rex")

    owner_client.post(reverse("journal:account-delete"), {"password": PASSWORD})

    assert Dog.objects.filter(pk=rex.pk).exists()


def test_it_keeps_a_dog_another_owner_shares(owner_client, owner, dog, stranger) -> None:
    add_member(dog, stranger, Role.OWNER)
    make_incident(dog)

    page = text(owner_client.get(reverse("journal:account-delete")))
    owner_client.post(reverse("journal:account-delete"), {"password": PASSWORD})

    assert "another owner keeps them" in page
    # The dog still remembers who added it: nobody, now that the account is gone.
    assert Dog.objects.get(pk=dog.pk).owner is None
    assert Incident.objects.filter(dog=dog).count() == 1


def test_it_leaves_a_dog_the_person_only_cares_for_out_of_the_zip(owner_client, owner, stranger) -> None:
    add_member(make_dog(stranger, "Rex"), owner, Role.CARER)

    archive = download(owner_client)

    assert json.loads(archive.read("dogs.json")) == []


def test_it_zips_the_check_ins(owner_client, owner, dog) -> None:
    CheckIn.objects.create(dog=dog, date=dt.date(2026, 3, 1), by=owner)

    archive = download(owner_client)

    assert [row["date"] for row in json.loads(archive.read("checkins.json"))] == ["2026-03-01"]
    assert "2026-03-01,alice" in archive.read("checkins.csv").decode()


def test_it_zips_the_vets_notes(owner_client, owner, dog) -> None:
    share, _ = make_share(dog)
    VetNote.objects.create(share=share, dog=dog, author="Dr Okafor", text="Hips look fine, keep logging.")

    archive = download(owner_client)

    [note] = json.loads(archive.read("vet_notes.json"))
    assert (note["dog_id"], note["author"], note["text"]) == (
        dog.pk,
        "Dr Okafor",
        "Hips look fine, keep logging.",
    )
    assert "Dr Okafor," in archive.read("vet_notes.csv").decode()
    assert "vet_notes.csv" in archive.read("README.txt").decode()


def test_it_warns_that_a_last_owners_dog_goes_from_its_carers_too(owner_client, dog, stranger) -> None:
    add_member(dog, stranger, Role.CARER)

    page = text(owner_client.get(reverse("journal:account-delete")))

    assert "the 1 other member loses it too: make one of them an owner first" in page
