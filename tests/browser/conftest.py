"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test opens is watched: a console error (CSP violations show up there), an
uncaught script error or a failed request fails the test at teardown. Each test can run axe-core
on a page and save full-page screenshots into tests/screenshots/ (git-ignored) when asked
(`make screenshots`, or LEANLOG_SCREENSHOTS=1): they are for people to look at, not for the
tests, which need only what they assert.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import signals
from django.test import Client, override_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
TESTS_DIR = Path(__file__).resolve().parent.parent
AXE_SOURCE_PATH = TESTS_DIR / "vendor" / "axe.min.js"
SCREENSHOTS_DIR = TESTS_DIR / "screenshots"
# The browser's zone becomes the owner's zone at sign-up; nine hours from UTC catches day-boundary slips.
BROWSER_TIME_ZONE = "Asia/Tokyo"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

VIEWPORTS: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


def _unavailable(reason: str) -> None:
    """Skip where a browser is optional; under CI=true a missing browser is a failure, not a skip."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run here).", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session; each test gets its own context."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package (make browser)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[test]'")
    # Playwright's sync API keeps an event loop on the main thread, which makes Django
    # refuse ORM calls from test code; nothing here is really async, so allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright()
    playwright = manager.start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
    finally:
        manager.__exit__(None, None, None)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session", autouse=True)
def _live_server_static_files() -> Iterator[None]:
    """Serve static files the development way, set before the live server builds its middleware.

    The live server serves /static/ from the finders: hashed names (DJANGO_DEBUG=0) would need
    collectstatic, and whitenoise would warn (an error here) about the missing STATIC_ROOT.
    """
    with override_settings(
        STORAGES={
            **django_settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_AUTOREFRESH=True,
    ):
        yield


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test about layout (marked both_viewports) runs on a phone and on a desktop."""
    if "viewport" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_viewports"):
        metafunc.parametrize("viewport", list(VIEWPORTS), indirect=True)


@pytest.fixture
def viewport(request: pytest.FixtureRequest) -> str:
    """A browser test runs on a phone, where most owners log; both_viewports adds the desktop."""
    return getattr(request, "param", "phone")


