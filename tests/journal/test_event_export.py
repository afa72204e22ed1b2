"""The timeline's CSV: every event of the dog, in the events page's field names, linked from its page."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.test import Client
from django.urls import reverse

from dogs.models import Dog, Owner, Role
from tests.helpers import add_member, make_event, select_one

HEADER = ["id", "kind", "title", "started_on", "ended_on", "notes", "added_by", "created_at"]


def export_url(dog: Dog) -> str:
    return reverse("journal:event-export", args=[dog.pk])


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))


def signed_in(person: Owner) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_it_downloads_the_events_oldest_first_in_the_forms_field_names(
    owner_client: Client, owner: Owner, dog: Dog
) -> None:
    later = make_event(dog, dt.date(2026, 4, 2), title="Sit-stay course", kind="training", created_by=owner)
    earlier = make_event(
        dog,
        dt.date(2026, 3, 1),
        title="Carprofen 50 mg",
        ended_on=dt.date(2026, 3, 28),
        notes="twice a day,\nwith food",
        created_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
    )

    response = owner_client.get(export_url(dog))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().splitlines()[0].split(",") == HEADER
    earlier_row, later_row = rows(response)
    assert list(earlier_row.values()) == [
        str(earlier.pk),
        "medication",
        "Carprofen 50 mg",
        "2026-03-01",
        "2026-03-28",
        "twice a day,\nwith food",
        "a former member",
        "2026-03-01T23:30:00+00:00",
    ]
    assert list(later_row.values())[:-1] == [
        str(later.pk),
        "training",
        "Sit-stay course",
        "2026-04-02",
        "",
        "",
        "alice",
    ]


def test_it_names_the_file_after_the_dog(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(export_url(dog))

    assert response["Content-Disposition"].startswith('attachment; filename="biscuit-events-')


def test_it_writes_the_times_in_the_owners_zone(dog: Dog, stranger: Owner) -> None:
    # The stranger's zone is New York: 23:30 UTC is 18:30 there, on the same day.
    add_member(dog, stranger, Role.VIEWER)
    make_event(dog, dt.date(2026, 3, 1), created_at=dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))

    (row,) = rows(signed_in(stranger).get(export_url(dog)))

    assert row["created_at"] == "2026-03-01T18:30:00-05:00"


def test_it_leaves_a_formula_in_a_title_or_notes_as_typed(owner_client: Client, dog: Dog) -> None:
    # As the journal's CSV: the file is Leanlog's data; a spreadsheet opens it through its text import.
    make_event(dog, dt.date(2026, 3, 1), title="=HYPERLINK(1)", notes="+1 -1 @vet")

    (row,) = rows(owner_client.get(export_url(dog)))

    assert (row["title"], row["notes"]) == ("=HYPERLINK(1)", "+1 -1 @vet")


def test_it_writes_only_the_header_for_an_empty_timeline(owner_client: Client, dog: Dog) -> None:
    response = owner_client.get(export_url(dog))

    assert response.content.decode() == ",".join(HEADER) + "\r\n"


def test_it_answers_404_to_a_stranger(stranger_client: Client, dog: Dog) -> None:
    make_event(dog, dt.date(2026, 3, 1))

    assert stranger_client.get(export_url(dog)).status_code == 404
    assert stranger_client.post(export_url(dog)).status_code == 404


def test_it_lets_a_viewer_download(dog: Dog, stranger: Owner) -> None:
    add_member(dog, stranger, Role.VIEWER)
    make_event(dog, dt.date(2026, 3, 1), title="Carprofen")

    response = signed_in(stranger).get(export_url(dog))

    assert [row["title"] for row in rows(response)] == ["Carprofen"]


def test_it_answers_405_to_a_post(owner_client: Client, dog: Dog) -> None:
    assert owner_client.post(export_url(dog)).status_code == 405


def test_it_links_the_download_from_the_timeline(owner_client: Client, dog: Dog) -> None:
    make_event(dog, dt.date(2026, 3, 1))

    link = select_one(owner_client.get(reverse("journal:event-list", args=[dog.pk])), "a#event-export")

    assert link is not None
    assert link.get("href") == export_url(dog)
    assert link.text.strip() == "Download CSV of Biscuit’s timeline"


def test_it_offers_no_download_for_an_empty_timeline(owner_client: Client, dog: Dog) -> None:
    page = owner_client.get(reverse("journal:event-list", args=[dog.pk]))

    assert select_one(page, "a#event-export") is None
