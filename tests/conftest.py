"""Fixtures every test may ask for: an owner, a stranger, a dog and signed-in clients."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts import throttle
from dogs.models import Dog, Owner
from tests.helpers import make_dog, make_owner
from tests.trust.support import collected_static, migrated_template


def uses_database(item: pytest.Item) -> bool:
    """Whether a test opens the test database: through a fixture (db, transactional_db, a live
    server, any fixture built on them) or the django_db mark."""
    fixtures = getattr(item, "fixturenames", ())
    # The live server asks for transactional_db only once the test runs.
    return (
        "_django_db_helper" in fixtures
        or "live_server" in fixtures
        or item.get_closest_marker("django_db") is not None
    )


def on_postgresql() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Against PostgreSQL, only the tests that use the database; then the long tests first.

    A test that never opens the test database runs the same on either: the servers and commands
    the tests start get no DATABASE_URL (tests.trust.support.subprocess_env) or fill a scratch
    SQLite file of their own (the benchmarks); a test that reaches PostgreSQL another way is
    marked postgres_too. The PostgreSQL run (make test-postgres) leaves the rest to SQLite's.
    """
    if on_postgresql():
        same_on_both = [
            item for item in items if not uses_database(item) and not item.get_closest_marker("postgres_too")
        ]
        if same_on_both:
            config.hook.pytest_deselected(items=same_on_both)
            left_out = set(same_on_both)
            items[:] = [item for item in items if item not in left_out]
    _longest_first(items)


def _longest_first(items: list[pytest.Item]) -> None:
    """Start the long tests first, so that parallel workers end together rather than one waiting.

    Tests that start servers take tens of seconds each and browser tests a few; run last, one
    of them keeps a worker busy while the others sit idle. The order within each kind stays.
    pytest-xdist hands out whole files in this order only when told not to sort them by their
    number of tests (--no-loadscope-reorder, as the Makefile runs it).
    """

    def weight(item: pytest.Item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        return 1 if item.get_closest_marker("browser") else 2

    items.sort(key=weight)


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _throttle_clock(monkeypatch) -> None:
    """Each test counts in one throttle window: a window ending mid-test would reset its counts."""
    start = time.time() // 3600 * 3600 + 1
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: start))


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request in German leaves German active in the thread (as each new request activates its
    own): the next test starts in English again, whatever the last one asked for."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: throttle counts of one test never reach another."""
    cache.clear()


@pytest.fixture
def owner(db) -> Owner:
    return make_owner("alice")


@pytest.fixture
def stranger(db) -> Owner:
    return make_owner("mallory", time_zone="America/New_York")


@pytest.fixture
def dog(owner) -> Dog:
    return make_dog(owner)


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(stranger) -> Client:
    client = Client()
    client.force_login(stranger)
    return client


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every worker of this run shares (each worker's own sits in it under pytest-xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def static_root(run_folder: Path) -> Path:
    """The static files collected as for production, once for the whole run (all workers share them)."""
    return collected_static(run_folder)


@pytest.fixture(scope="session")
def migrated_database(run_folder: Path) -> Path:
    """A SQLite file migrated once for the whole run, for the tests' servers to copy (migrated_sqlite)."""
    return migrated_template(run_folder)
