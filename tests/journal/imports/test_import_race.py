"""Two confirms of one upload at the same moment add its leans once, each on its own connection."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from journal.imports import csv_import
from journal.models import Incident
from tests.helpers import text
from tests.journal.imports.test_import import confirm_fields

HEADER = (
    "id,occurred_at,intensity,duration,posture,location,owner_activity,triggers,signs,owner_response,"
    "outcome,notes"
)
ROWS = 300
FILE = (
    HEADER
    + "\n"
    + "".join(
        f",2026-01-01T{number // 60:02d}:{number % 60:02d}:00+00:00,3,short,backside,home,,,,,,{number}\n"
        for number in range(ROWS)
    )
)
# Long enough for the other confirm to reach the same point, if nothing holds it back.
MEETING_SECONDS = 2


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database cannot hold two writers at once; "
    "tests/trust/test_concurrency.py races two confirms on a real SQLite file",
)
@pytest.mark.django_db(transaction=True)
def test_it_adds_the_leans_once_when_two_confirms_arrive_together(owner, dog, monkeypatch) -> None:
    first = Client()
    first.force_login(owner)
    preview = first.post(
        reverse("journal:incident-import", args=[dog.pk]),
        {"file": SimpleUploadedFile("leans.csv", FILE.encode(), "text/csv")},
    )
    assert f"{ROWS} new leans to add" in text(preview)
    # The same person's second tab (or a double click): the same session, the same form.
    second = Client()
    second.cookies = first.cookies
    fields = confirm_fields(preview)

    # Each confirm waits here, after reading the journal and before inserting, for the other:
    # without a lock both find the journal empty and both insert.
    meeting = threading.Barrier(2)
    sort_rows = csv_import.sort_rows

    def sort_rows_together(*args, **kwargs):
        # When the other confirm is held back (or done), the wait times out: go on alone.
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(timeout=MEETING_SECONDS)
        yield from sort_rows(*args, **kwargs)

    monkeypatch.setattr(csv_import, "sort_rows", sort_rows_together)
    replies = {}

    def post(name: str, client: Client) -> None:
        try:
            replies[name] = client.post(
                reverse("journal:incident-import-confirm", args=[dog.pk]), fields, follow=True
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=pair) for pair in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Incident.objects.filter(dog=dog).count() == ROWS
    pages = [text(reply) for reply in replies.values()]
    assert [reply.redirect_chain[-1][0] for reply in replies.values()] == [
        reverse("journal:incident-list", args=[dog.pk])
    ] * 2
    assert sum(f"Added {ROWS} leans to Biscuit’s journal" in page for page in pages) == 1
    assert sum("This file was already imported" in page for page in pages) == 1
