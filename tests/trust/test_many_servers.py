"""More than one server: two gunicorn app servers behind nginx on one PostgreSQL and one Redis behave as one.

The stack is deploy/loadtest.py's, with deploy/nginx/leanlog.conf in front, so the documented
proxy is the tested one. Without nginx, PostgreSQL or Redis these tests skip and say why; under
CI=true they fail instead. `make loadtest` runs the same stack longer and prints the figures.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.loadtest import Stack, Unavailable, check_consistency, check_proxy, check_services, run_load
from tests.trust.support import unavailable

# One worker starts the stack once for all its tests: make test hands out whole files (--dist loadfile).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(static_root: Path) -> Iterator[Stack]:
    try:
        check_services()
    except Unavailable as error:
        unavailable(f"The two-server stack cannot run: {error}")
    # Not pytest's tmp_path: nginx's workers run as another user and must reach the directory.
    with (
        tempfile.TemporaryDirectory(prefix="leanlog-stack-") as directory,
        Stack(Path(directory), owners_to_seed=4, workers=1, static_from=static_root) as running,
    ):
        yield running


def test_it_shows_a_lean_saved_through_one_server_in_the_report_of_the_other(stack: Stack) -> None:
    steps = check_consistency(stack)

    assert len(steps) == 3


def test_it_serves_through_the_documented_nginx_configuration(stack: Stack) -> None:
    checks = check_proxy(stack)

    assert "plain HTTP is redirected to HTTPS" in checks
    assert "nginx's access log shows /share/***/ and /invites/***/, never the token" in checks


def test_it_stores_every_acknowledged_lean_under_a_mixed_load(stack: Stack) -> None:
    # Until each person has gone round every kind of request ten times, however busy the
    # machine is with other tests (4 s of load once saved no lean under a load of 9); at most 60 s.
    result = run_load(stack, servers=2, seconds=60, clients=4, rounds=10)

    assert result.errors == []
    assert len(result.acknowledged) >= 4 * 10
    assert result.acknowledged, "no lean was saved during the load"
    assert result.missing == set()
    assert all(kind.count and not kind.failures for kind in result.stats.values())
    assert set(result.stats) == {
        "dog page",
        "journal",
        "report 30 d",
        "report 365 d",
        "report.json",
        "save a lean",
    }
