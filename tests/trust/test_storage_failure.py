"""A full or read-only disk: a clear 503 "can't save right now" page, never a bare 500, nothing lost."""

from __future__ import annotations

import contextlib
import html

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from config.middleware import is_storage_failure
from dogs.views import server_error
from journal.models import Incident
from tests.helpers import PASSWORD, a_lean
from tests.trust.support import Journals

WRITES = ("INSERT", "UPDATE", "DELETE")

# Each test commits as production does: a failed write inside the test's own transaction would
# leave that transaction unusable, which is not what a server sees.
pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def failing_writes(message: str):
    """Every write the database is asked for fails with the given error, as SQLite reports it."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            raise OperationalError(message)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def post_a_lean(owner_client, journals: Journals):
    return lambda: owner_client.post(
        reverse("journal:incident-create", args=[journals.dog.pk]), a_lean(notes="after the disk filled up")
    )


@pytest.mark.parametrize(
    "message",
    ["database or disk is full", "attempt to write a readonly database", "disk I/O error"],
)
def test_it_answers_503_when_the_disk_cannot_take_a_write(post_a_lean, message) -> None:
    with failing_writes(message):
        response = post_a_lean()

    assert response.status_code == 503
    assert "Leanlog can’t save right now" in text(response)
    assert response.headers["Retry-After"] == "120"


def test_it_keeps_every_lean_saved_before(post_a_lean, journals: Journals) -> None:
    with failing_writes("database or disk is full"):
        post_a_lean()

    assert set(Incident.objects.values_list("pk", flat=True)) == {
        journals.incident.pk,
        journals.stranger_incident.pk,
    }
    assert not Incident.objects.filter(notes="after the disk filled up").exists()


def test_it_sends_the_security_headers_with_the_503_page(post_a_lean) -> None:
    with failing_writes("database or disk is full"):
        response = post_a_lean()

    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "private, no-store"


def test_it_saves_again_once_the_disk_has_room(post_a_lean) -> None:
    with failing_writes("database or disk is full"):
        post_a_lean()

    response = post_a_lean()

    assert response.status_code == 302
    assert Incident.objects.filter(notes="after the disk filled up").count() == 1


def test_it_answers_503_for_a_real_read_only_sqlite_database(post_a_lean) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PRAGMA query_only is SQLite's; the other tests cover PostgreSQL's messages")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = post_a_lean()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")

    assert response.status_code == 503
    assert not Incident.objects.filter(notes="after the disk filled up").exists()


def test_it_answers_503_when_signing_in_cannot_write_the_session(owner) -> None:
    client = Client()

    with failing_writes("database or disk is full"):
        response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 503


def test_it_keeps_the_ordinary_500_page_for_other_database_errors(journals: Journals) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(journals.owner)

    with failing_writes("no such table: journal_incident"):
        response = client.post(reverse("journal:incident-create", args=[journals.dog.pk]), a_lean())

    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in text(response)


def test_it_recognises_postgresqls_disk_full_code() -> None:
    class DiskFull(Exception):
        sqlstate = "53100"

    error = OperationalError("could not write block")
    error.__cause__ = DiskFull()

    assert is_storage_failure(error)


def test_it_does_not_mistake_a_programming_error_for_a_full_disk() -> None:
    assert not is_storage_failure(ValueError("database or disk is full"))


def test_it_answers_503_from_the_500_handler_for_a_write_outside_a_view(rf) -> None:
    # A session saved by middleware after the view fails where no view's handler sees it.
    try:
        raise OperationalError("database or disk is full")
    except OperationalError:
        response = server_error(rf.get("/"))

    assert response.status_code == 503


def test_it_keeps_the_500_handler_for_any_other_failure(rf) -> None:
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
