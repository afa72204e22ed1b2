"""No lost writes: many leans posted at once to a real multi-process server are all stored.

gunicorn runs four worker processes against a fresh database: a temporary SQLite file by
default, or a uniquely named PostgreSQL database when DATABASE_URL points at PostgreSQL
(CI's second run). One server serves the module; each test writes to a dog of its own and reads
only what the server logged while it ran. Everything stays on 127.0.0.1 and every wait has a limit.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import pytest
import requests

from deploy.loadtest import free_port
from tests.helpers import text, value_of
from tests.journal.imports.test_import import confirm_fields
from tests.trust.support import (
    INCIDENT_FIELDS,
    migrated_sqlite,
    migrated_template,
    run_python,
    subprocess_env,
)

# Slow, and about the database: the PostgreSQL run keeps them (postgres_too).
pytestmark = [pytest.mark.slow, pytest.mark.postgres_too]

LEANS = 120
THREADS = 16
WORKERS = 4
REQUEST_TIMEOUT = 30
USERNAME = "racer"
PASSWORD = "leaning-at-full-speed-7"

SEED = """
import django
django.setup()
from dogs.models import Dog, Membership, Owner
owner = Owner.objects.create_user({username!r}, password={password!r}, time_zone="UTC")
for _ in range({dogs}):
    dog = Dog.objects.create(owner=owner, name="Dash", size="medium", birth_date="2020-01-01")
    Membership.objects.create(dog=dog, person=owner, role="owner")
    print(dog.pk)
"""
# One dog for each test of the module.
DOGS = 3


@dataclass(frozen=True)
class Database:
    url: str

    def count_leans(self, dog_id: int) -> list[str]:
        if self.url.startswith("sqlite"):
            query = "SELECT notes FROM journal_incident WHERE dog_id = ? ORDER BY notes"
            with closing(sqlite3.connect(dj_database_url.parse(self.url)["NAME"])) as connection:
                return [row[0] for row in connection.execute(query, (dog_id,))]
        import psycopg

        query = "SELECT notes FROM journal_incident WHERE dog_id = %s ORDER BY notes"
        with psycopg.connect(self.url) as connection:
            return [row[0] for row in connection.execute(query, (dog_id,))]


def postgres_database() -> Iterator[Database]:
    """A fresh, uniquely named database on the server DATABASE_URL points at; dropped after."""
    import psycopg
    from psycopg import sql

    server = os.environ["DATABASE_URL"]
    params = dj_database_url.parse(server)
    name = f"leanlog_race_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(
        dbname="postgres",
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
        connect_timeout=10,
    )
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield Database(urlunsplit(urlsplit(server)._replace(path=f"/{name}")))
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        admin.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("race")


@pytest.fixture(scope="module")
def database(folder: Path) -> Iterator[Database]:
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        yield from postgres_database()
    else:
        yield Database(f"sqlite:///{folder / 'race.sqlite3'}")


def fetch(
    url: str,
    data: dict | None = None,
    cookies: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> requests.Response:
    """One request on a connection of its own; a redirect is answered, not followed."""
    method = "POST" if data else "GET"
    return requests.request(method, url, data=data, cookies=cookies, allow_redirects=False, timeout=timeout)


def cookies_of(reply: requests.Response) -> dict[str, str]:
    return reply.cookies.get_dict()


def form_token(reply: requests.Response) -> str:
    return value_of(reply, "csrfmiddlewaretoken")


@dataclass
class Running:
    base: str
    log: Path
    dog_ids: list[int]


@dataclass(frozen=True)
class Server:
    """The module's server as one test sees it: its own dog, and the log from its start on."""

    base: str
    dog_id: int
    log_file: Path
    log_start: int

    def log(self) -> str:
        with self.log_file.open("rb") as log:
            log.seek(self.log_start)
            return log.read().decode(errors="replace")


@pytest.fixture(scope="module")
def running(database: Database, folder: Path, run_folder: Path) -> Iterator[Running]:
    """gunicorn with four workers on a free local port, serving a migrated, seeded database."""
    env = subprocess_env(DATABASE_URL=database.url, DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="127.0.0.1")
    if database.url.startswith("sqlite"):
        migrated_sqlite(Path(dj_database_url.parse(database.url)["NAME"]), migrated_template(run_folder))
    else:
        migrated = run_python(["manage.py", "migrate", "--no-input"], env, timeout=180)
        assert migrated.returncode == 0, migrated.stderr
    seeded = run_python(["-c", SEED.format(username=USERNAME, password=PASSWORD, dogs=DOGS)], env)
    assert seeded.returncode == 0, seeded.stderr
    dog_ids = [int(pk) for pk in seeded.stdout.split()]

    port = free_port()
    log_file = folder / "gunicorn.log"
    log = log_file.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.serving.wsgi:application",
            "--workers",
            str(WORKERS),
            # The app imported once and the workers forked from it, not imported by each.
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, log_file.read_text()
            try:
                if fetch(f"{base}/accounts/login/").status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
            time.sleep(0.2)
        yield Running(base, log_file, dog_ids)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


@pytest.fixture
def server(running: Running) -> Server:
    """The running server with a dog no other test of the module has written to."""
    return Server(running.base, running.dog_ids.pop(), running.log, running.log.stat().st_size)


