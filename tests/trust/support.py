"""Helpers for the trust tests: the URL walker, database snapshots, subprocesses."""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api.models import ApiToken
from dogs.models import Dog, Invitation, Membership, Owner
from journal.models import CheckIn, Event, FlagAcknowledgement, Incident, Weight
from sharing.models import ShareLink, VetNote

# A lean with every field filled in: what a real form post looks like.
INCIDENT_FIELDS = {
    "intensity": 4,
    "duration": "long",
    "posture": "backside",
    "location": "home",
    "owner_activity": "preparing_to_leave",
    "triggers": ["loud_noise"],
    "signs": ["trembling", "panting"],
    "owner_response": "petted",
    "outcome": "settled",
    "notes": "Leaned hard while the bin lorry went past.",
}

# An event's form fields that do not clash with the dog's or the lean's (the dog's notes serve too).
EVENT_FIELDS = {"kind": "medication", "title": "Posted by someone else", "started_on": "2024-01-02"}

DOG_FIELDS = {
    "name": "Taken",
    "breed": "Whippet",
    "size": "small",
    "birth_date": "2020-05-01",
    "sex": "female",
    "weight_kg": "12.5",
    "notes": "Posted by someone else.",
}

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Journals:
    """Two owners, each with a dog and a lean; the stranger must never reach the owner's."""

    owner: Owner
    stranger: Owner
    dog: Dog
    incident: Incident
    stranger_dog: Dog
    stranger_incident: Incident


# The tables a request could change, by the name a snapshot gives them.
SNAPSHOT_MODELS = {
    "owners": Owner,
    "dogs": Dog,
    "incidents": Incident,
    "memberships": Membership,
    "invitations": Invitation,
    "share_links": ShareLink,
    "vet_notes": VetNote,
    "checkins": CheckIn,
    "acknowledgements": FlagAcknowledgement,
    "tokens": ApiToken,
    "events": Event,
    "weights": Weight,
}


def snapshot() -> dict[str, list[dict]]:
    """Every row a request could change, so that 'nothing changed' is one comparison.

    Read as stored, in plain SQL: the isolation and hostile-input tests take thousands of
    snapshots, and the ORM spent most of each one compiling the same twelve queries.
    """
    quote = connection.ops.quote_name
    tables = {}
    with connection.cursor() as cursor:
        for name, model in SNAPSHOT_MODELS.items():
            table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {key}")
            columns = [column[0] for column in cursor.description]
            tables[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return tables


def local_minute(moment: dt.datetime) -> str:
    """A time as an HTML datetime-local value in the active time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_body(**extra: object) -> str:
    """A urlencoded body that is a valid dog, incident, event and weight form at once."""
    data = {**DOG_FIELDS, **INCIDENT_FIELDS, **EVENT_FIELDS, "measured_on": "2024-01-02", **extra}
    # A day ago is in the past in every time zone the poster may be in.
    data.setdefault("occurred_at", local_minute(timezone.now() - dt.timedelta(days=1)))
    return urlencode(data, doseq=True)


def send(client, method: str, path: str, body: str = ""):
    """Send one request with a form body for every method that carries one."""
    if method == "GET":
        return client.get(path)
    return client.generic(method, path, body, content_type="application/x-www-form-urlencoded")


def text_of(response) -> str:
    """The body of any response, streamed (the CSV export), zipped (the account's data) or not."""
    if response.get("Content-Type") == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(name).decode() for name in archive.namelist())
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# ---------------------------------------------------------------------------------------
# The URL walker
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple[str, ...]

    def __str__(self) -> str:
        return self.name or self.route


# Routes with their own guard, tested on their own: Django's admin answers to staff only, and
# the REST API to tokens only (tests/api/test_api_isolation.py walks its OpenAPI document).
SKIPPED_PREFIXES = ("admin/", "api/")

# Routes meant for visitors who are not signed in: sign-in, sign-up and password reset.
PUBLIC_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "dogs:signup",
        # The code after the password: it serves only a session with a pending sign-in.
        "two-factor-sign-in",
        # Signing in with a passkey: alone (nobody signed in yet), or at the code step, where
        # only the session's pending sign-in may use it (tests/accounts/test_passkeys.py).
        "passkey-sign-in-begin",
        "passkey-sign-in-complete",
        "two-factor-passkey-begin",
        "two-factor-passkey-complete",
        # Opened by whoever holds the token; an unknown token is 404 (test_isolation.py).
        "invitation",
        "shared-report",
        "shared-report-json",
        "shared-note",
        # The emailed link confirms an address on whichever device opens it; the token is the key.
        "dogs:email-confirm",
        # The welcome page for visitors (signed-in owners see their dogs) and what a phone
        # fetches before anyone signs in: the service worker, the manifest, the offline page.
        "dogs:home",
        "dogs:service-worker",
        "dogs:manifest",
        "dogs:offline",
        # The scripts' words: the same for everyone in a language, needed on the sign-in page too.
        "javascript-catalog",
    }
)


