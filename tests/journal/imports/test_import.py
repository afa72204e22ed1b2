"""CSV import: a preview that stores nothing, then every row or none; the same file twice adds nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dogs.models import Role
from journal.imports import csv_import
from journal.models import Incident, PendingImport
from tests.helpers import add_member, make_dog, make_incident, parse, text, utc

HEADER = (
    "id,occurred_at,intensity,duration,posture,location,owner_activity,triggers,signs,owner_response,"
    "outcome,notes"
)
GOOD = (
    HEADER
    + "\r\n"
    + "7,2026-03-01T08:15:00+00:00,3,short,backside,home,relaxing,thunder_fireworks,panting;trembling,"
    + 'petted,settled,"=SUM(A1), said ""she"""\r\n'
    + "8,2026-03-02 09:30,5,long,shoulder,dog_park,,,,,,\r\n"
)


def upload(client, dog, content: str | bytes, name: str = "leans.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("journal:incident-import", args=[dog.pk]),
        {"file": SimpleUploadedFile(name, data, "text/csv")},
    )


def confirm_fields(preview) -> dict[str, str]:
    """The hidden fields of the preview's confirm form, as the browser would post them."""
    return {
        field["name"]: field.get("value") or ""
        for field in parse(preview).inputs
        if field.get("type") == "hidden" and field.get("name") != "csrfmiddlewaretoken"
    }


def confirm(client, dog, preview, **kwargs):
    return client.post(
        reverse("journal:incident-import-confirm", args=[dog.pk]), confirm_fields(preview), **kwargs
    )


def test_it_shows_the_upload_form(owner_client, dog) -> None:
    response = owner_client.get(reverse("journal:incident-import", args=[dog.pk]))

    assert response.status_code == 200
    assert "Import leans into Biscuit’s journal" in text(response)


def test_it_previews_without_storing(owner_client, dog) -> None:
    response = upload(owner_client, dog, GOOD)

    assert response.status_code == 200
    assert "2 new leans to add" in text(response)
    assert "0 leans already in the journal" in text(response)
    assert Incident.objects.count() == 0


def test_it_adds_every_row_on_confirm(owner_client, dog) -> None:
    preview = upload(owner_client, dog, GOOD)

    response = confirm(owner_client, dog, preview)

    assert response.status_code == 302
    assert response.url == reverse("journal:incident-list", args=[dog.pk])
    first, second = Incident.objects.filter(dog=dog).order_by("occurred_at")
    assert first.occurred_at == utc(2026, 3, 1, 8, 15)
    assert first.signs == ["panting", "trembling"]
    assert first.notes == '=SUM(A1), said "she"'
    assert first.logged_by == dog.owner
    assert (second.intensity, second.duration, second.posture, second.location) == (
        5,
        "long",
        "shoulder",
        "dog_park",
    )


def test_it_reads_a_time_without_offset_in_the_owners_zone(owner_client, dog) -> None:
    # Alice lives in London: 2 June 09:30 there is 08:30 UTC (summer time).
    preview = upload(owner_client, dog, HEADER + "\n,2025-06-02T09:30,3,short,backside,home,,,,,,\n")
    confirm(owner_client, dog, preview)

    assert Incident.objects.get().occurred_at == utc(2025, 6, 2, 8, 30)


def test_it_adds_nothing_when_the_same_file_comes_twice(owner_client, dog) -> None:
    confirm(owner_client, dog, upload(owner_client, dog, GOOD))

    response = upload(owner_client, dog, GOOD)

    assert "0 new leans to add" in text(response)
    assert "2 leans already in the journal" in text(response)
    assert confirm(owner_client, dog, response).status_code == 302
    assert Incident.objects.count() == 2


def test_it_keeps_two_identical_leans_as_two(owner_client, dog) -> None:
    row = "1,2026-03-01T08:15:00+00:00,3,short,backside,home,,,,,,\n"
    make_incident(
        dog, utc(2026, 3, 1, 8, 15), intensity=3, duration="short", posture="backside", location="home"
    )

    response = upload(owner_client, dog, HEADER + "\n" + row + row)

    assert "1 new lean to add" in text(response)
    assert "1 lean already in the journal" in text(response)


