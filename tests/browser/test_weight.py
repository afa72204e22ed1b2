"""The weight budget: every page's first load transfers at most 100 KB with production settings.

gunicorn serves the app as in production (DJANGO_DEBUG=0, whitenoise's compressed, hashed
static files after collectstatic) over plain HTTP on a free local port; Chromium loads each
page with an empty cache and the bytes on the wire are summed, headers included.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from demo.story import DEMO_PASSWORD, DEMO_USERNAME
from deploy.loadtest import free_port
from tests.helpers import select
from tests.trust.support import migrated_sqlite, run_python, subprocess_env

# One worker builds the served copy once for all its tests: make test hands out whole files (--dist loadfile).
pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUDGET = 100 * 1024
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production(
    tmp_path_factory: pytest.TempPathFactory, static_root: Path, migrated_database: Path
) -> Iterator[str]:
    """A migrated demo database served by gunicorn with DJANGO_DEBUG=0; yields the base URL."""
    folder = tmp_path_factory.mktemp("production")
    env = subprocess_env(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="weight-test-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        LEANLOG_SSL_REDIRECT="0",
        LEANLOG_HSTS_SECONDS="0",
        LEANLOG_STATIC_ROOT=str(static_root),
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
    )
    migrated_sqlite(folder / "db.sqlite3", migrated_database)
    done = run_python(["manage.py", "load_demo"], env, timeout=240)
    assert done.returncode == 0, done.stderr
    port = free_port()
    log = (folder / "gunicorn.log").open("w")
    process = subprocess.Popen(
        # --preload: the app is imported once and the workers forked from it, not once each.
        [sys.executable, "-m", "gunicorn", "config.serving.wsgi:application", "--workers", "2", "--preload",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (folder / "gunicorn.log").read_text()
            try:
                requests.get(f"{base}/accounts/login/", timeout=10)
                break
            # Not listening yet, or a worker still starting on a busy machine.
            except (requests.ConnectionError, requests.Timeout):
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


@pytest.fixture(scope="module")
def chromium(browser: Any) -> Any:
    """The suite's one Chromium (tests/browser/conftest.py): a second Playwright would clash with its loop."""
    return browser


@pytest.fixture(scope="module")
def signed_in(chromium: Any, production: str) -> dict[str, Any]:
    """The demo owner's cookies and the address of their first dog."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{production}/accounts/login/")
    page.fill("#id_username", DEMO_USERNAME)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{production}/")
    dog_id = next(
        match.group(1)
        for link in select(page.content(), "a[href]")
        if (match := re.fullmatch(r"/dogs/(\d+)/", link.get("href")))
    )
    state = context.storage_state()
    context.close()
    return {"state": state, "dog_id": dog_id}


def first_load_bytes(chromium: Any, url: str, state: dict[str, Any] | None) -> tuple[int, int, list[str]]:
    """Bytes on the wire (headers included) for a first visit with an empty cache, status, resources."""
    context = chromium.new_context(
        storage_state=state, viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    session.on(
        "Network.requestWillBeSent",
        lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]),
    )
    session.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    response = page.goto(url, wait_until="networkidle")
    status = response.status
    context.close()
    listing = [f"{sizes[key]:>7} {urls.get(key, '?')}" for key in sorted(sizes, key=sizes.get, reverse=True)]
    return sum(sizes.values()), status, listing


PAGES = {
    "welcome": "/",
    "sign-in": "/accounts/login/",
    "home": "/",
    "dog": "/dogs/{dog}/",
    "journal": "/dogs/{dog}/incidents/",
    "lean form": "/dogs/{dog}/incidents/new/",
    "report": "/dogs/{dog}/report/",
}


ANONYMOUS = {"welcome", "sign-in"}


@pytest.mark.parametrize("name", list(PAGES))
def test_it_keeps_each_first_load_under_100_kb(
    chromium: Any, production: str, signed_in: dict, name: str
) -> None:
    # Signed out for the pages a newcomer sees first.
    state = None if name in ANONYMOUS else signed_in["state"]
    total, status, listing = first_load_bytes(
        chromium, production + PAGES[name].format(dog=signed_in["dog_id"]), state
    )
    assert status == 200
    assert total <= BUDGET, f"{name}: {total} bytes\n" + "\n".join(listing)


def test_it_answers_favicon_ico_with_an_icon(production: str) -> None:
    response = requests.get(f"{production}/favicon.ico", timeout=5)

    assert (response.status_code, response.headers["Content-Type"]) == (200, "image/x-icon")
