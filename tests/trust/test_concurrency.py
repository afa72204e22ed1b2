"""No lost writes: many leans posted at once to a real multi-process server are all stored.

gunicorn runs four worker processes against a fresh database: a temporary SQLite file by
default, or a uniquely named PostgreSQL database when DATABASE_URL points at PostgreSQL
(CI's second run). Everything stays on 127.0.0.1 and every wait has a limit.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import dj_database_url
import pytest

from tests.trust.support import INCIDENT_FIELDS, run_python, subprocess_env

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
dog = Dog.objects.create(owner=owner, name="Dash", size="medium", birth_date="2020-01-01")
Membership.objects.create(dog=dog, person=owner, role="owner")
print(dog.pk)
"""


@dataclass(frozen=True)
class Database:
    url: str

    def count_leans(self) -> list[str]:
        query = "SELECT notes FROM journal_incident ORDER BY notes"
        if self.url.startswith("sqlite"):
            with sqlite3.connect(dj_database_url.parse(self.url)["NAME"]) as connection:
                return [row[0] for row in connection.execute(query)]
        import psycopg

        with psycopg.connect(self.url) as connection:
            return [row[0] for row in connection.execute(query)]


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


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        yield from postgres_database()
    else:
        yield Database(f"sqlite:///{tmp_path / 'race.sqlite3'}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: object
    body: str


def fetch(
    url: str,
    data: dict | None = None,
    cookies: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> Reply:
    request = urllib.request.Request(url, data=urlencode(data, doseq=True).encode() if data else None)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{key}={value}" for key, value in cookies.items()))
    try:
        with OPENER.open(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read().decode(errors="replace"))
    except urllib.error.HTTPError as error:  # 3xx (redirects are not followed), 4xx, 5xx
        return Reply(error.code, error.headers, error.read().decode(errors="replace"))


def cookies_of(reply: Reply) -> dict[str, str]:
    jar = SimpleCookie()
    for header in reply.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {key: morsel.value for key, morsel in jar.items()}


def form_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture
def server(database: Database, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """gunicorn with four workers on a free local port, serving a migrated, seeded database."""
    env = subprocess_env(DATABASE_URL=database.url, DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="127.0.0.1")
    migrated = run_python(["manage.py", "migrate", "--no-input"], env, timeout=180)
    assert migrated.returncode == 0, migrated.stderr
    seeded = run_python(["-c", SEED.format(username=USERNAME, password=PASSWORD)], env)
    assert seeded.returncode == 0, seeded.stderr
    dog_id = int(seeded.stdout.split()[-1])

    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            str(WORKERS),
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
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                if fetch(f"{base}/accounts/login/").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
            time.sleep(0.2)
        yield base, dog_id
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def sign_in(base: str) -> dict[str, str]:
    """Cookies of a real sign-in through the login form."""
    page = fetch(f"{base}/accounts/login/")
    cookies = cookies_of(page)
    reply = fetch(
        f"{base}/accounts/login/",
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": form_token(page.body)},
        cookies,
    )
    assert reply.status == 302, reply.body[:500]
    # Signing in rotates both the session and the CSRF token.
    return {**cookies, **cookies_of(reply)}


def test_it_stores_every_lean_posted_at_once(server, database: Database, tmp_path: Path) -> None:
    base, dog_id = server
    cookies = sign_in(base)
    form = fetch(f"{base}/dogs/{dog_id}/incidents/new/", cookies=cookies)
    assert form.status == 200, form.body[:500]
    token = form_token(form.body)
    cookies = {**cookies, **cookies_of(form)}
    start = dt.datetime(2026, 1, 1, 8, 0)

    def post(number: int) -> Reply:
        data = {
            **INCIDENT_FIELDS,
            "occurred_at": (start + dt.timedelta(minutes=number)).strftime("%Y-%m-%dT%H:%M"),
            "notes": f"lean {number:03d}",
            "csrfmiddlewaretoken": token,
        }
        return fetch(f"{base}/dogs/{dog_id}/incidents/new/", data, cookies)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        replies = list(pool.map(post, range(LEANS), timeout=REQUEST_TIMEOUT * LEANS / THREADS * 2))

    assert not [reply.body for reply in replies if "database is locked" in reply.body]
    assert "database is locked" not in (tmp_path / "gunicorn.log").read_text()
    assert [reply.status for reply in replies] == [302] * LEANS
    assert database.count_leans() == [f"lean {number:03d}" for number in range(LEANS)]


def test_it_stores_one_lean_for_one_client_id_posted_at_once(
    server, database: Database, tmp_path: Path
) -> None:
    # A double tap, a retry and an outbox replay arriving together on four workers: one lean.
    base, dog_id = server
    cookies = sign_in(base)
    form = fetch(f"{base}/dogs/{dog_id}/incidents/new/", cookies=cookies)
    token = form_token(form.body)
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

    assert [reply.status for reply in replies] == [302] * THREADS * 2
    assert len({reply.headers["Location"] for reply in replies}) == 1
    assert database.count_leans() == ["one tap, many posts"]
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()


IMPORT_ROWS = 6000
IMPORT_HEADER = (
    "id,occurred_at,intensity,duration,posture,location,owner_activity,triggers,signs,owner_response,"
    "outcome,notes"
)


def upload(url: str, fields: dict[str, str], name: str, content: bytes, cookies: dict[str, str]) -> Reply:
    """A multipart form post with one file, as the browser sends the import form."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(url, data=b"".join(parts))
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Cookie", "; ".join(f"{key}={value}" for key, value in cookies.items()))
    try:
        with OPENER.open(request, timeout=REQUEST_TIMEOUT) as response:
            return Reply(response.status, response.headers, response.read().decode(errors="replace"))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read().decode(errors="replace"))


def confirm_fields(page: str) -> dict[str, str]:
    """Every hidden field of the preview's confirm form."""
    form = re.search(r'<form[^>]*action="[^"]*/import/confirm/"[^>]*>(.*?)</form>', page, re.S)
    assert form, page[:2000]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)))


def test_it_adds_an_import_once_when_its_confirm_is_posted_at_once(
    server, database: Database, tmp_path: Path
) -> None:
    # A double click, a second tab and an impatient reload of one preview, on four workers.
    base, dog_id = server
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
        {"csrfmiddlewaretoken": form_token(form.body)},
        "leans.csv",
        content,
        cookies,
    )
    assert preview.status == 200, preview.body[:2000]
    assert "6,000</strong> new leans to add" in preview.body
    fields = confirm_fields(preview.body)

    def post(_: int) -> Reply:
        # Each confirm of 6,000 leans may wait for another's; gunicorn's own limit is 60 s.
        return fetch(f"{base}/dogs/{dog_id}/incidents/import/confirm/", fields, cookies, timeout=55)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        replies = list(pool.map(post, range(WORKERS)))

    assert [reply.status for reply in replies] == [302] * WORKERS
    assert {reply.headers["Location"] for reply in replies} == {f"/dogs/{dog_id}/incidents/"}
    assert database.count_leans() == [f"lean {number:04d}" for number in range(IMPORT_ROWS)]
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