def test_it_names_every_bad_row_and_stores_nothing(owner_client, dog) -> None:
    bad = (
        HEADER
        + "\n1,yesterday,3,short,backside,home,,,,,,\n"
        + "2,2026-03-01T08:15:00+00:00,9,short,backside,moon,,,,,,\n"
        + '3,2026-03-01T08:15:00+00:00,3,short,backside,home,,,"sparkly;trembling",,,"two\nlines"\n'
        + "4,2026-03-01T08:15:00+00:00,3,short,backside,home,,,,,,\n"
        + "5,2026-03-01T08:15:00+00:00,3\n"
    )

    response = upload(owner_client, dog, bad)
    page = text(response)

    # Lines as a text editor counts them: the header is line 1; row 3's note spans lines 4 and 5.
    assert "Nothing was saved" in page
    assert "2 “yesterday” is not a time Leanlog can read" in page
    assert (
        "3 Intensity “9” is not on the scale of 1 to 5. Location “moon” is not a place Leanlog knows." in page
    )
    assert "4 Signs: “sparkly” is not a sign Leanlog knows." in page
    assert "7 It has 3 cells; the header has 12." in page
    assert "Add 1 lean" not in page
    assert confirm(owner_client, dog, response).status_code == 302
    assert Incident.objects.count() == 0


def test_it_refuses_a_file_with_the_wrong_header(owner_client, dog) -> None:
    response = upload(owner_client, dog, "date,what\n2026-03-01,lean\n")

    assert "it has no occurred_at, intensity" in text(response)
    assert "Leanlog does not know the columns date, what" in text(response)


def test_it_refuses_a_file_over_five_megabytes(owner_client, dog) -> None:
    response = upload(owner_client, dog, HEADER + "\n" + "x" * (5 * 1024 * 1024))

    assert "the most Leanlog imports at once is 5 MB" in text(response)


def test_it_refuses_more_than_fifty_thousand_rows(owner_client, dog, monkeypatch) -> None:
    monkeypatch.setattr(csv_import, "MAX_ROWS", 2)

    response = upload(owner_client, dog, GOOD + "9,2026-03-03T09:30:00+00:00,3,short,backside,home,,,,,,\n")

    assert "The file has more than 2 leans" in text(response)


def test_it_refuses_a_file_that_is_not_utf8(owner_client, dog) -> None:
    response = upload(
        owner_client,
        dog,
        (HEADER + "\n1,2026-03-01T08:15:00+00:00,3,short,backside,home,,,,,,caf\xe9\n").encode("latin-1"),
    )

    assert "The file is not UTF-8 text" in text(response)


def test_it_accepts_a_byte_order_mark(owner_client, dog) -> None:
    response = upload(owner_client, dog, "\ufeff" + GOOD)

    assert "2 new leans to add" in text(response)


def test_it_keeps_the_upload_for_its_owner_only(owner_client, stranger_client, dog, stranger) -> None:
    preview = upload(owner_client, dog, GOOD)
    strangers_dog = make_dog(stranger, "Rex")

    # The stranger holds the token (seen over a shoulder) and confirms it for their own dog.
    response = confirm(stranger_client, strangers_dog, preview, follow=True)

    assert "That upload is no longer waiting" in text(response)
    assert Incident.objects.count() == 0


def test_it_keeps_the_upload_from_another_member_of_the_household(
    owner_client, client, dog, stranger
) -> None:
    preview = upload(owner_client, dog, GOOD)
    add_member(dog, stranger, Role.CARER)
    client.force_login(stranger)

    response = confirm(client, dog, preview, follow=True)

    assert "That upload is no longer waiting" in text(response)
    assert Incident.objects.count() == 0


def test_it_keeps_the_upload_to_the_dog_it_was_previewed_for(owner_client, dog) -> None:
    preview = upload(owner_client, dog, GOOD)
    other = make_dog(dog.owner, "Pickle")

    response = confirm(owner_client, other, preview, follow=True)

    assert "That upload is no longer waiting" in text(response)
    assert Incident.objects.count() == 0


def test_it_asks_again_when_nothing_is_waiting(owner_client, dog) -> None:
    response = owner_client.post(reverse("journal:incident-import-confirm", args=[dog.pk]), follow=True)

    assert "That upload is no longer waiting" in text(response)


def test_it_asks_again_for_an_upload_older_than_an_hour(owner_client, dog) -> None:
    preview = upload(owner_client, dog, GOOD)
    PendingImport.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61))

    response = confirm(owner_client, dog, preview, follow=True)

    assert response.redirect_chain[-1][0] == reverse("journal:incident-import", args=[dog.pk])
    assert "That upload is no longer waiting" in text(response)
    assert Incident.objects.count() == 0


