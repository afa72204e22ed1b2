"""The browser harness itself: it must notice console errors, CSP violations and a11y faults."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PageWatch, axe_violations

pytestmark = pytest.mark.browser


def test_it_records_a_console_error(page: Any, page_watch: PageWatch) -> None:
    page.goto("/accounts/login/")
    page.evaluate("console.error('boom from the test')")
    assert any("boom from the test" in problem for problem in page_watch.problems)
    page_watch.problems.clear()


def test_it_records_an_inline_script_blocked_by_the_csp(page: Any, page_watch: PageWatch) -> None:
    from playwright.sync_api import Error as PlaywrightError

    page.goto("/accounts/login/")
    with pytest.raises(PlaywrightError):
        page.add_script_tag(content="window.injected = true;")
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in problem for problem in page_watch.problems)
    page_watch.problems.clear()


def test_it_finds_an_image_without_alt_text(page: Any) -> None:
    page.goto("/accounts/login/")
    page.evaluate("() => document.body.append(document.createElement('img'))")
    assert "image-alt" in {violation["id"] for violation in axe_violations(page)}
