"""The suite's own guards: a hung test stops the run with its stacks instead of holding CI; the
PostgreSQL run skips only the tests that never open the database."""

from __future__ import annotations

import pytest

from tests.conftest import uses_database


def test_a_hung_test_is_stopped(pytestconfig: pytest.Config) -> None:
    # Ten minutes: the longest test (servers behind nginx under load) takes well under one.
    assert 60 <= float(pytestconfig.getini("timeout")) <= 600
    # Not the signal method: it would raise inside Playwright's event loop or a server's thread.
    assert pytestconfig.getini("timeout_method") == "thread"


# The PostgreSQL run (make test-postgres) takes only the tests that use the database.


def test_a_test_without_the_database_is_left_to_the_sqlite_run(request: pytest.FixtureRequest) -> None:
    assert not uses_database(request.node)


def test_a_test_with_the_db_fixture_runs_on_postgresql_too(request: pytest.FixtureRequest, db: None) -> None:
    assert uses_database(request.node)


def test_a_test_with_a_fixture_built_on_the_database_runs_on_postgresql_too(
    request: pytest.FixtureRequest, owner: object
) -> None:
    assert uses_database(request.node)


@pytest.mark.django_db
def test_a_test_marked_django_db_runs_on_postgresql_too(request: pytest.FixtureRequest) -> None:
    assert uses_database(request.node)