def test_it_sweeps_away_uploads_older_than_an_hour_on_the_next_upload(owner_client, dog) -> None:
    upload(owner_client, dog, GOOD)
    PendingImport.objects.update(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61))

    upload(owner_client, dog, GOOD)

    assert PendingImport.objects.count() == 1
    assert PendingImport.objects.get().created_at > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)


def test_it_keeps_one_waiting_upload_a_person(owner_client, dog) -> None:
    first = upload(owner_client, dog, GOOD)
    upload(owner_client, make_dog(dog.owner, "Pickle"), GOOD)

    # The newer upload replaces the older one, as a new preview did before; the old preview's
    # confirm asks for the file again rather than failing.
    assert PendingImport.objects.count() == 1
    assert "That upload is no longer waiting" in text(confirm(owner_client, dog, first, follow=True))
    assert Incident.objects.count() == 0


def test_it_empties_the_upload_after_confirm(owner_client, dog) -> None:
    confirm(owner_client, dog, upload(owner_client, dog, GOOD))

    pending = PendingImport.objects.get()
    assert bytes(pending.content) == b""
    assert pending.added == 2


def test_it_confirms_an_upload_previewed_on_another_server(
    owner_client, dog, settings, monkeypatch, tmp_path
) -> None:
    # Behind a load balancer the confirm may land on another app server, with its own disk and
    # its own memory: nothing the preview's server kept locally may be needed. (Uploads used to
    # wait in LEANLOG_IMPORT_DIR on the server's disk; the setting is gone, the test keeps it.)
    for server in ("first", "second"):
        (tmp_path / server).mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "first"))
    settings.LEANLOG_IMPORT_DIR = str(tmp_path / "first")
    preview = upload(owner_client, dog, GOOD)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "second"))
    settings.LEANLOG_IMPORT_DIR = str(tmp_path / "second")
    cache.clear()

    response = confirm(owner_client, dog, preview)

    assert response.status_code == 302
    assert response.url == reverse("journal:incident-list", args=[dog.pk])
    assert Incident.objects.filter(dog=dog).count() == 2


def test_it_answers_a_second_confirm_as_the_first(owner_client, dog) -> None:
    preview = upload(owner_client, dog, GOOD)
    confirm(owner_client, dog, preview)

    response = confirm(owner_client, dog, preview, follow=True)

    assert response.redirect_chain[-1][0] == reverse("journal:incident-list", args=[dog.pk])
    assert "This file was already imported: it added 2 leans to Biscuit’s journal." in text(response)
    assert Incident.objects.count() == 2


def test_it_deletes_a_waiting_upload_with_its_dog(owner_client, dog) -> None:
    upload(owner_client, dog, GOOD)

    dog.delete()

    assert not PendingImport.objects.exists()


def test_it_answers_405_to_a_get_on_confirm(owner_client, dog) -> None:
    assert owner_client.get(reverse("journal:incident-import-confirm", args=[dog.pk])).status_code == 405


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("2026-03-29T01:30", "did not happen in Europe/London"),
        ("1989-12-31T10:00:00+00:00", "before 1990"),
        ("2999-01-01T10:00:00+00:00", "is in the future"),
    ],
)
def test_it_explains_an_impossible_time(cell: str, reason: str) -> None:
    from zoneinfo import ZoneInfo

    stream = io.StringIO(HEADER + f"\n1,{cell},3,short,backside,home,,,,,,\n", newline="")
    result = csv_import.preview(
        stream, csv_import.existing_fingerprints([]), ZoneInfo("Europe/London"), utc(2026, 6, 1)
    )

    assert reason in result.problems[0].reason


def test_it_reads_the_exports_own_header() -> None:
    from journal.csv_format import EXPORT_COLUMNS

    assert [c for c in EXPORT_COLUMNS if c not in csv_import.IGNORED_COLUMNS] == list(csv_import.LEAN_COLUMNS)
    assert next(iter(csv.reader([HEADER]))) == [c for c in EXPORT_COLUMNS if c != "logged_by"]


def test_it_refuses_the_import_to_a_viewer(client, dog, stranger) -> None:
    add_member(dog, stranger, Role.VIEWER)
    client.force_login(stranger)

    response = upload(client, dog, GOOD)

    assert response.status_code == 403
    assert not Incident.objects.exists()


def test_it_reads_a_blank_choice_as_not_noted(owner_client, dog) -> None:
    preview = upload(owner_client, dog, HEADER + "\n,2026-03-01T08:15:00+00:00,,,,,,,,,,\n")
    confirm(owner_client, dog, preview)

    lean = Incident.objects.get()
    assert (lean.intensity, lean.duration, lean.location) == (None, "", "")
