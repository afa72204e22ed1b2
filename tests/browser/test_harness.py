"""The browser harness itself: it must notice console errors, CSP violations and a11y faults."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests
from django.core import signals

from tests.browser.conftest import KeptContext, PageWatch, ServerRequests, axe_violations

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


def test_it_forgets_everything_a_test_left_on_the_site(
    page: Any, viewport: str, kept_contexts: dict[str, KeptContext], live_server: Any
) -> None:
    page.goto("/accounts/login/")
    page.evaluate(
        """async () => {
            document.cookie = "left=1; path=/";
            localStorage.setItem("left", "1");
            await caches.open("left");
            await new Promise((done) => {
                const opened = indexedDB.open("left", 1);
                opened.onupgradeneeded = () => opened.result.createObjectStore("leans");
                opened.onsuccess = () => { opened.result.close(); done(); };
            });
        }"""
    )
    kept = kept_contexts[viewport]
    page.close()
    # And what a test may change on the context itself: the network, a route of its own.
    kept.context.set_offline(True)
    kept.context.route("**/accounts/login/", lambda route: route.abort())

    kept.forget_the_site()

    later = kept.context.new_page()
    try:
        later.goto("/accounts/login/")
        left = later.evaluate(
            """async () => ({
                cookie: document.cookie.includes("left="),
                storage: localStorage.length,
                caches: (await caches.keys()).includes("left"),
                // The page's own scripts open the app's outbox again; the test's database must be gone.
                databases: (await indexedDB.databases()).map((database) => database.name).includes("left"),
            })"""
        )
    finally:
        later.close()
    assert left == {"cookie": False, "storage": 0, "caches": False, "databases": False}
    # Kept contexts run no service worker: one would outlive the wipe, fetching with old cookies.
    assert not kept.context.service_workers


def test_it_counts_the_requests_the_live_server_is_still_answering(
    live_server: Any, server_requests: ServerRequests, transactional_db: None
) -> None:
    # A request held in the server's thread, as one a closed page left running would be.
    arrived, release = threading.Event(), threading.Event()

    def hold(**_: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            arrived.set()
            release.wait(10)

    signals.request_started.connect(hold, dispatch_uid="harness-hold")
    visitor = threading.Thread(
        target=requests.get, args=(f"{live_server.url}/accounts/login/",), kwargs={"timeout": 10}
    )
    try:
        visitor.start()
        assert arrived.wait(10)
        assert not server_requests.wait_until_idle(timeout=0.2)
        assert server_requests.running == 1
    finally:
        release.set()
        visitor.join(10)
        signals.request_started.disconnect(dispatch_uid="harness-hold")
    assert server_requests.wait_until_idle()
    assert server_requests.running == 0