def sign_in(base: str) -> dict[str, str]:
    """Cookies of a real sign-in through the login form."""
    page = fetch(f"{base}/accounts/login/")
    cookies = cookies_of(page)
    reply = fetch(
        f"{base}/accounts/login/",
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": form_token(page)},
        cookies,
    )
    assert reply.status_code == 302, reply.text[:500]
    # Signing in rotates both the session and the CSRF token.
    return {**cookies, **cookies_of(reply)}


def test_it_stores_every_lean_posted_at_once(server: Server, database: Database) -> None:
    base, dog_id = server.base, server.dog_id
    cookies = sign_in(base)
    form = fetch(f"{base}/dogs/{dog_id}/incidents/new/", cookies=cookies)
    assert form.status_code == 200, form.text[:500]
    token = form_token(form)
    cookies = {**cookies, **cookies_of(form)}
    start = dt.datetime(2026, 1, 1, 8, 0)

    def post(number: int) -> requests.Response:
        data = {
            **INCIDENT_FIELDS,
            "occurred_at": (start + dt.timedelta(minutes=number)).strftime("%Y-%m-%dT%H:%M"),
            "notes": f"lean {number:03d}",
            "csrfmiddlewaretoken": token,
        }
        return fetch(f"{base}/dogs/{dog_id}/incidents/new/", data, cookies)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        replies = list(pool.map(post, range(LEANS), timeout=REQUEST_TIMEOUT * LEANS / THREADS * 2))

    assert not [reply.text for reply in replies if "database is locked" in reply.text]
    assert "database is locked" not in server.log()
    assert [reply.status_code for reply in replies] == [302] * LEANS
    assert database.count_leans(dog_id) == [f"lean {number:03d}" for number in range(LEANS)]


def test_it_stores_one_lean_for_one_client_id_posted_at_once(server: Server, database: Database) -> None:
    # A double tap, a retry and an outbox replay arriving together on four workers: one lean.
    base, dog_id = server.base, server.dog_id
    cookies = sign_in(base)
    form = fetch(f"{base}/dogs/{dog_id}/incidents/new/", cookies=cookies)
    token = form_token(form)
    cookies = {**cookies, **cookies_of(form)}
    data = {
        **INCIDENT_FIELDS,
        "occurred_at": "2026-01-01T08:00",
        "notes": "one tap, many posts",
        "client_id": str(uuid.uuid4()),
        "csrfmiddlewaretoken": token,
    }

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        replies = list(
            pool.map(
                lambda _: fetch(f"{base}/dogs/{dog_id}/incidents/new/", data, cookies), range(THREADS * 2)
            )
        )

    assert [reply.status_code for reply in replies] == [302] * THREADS * 2
    assert len({reply.headers["Location"] for reply in replies}) == 1
    assert database.count_leans(dog_id) == ["one tap, many posts"]
    assert "Traceback" not in server.log()


IMPORT_ROWS = 6000
IMPORT_HEADER = (
    "id,occurred_at,intensity,duration,posture,location,owner_activity,triggers,signs,owner_response,"
    "outcome,notes"
)


def upload(
    url: str, fields: dict[str, str], name: str, content: bytes, cookies: dict[str, str]
) -> requests.Response:
    """A multipart form post with one file, as the browser sends the import form."""
    return requests.post(
        url,
        data=fields,
        files={"file": (name, content, "text/csv")},
        cookies=cookies,
        allow_redirects=False,
        timeout=REQUEST_TIMEOUT,
    )


def test_it_adds_an_import_once_when_its_confirm_is_posted_at_once(
    server: Server, database: Database
) -> None:
    # A double click, a second tab and an impatient reload of one preview, on four workers.
    base, dog_id = server.base, server.dog_id
    cookies = sign_in(base)
    form = fetch(f"{base}/dogs/{dog_id}/incidents/import/", cookies=cookies)
    cookies = {**cookies, **cookies_of(form)}
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    content = (
        IMPORT_HEADER
        + "\n"
        + "".join(
            f",{(start + dt.timedelta(minutes=number)).isoformat()},3,short,backside,home,,,,,,"
            f"lean {number:04d}\n"
            for number in range(IMPORT_ROWS)
        )
    ).encode()
    preview = upload(
        f"{base}/dogs/{dog_id}/incidents/import/",
        {"csrfmiddlewaretoken": form_token(form)},
        "leans.csv",
        content,
        cookies,
    )
    assert preview.status_code == 200, preview.text[:2000]
    assert "6,000 new leans to add" in text(preview)
    fields = {**confirm_fields(preview), "csrfmiddlewaretoken": form_token(preview)}

    def post(_: int) -> requests.Response:
        # Each confirm of 6,000 leans may wait for another's; gunicorn's own limit is 60 s.
        return fetch(f"{base}/dogs/{dog_id}/incidents/import/confirm/", fields, cookies, timeout=55)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        replies = list(pool.map(post, range(WORKERS)))

    assert [reply.status_code for reply in replies] == [302] * WORKERS
    assert {reply.headers["Location"] for reply in replies} == {f"/dogs/{dog_id}/incidents/"}
    assert database.count_leans(dog_id) == [f"lean {number:04d}" for number in range(IMPORT_ROWS)]
    assert "Traceback" not in server.log()
