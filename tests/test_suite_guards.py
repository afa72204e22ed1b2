"""The suite's own guards: a hung test stops the run with its stacks instead of holding CI."""

from __future__ import annotations

import pytest


def test_a_hung_test_is_stopped(pytestconfig: pytest.Config) -> None:
    # Ten minutes: the longest test (servers behind nginx under load) takes well under one.
    assert 60 <= float(pytestconfig.getini("timeout")) <= 600
    # Not the signal method: it would raise inside Playwright's event loop or a server's thread.
    assert pytestconfig.getini("timeout_method") == "thread"
