"""Export, then import into a new dog: the same report and the same CSV, apart from ids."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from journal.models import Incident
from tests.helpers import journal_in_db, make_dog, make_incident, text, utc
from tests.journal.imports.test_import import confirm_fields

TRICKY_NOTES = (
    'She "helped" with the shopping, again; then,\r\nsat on my foot.\nTwo lines.\r'
    "=SUM(A1:A9) +1 -1 @home\t<b>bold</b> & ünïcödé 🐕  "
)
MARCH_2025 = {"start": "2025-03-01", "end": "2025-03-31"}


def export(client, dog) -> str:
    response = client.get(reverse("journal:incident-export", args=[dog.pk]))
    return b"".join(response.streaming_content).decode("utf-8")


def import_file(client, dog, content: str):
    preview = client.post(
        reverse("journal:incident-import", args=[dog.pk]),
        {"file": SimpleUploadedFile("leans.csv", content.encode(), "text/csv")},
    )
    return client.post(reverse("journal:incident-import-confirm", args=[dog.pk]), confirm_fields(preview))


def without_ids(value):
    """The report with every id left out: they name rows, not what the rows say."""
    if isinstance(value, dict):
        return {
            key: without_ids(item) for key, item in value.items() if key not in {"id", "incident_ids", "name"}
        }
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


def rows_without_ids(content: str) -> list[list[str]]:
    return [row[1:] for row in csv.reader(io.StringIO(content, newline=""))]


def copy_of(dog):
    return make_dog(dog.owner, "Biscuit again", size=dog.size, birth_date=dog.birth_date)


def test_it_gives_the_same_report_after_a_round_trip(owner_client, dog) -> None:
    journal_in_db(dog)
    copy = copy_of(dog)

    import_file(owner_client, copy, export(owner_client, dog))

    report = owner_client.get(reverse("journal:report-json", args=[dog.pk]), MARCH_2025).json()
    again = owner_client.get(reverse("journal:report-json", args=[copy.pk]), MARCH_2025).json()
    assert report["incidents"] == 7
    assert again["dog"].pop("name") == "Biscuit again"
    report["dog"].pop("name")
    assert without_ids(again) == without_ids(report)


def test_it_gives_the_same_csv_after_a_round_trip(owner_client, dog) -> None:
    journal_in_db(dog)
    make_incident(dog, utc(2025, 4, 1, 7, 0, 0, 123456), notes=TRICKY_NOTES)
    make_incident(dog, utc(2025, 4, 1, 7, 0, 0, 123456), notes=TRICKY_NOTES)
    # Leans logged today name who logged them; an import is logged by whoever imports it.
    Incident.objects.update(logged_by=dog.owner)
    copy = copy_of(dog)
    original = export(owner_client, dog)

    import_file(owner_client, copy, original)

    assert rows_without_ids(export(owner_client, copy)) == rows_without_ids(original)
    assert Incident.objects.filter(dog=copy).count() == Incident.objects.filter(dog=dog).count() == 10


def test_it_adds_nothing_when_the_export_comes_back_to_its_own_dog(owner_client, dog) -> None:
    journal_in_db(dog)

    response = owner_client.post(
        reverse("journal:incident-import", args=[dog.pk]),
        {"file": SimpleUploadedFile("leans.csv", export(owner_client, dog).encode(), "text/csv")},
    )

    assert "0 new leans to add" in text(response)
    assert "8 leans already in the journal" in text(response)