class PageWatch:
    """What went wrong on the pages of one test: console errors, script errors, failed requests."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.expected: list[re.Pattern[str]] = []

    def expect(self, pattern: str) -> None:
        """Accept one kind of problem the test provokes on purpose (say, a 429 lockout page)."""
        self.expected.append(re.compile(pattern))

    def _record(self, problem: str) -> None:
        if not any(pattern.search(problem) for pattern in self.expected):
            self.problems.append(problem)

    def attach(self, page: Any) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._record(f"uncaught script error: {error}"))
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            self._record(f"console error: {message.text} ({where})")

    def _on_request_failed(self, request: Any) -> None:
        # The browser itself cancels a page's icon, image or deferred script (the words for the
        # scripts, /jsi18n/) when a form posts or a script moves on to the next page before it
        # arrived (net::ERR_ABORTED): nothing failed on the server's side.
        if request.failure == "net::ERR_ABORTED" and request.resource_type in {"image", "script", "other"}:
            return
        self._record(f"request failed: {request.method} {request.url} ({request.failure})")


@pytest.fixture
def page_watch() -> PageWatch:
    return PageWatch()


class ServerRequests:
    """How many requests the live server is answering now, counted with Django's request signals.

    A page closed at the end of a test may leave a request running in the server's thread (an
    outbox run, the service worker keeping a page): the test database must not be emptied under it.
    Only the server's threads count: the test client answers on the main thread, and a streamed
    response it never reads to the end never signals that it finished.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0

    def started(self, **_: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self._lock:
                self.running += 1

    def finished(self, **_: Any) -> None:
        if threading.current_thread() is not threading.main_thread():
            with self._lock:
                self.running -= 1

    def wait_until_idle(self, timeout: float = 10.0) -> bool:
        """Whether the server answered every request it had within the timeout."""
        deadline = time.monotonic() + timeout
        while self.running > 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.running <= 0


@pytest.fixture(scope="session")
def server_requests() -> Iterator[ServerRequests]:
    counter = ServerRequests()
    signals.request_started.connect(counter.started, dispatch_uid="browser-tests-started")
    signals.request_finished.connect(counter.finished, dispatch_uid="browser-tests-finished")
    yield counter
    signals.request_started.disconnect(dispatch_uid="browser-tests-started")
    signals.request_finished.disconnect(dispatch_uid="browser-tests-finished")


def _new_context(browser: Any, base_url: str, viewport: str, **options: Any) -> Any:
    context = browser.new_context(
        **options,
        base_url=base_url,
        locale="en-GB",
        timezone_id=BROWSER_TIME_ZONE,
        # Bootstrap's fades honour reduced motion, so axe and screenshots never catch a half-faded alert.
        reduced_motion="reduce",
        **VIEWPORTS[viewport],
    )
    context.set_default_timeout(10_000)
    return context


class KeptContext:
    """A browser context kept from test to test, its site's data wiped after each.

    A new context starts a new renderer process, which costs Chromium more CPU than most tests
    spend on their pages. A page of the site stays open (a stylesheet, no script) so that each
    test's page joins its process; after the test every cookie, storage, cache and database of
    the site is deleted through the DevTools protocol. The browser's HTTP cache is kept, as a
    phone keeps it: it holds the static files, the same for every test, and no page of an
    earlier test (every signed-in answer is private, no-store); wiping it cost each test a
    fresh download and parse of the stylesheets and scripts, about 6 % of the browser tests' CPU.
    """

    def __init__(self, browser: Any, base_url: str, viewport: str) -> None:
        self.base_url = base_url
        # No service worker: deleting a site's data unregisters one but leaves it running, still
        # fetching with the last test's cookies. Tests of the worker take a fresh context.
        self.context = _new_context(browser, base_url, viewport, service_workers="block")
        self.keeper = self.context.new_page()
        self.keeper.goto("/static/css/leanlog.css")
        self.devtools = self.context.new_cdp_session(self.keeper)

    def forget_the_site(self) -> None:
        # The pages a test opened, what it may have changed on the context itself, then all the
        # site keeps.
        for opened in self.context.pages:
            if opened is not self.keeper:
                opened.close()
        self.context.set_offline(False)
        self.context.unroute_all()
        self.context.clear_cookies()
        self.context.clear_permissions()
        self.devtools.send("Storage.clearDataForOrigin", {"origin": self.base_url, "storageTypes": "all"})


@pytest.fixture(scope="session")
def kept_contexts(browser: Any, live_server: Any) -> Iterator[dict[str, KeptContext]]:
    """One kept context per viewport for the session (each xdist worker has its own browser)."""
    kept: dict[str, KeptContext] = {}
    yield kept
    for context in kept.values():
        context.context.close()
    # Their connections to the live server close now; the server's threads for them must be done
    # before it stops and takes back the test database (else they fail the session's last test).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate()
    ):
        time.sleep(0.05)


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Any,
    viewport: str,
    live_server: Any,
    transactional_db: None,
    page_watch: PageWatch,
    kept_contexts: dict[str, KeptContext],
    server_requests: ServerRequests,
) -> Iterator[Any]:
    """A new page under the app's real CSP, on a site with no data of an earlier test; any console
    error or failed request fails the test. A test marked fresh_context (one that takes the
    network away or needs the service worker) gets a context of its own."""
    kept = None
    if request.node.get_closest_marker("fresh_context"):
        context = _new_context(browser, live_server.url, viewport)
    else:
        if viewport not in kept_contexts:
            kept_contexts[viewport] = KeptContext(browser, live_server.url, viewport)
        kept = kept_contexts[viewport]
        context = kept.context
    page = context.new_page()
    page_watch.attach(page)
    yield page
    # What went wrong while the test ran: closing its pages cancels what they still had under way.
    problems = list(page_watch.problems)
    if kept is None:
        context.close()
    else:
        kept.forget_the_site()
    if not server_requests.wait_until_idle():
        problems.append(
            f"the live server was still answering {server_requests.running} request(s) 10 s after the test"
        )
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


def save_screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """tests/screenshots/<name>.png of the whole page (or of the screen), when screenshots are asked for."""
    path = SCREENSHOTS_DIR / f"{name}.png"
    if os.environ.get("LEANLOG_SCREENSHOTS", "").strip() == "1":
        SCREENSHOTS_DIR.mkdir(exist_ok=True)
        # One image pixel per CSS pixel: readable, and a third of the time of a 2x phone capture.
        page.screenshot(path=str(path), full_page=full_page, scale="css")
    return path


@pytest.fixture
def screenshot(page: Any, viewport: str, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """Save a full-page screenshot as tests/screenshots/<test>-<viewport>-<step>.png, when asked."""

    def take(step: str) -> Path:
        return save_screenshot(page, f"{request.node.originalname}-{viewport}-{step}")

    return take


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.1 A and AA rules on the page as it is now."""
    # evaluate() goes through the DevTools protocol, so the page keeps its real CSP
    # (script-src 'self') while axe runs; an injected <script> tag would be blocked.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE_PATH.read_text(encoding="utf-8"))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
            }));
        }""",
        AXE_TAGS,
    )


def check_a11y(page: Any) -> None:
    """Fail listing every WCAG 2.1 A/AA violation axe-core finds on the page."""
    violations = axe_violations(page)
    if violations:
        lines = [f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {json.dumps(node['target'])}: {node['summary']}")
        pytest.fail("\n".join(lines), pytrace=False)


def sign_in(page: Any, base_url: str, owner: Any) -> None:
    """Give the browser a session for an owner made in the database (no sign-in form, no axes)."""
    client = Client()
    client.force_login(owner)
    session_id = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session_id, "url": base_url}]
    )