# How to fill each set of URL arguments with a dog and one of its leans. A route with
# arguments not listed here fails the isolation tests until someone adds it, so that a
# new view cannot skip the stranger check.
def _first_pk(rows, dog: Dog) -> int:
    """The first row of `dog`; an id that matches nothing when the dog has none."""
    return rows.filter(dog_id=dog.pk).values_list("pk", flat=True).first() or 10**9


def _token_of(dog: Dog, incident: Incident) -> dict[str, int]:
    """An API token of the dog's owner (made on first use); a dog that does not exist has none."""
    if dog.owner_id is None:
        return {"token_id": 10**9}
    token = ApiToken.objects.filter(owner_id=dog.owner_id).first() or ApiToken.issue(dog.owner, "walker")[0]
    return {"token_id": token.pk}


FILLERS: dict[tuple[str, ...], Callable[[Dog, Incident], dict[str, int]]] = {
    ("pk",): lambda dog, incident: {"pk": dog.pk},
    ("dog_id", "member_id"): lambda dog, incident: {
        "dog_id": dog.pk,
        "member_id": _first_pk(Membership.objects, dog),
    },
    ("dog_id", "share_id"): lambda dog, incident: {
        "dog_id": dog.pk,
        "share_id": _first_pk(ShareLink.objects, dog),
    },
    ("dog_id", "invitation_id"): lambda dog, incident: {
        "dog_id": dog.pk,
        "invitation_id": _first_pk(Invitation.objects, dog),
    },
    ("dog_id",): lambda dog, incident: {"dog_id": dog.pk},
    ("dog_id", "pk"): lambda dog, incident: {"dog_id": dog.pk, "pk": incident.pk},
    ("dog_id", "event_id"): lambda dog, incident: {
        "dog_id": dog.pk,
        "event_id": _first_pk(Event.objects, dog),
    },
    ("dog_id", "weight_id"): lambda dog, incident: {
        "dog_id": dog.pk,
        "weight_id": _first_pk(Weight.objects, dog),
    },
    # Acknowledging a flag: any flag code will do, the dog is what is guarded.
    ("code", "dog_id"): lambda dog, incident: {"dog_id": dog.pk, "code": "knock_over"},
    ("token_id",): _token_of,
}


class UnfillableRoute(AssertionError):
    pass


def walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern of the project, with its full name and the names of its arguments."""
    resolver = resolver or get_resolver()
    routes: list[Route] = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += [
                Route(r.name, r.route, tuple(sorted({*entry.pattern.regex.groupindex, *r.kwargs})))
                for r in walk(entry, route, inner)
            ]
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            routes.append(Route(name, route, tuple(sorted(entry.pattern.regex.groupindex))))
    return routes


def project_routes() -> list[Route]:
    return [r for r in walk() if not r.route.startswith(SKIPPED_PREFIXES)]


def routes_with_ids() -> list[Route]:
    return [r for r in project_routes() if r.kwargs and r.name not in PUBLIC_NAMES]


def signed_in_routes() -> list[Route]:
    return [r for r in project_routes() if r.name not in PUBLIC_NAMES]


def url_for(route: Route, dog: Dog, incident: Incident) -> str:
    """The route's URL pointing at the given dog and lean; fails for arguments it cannot fill."""
    if not route.name:
        raise UnfillableRoute(f"The route {route.route!r} has no name: give it one in its urls.py.")
    filler = FILLERS.get(route.kwargs)
    if filler is None:
        raise UnfillableRoute(
            f"The isolation walker cannot fill {route.kwargs} in {route.route!r} ({route.name}): "
            "add them to FILLERS in tests/trust/support.py so a stranger's access is tested."
        )
    return reverse(route.name, kwargs=filler(dog, incident))


# ---------------------------------------------------------------------------------------
# Subprocesses
# ---------------------------------------------------------------------------------------


def subprocess_env(**overrides: str) -> dict[str, str]:
    """The current environment without Leanlog's own settings, plus the given ones."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "LEANLOG_")) and key != "DATABASE_URL"
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(overrides)
    return env


def run_python(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def once_per_run(shared: Path, name: str, make: Callable[[], None]) -> None:
    """make() once for the whole run: the first caller (in any worker) runs it under a lock in the
    shared folder and marks it done; every later one finds the mark and goes on."""
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / f"{name}.done"
        if not done.exists():
            make()
            done.touch()


def migrated_template(shared: Path) -> Path:
    """A SQLite file as `manage.py migrate` leaves a new one, in shared: migrated once per run."""
    template = shared / "migrated.sqlite3"

    def migrate() -> None:
        env = subprocess_env(DATABASE_URL=f"sqlite:///{template}")
        done = run_python(["manage.py", "migrate", "--no-input"], env, timeout=240)
        assert done.returncode == 0, done.stderr

    once_per_run(shared, "migrated", migrate)
    return template


def migrated_sqlite(path: Path, template: Path) -> None:
    """A SQLite file at path, a copy of the run's migrated template (migrated_template)."""
    # The backup API copies a consistent file whatever its journal mode (WAL) left beside it.
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)


def collected_static(shared: Path) -> Path:
    """A STATIC_ROOT as `make run` collects it (DEBUG off: hashed and compressed names), in shared.

    Collecting compresses every file twice (gzip, brotli), seconds of work: done once per run,
    every test (in any worker) serves the same files.
    """
    root = shared / "collected-static"

    def collect() -> None:
        env = subprocess_env(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="collect-only-" + "x" * 50,
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            LEANLOG_STATIC_ROOT=str(root),
            DATABASE_URL=f"sqlite:///{shared / 'collect-only.sqlite3'}",
        )
        # Compressing every file takes a while on a busy machine.
        done = run_python(["manage.py", "collectstatic", "--no-input", "--verbosity", "0"], env, timeout=600)
        assert done.returncode == 0, done.stderr

    once_per_run(shared, "collected-static", collect)
    return root


# ---------------------------------------------------------------------------------------
# Services the multi-server tests need
# ---------------------------------------------------------------------------------------

# The tests' own Redis database; keys carry a random prefix as well, so nothing else is touched.
TEST_REDIS_URL = os.environ.get("LEANLOG_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def unavailable(reason: str) -> None:
    """Skip where a service is optional; under CI=true a missing service is a failure, not a skip."""
    import pytest

    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true: this test must run here).", pytrace=False)
    pytest.skip(reason)


def redis_url_or_skip() -> str:
    """TEST_REDIS_URL when a Redis answers there; otherwise skip (or fail under CI=true)."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        unavailable(f"No Redis at {TEST_REDIS_URL} ({error}): start one (apt-get install redis-server)")
    return TEST_REDIS_URL
