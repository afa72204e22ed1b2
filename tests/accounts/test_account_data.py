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
from tests.helpers import (
    PASSWORD,
    add_member,
    field_error,
    make_dog,
    make_event,
    make_incident,
    make_share,
    make_weight,
    text,
    utc,
)


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
        "events.csv",
        "events.json",
        "leans.csv",
        "leans.json",
        "vet_notes.csv",
        "vet_notes.json",
        "weights.csv",
        "weights.json",
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


def csv_rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode(), newline="")))


def test_it_zips_each_dogs_events_oldest_first(owner_client, owner, dog) -> None:
    pip = make_dog(owner, "Pip")
    make_event(dog, dt.date(2026, 4, 2), title="Sit-stay course", kind="training", created_by=owner)
    make_event(
        dog,
        dt.date(2026, 3, 1),
        title="Carprofen 50 mg",
        ended_on=dt.date(2026, 3, 28),
        notes="=with food",
        created_by=owner,
    )
    make_event(pip, dt.date(2026, 3, 5), title="New food", kind="diet")

    archive = download(owner_client)

    rows = csv_rows(archive, "events.csv")
    assert list(rows[0]) == [
        "dog_id",
        "id",
        "kind",
        "title",
        "started_on",
        "ended_on",
        "notes",
        "added_by",
        "created_at",
    ]
    assert [
        (r["dog_id"], r["kind"], r["title"], r["started_on"], r["ended_on"], r["notes"], r["added_by"])
        for r in rows
    ] == [
        (str(dog.pk), "medication", "Carprofen 50 mg", "2026-03-01", "2026-03-28", "=with food", "alice"),
        (str(dog.pk), "training", "Sit-stay course", "2026-04-02", "", "", "alice"),
        (str(pip.pk), "diet", "New food", "2026-03-05", "", "", "a former member"),
    ]
    as_json = json.loads(archive.read("events.json"))
    assert [(e["dog_id"], e["title"], e["ended_on"]) for e in as_json] == [
        (dog.pk, "Carprofen 50 mg", "2026-03-28"),
        (dog.pk, "Sit-stay course", None),
        (pip.pk, "New food", None),
    ]


def test_it_zips_each_dogs_weighings(owner_client, owner, dog) -> None:
    make_weight(dog, dt.date(2026, 4, 1), "30.25", created_by=owner)
    make_weight(dog, dt.date(2026, 3, 1), "31.50", created_by=owner)

    archive = download(owner_client)

    assert [(r["measured_on"], r["weight_kg"], r["added_by"]) for r in csv_rows(archive, "weights.csv")] == [
        ("2026-03-01", "31.5", "alice"),
        ("2026-04-01", "30.25", "alice"),
    ]
    assert [
        (w["dog_id"], w["measured_on"], w["weight_kg"]) for w in json.loads(archive.read("weights.json"))
    ] == [
        (dog.pk, "2026-03-01", 31.5),
        (dog.pk, "2026-04-01", 30.25),
    ]
    assert "weights.csv" in archive.read("README.txt").decode()


def test_it_leaves_other_peoples_events_and_weighings_out_of_the_zip(owner_client, owner, stranger) -> None:
    rex = make_dog(stranger, "Rex")
    make_event(rex, dt.date(2026, 3, 1), title="Their pills")
    make_weight(rex, dt.date(2026, 3, 1), "40")
    add_member(make_dog(stranger, "Cared-for"), owner, Role.CARER)

    archive = download(owner_client)

    assert json.loads(archive.read("events.json")) == []
    assert json.loads(archive.read("weights.json")) == []
