"""Every other page of Leanlog passes axe-core (WCAG 2.1 A and AA) on a phone and a desktop.

The journeys check the pages they walk through; this sweep covers the rest: settings,
passwords, edit and delete confirmations, a filtered journal, an empty report, the
sign-in page with an error and the lockout page. Folded parts (filters, "More details",
"Show the numbers") are opened first so that axe sees them too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts import throttle
from accounts.confirm_email import make_token
from accounts.throttle import PASSWORD_RESET_PER_ADDRESS
from tests.browser.conftest import BROWSER_TIME_ZONE, PageWatch, check_a11y, sign_in
from tests.helpers import make_dog, make_incident, make_owner, make_weight

pytestmark = pytest.mark.browser

Screenshot = Callable[[str], Path]

SIGNED_IN_PAGES = {
    "settings": "/accounts/settings/",
    "password-change": "/accounts/password_change/",
    "password-change-done": "/accounts/password_change/done/",
    "dog-edit": "/dogs/{dog}/edit/",
    "dog-delete": "/dogs/{dog}/delete/",
    "incident-edit": "/dogs/{dog}/incidents/{incident}/edit/",
    "incident-delete": "/dogs/{dog}/incidents/{incident}/delete/",
    "journal-filtered": "/dogs/{dog}/incidents/?sign=trembling&location=walk",
    "journal-flag-leans": "/dogs/{dog}/incidents/?ids={incident}",
    "report-empty-week": "/dogs/{quiet_dog}/report/?days=7",
    "weight-list": "/dogs/{dog}/weights/",
    "weight-delete": "/dogs/{dog}/weights/{weight}/delete/",
}
SIGNED_OUT_PAGES = {
    "password-reset": "/accounts/password_reset/",
    "password-reset-done": "/accounts/password_reset/done/",
}


def open_folded_parts(page: Page) -> None:
    """Open every collapsed panel and <details> in the main content."""
    page.evaluate(
        """() => {
            document.querySelectorAll("main details").forEach((d) => { d.open = true; });
            document.querySelectorAll('main [data-bs-toggle="collapse"][aria-expanded="false"]')
                .forEach((toggle) => toggle.click());
        }"""
    )
    expect(page.locator('main [data-bs-toggle="collapse"][aria-expanded="false"]')).to_have_count(0)


@pytest.mark.both_viewports
@pytest.mark.parametrize("name", list(SIGNED_IN_PAGES))
def test_it_passes_axe_on_a_signed_in_page(
    name: str, page: Page, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    dog = make_dog(owner, "Pepper")
    quiet_dog = make_dog(owner, "Biscuit")
    incident = make_incident(
        dog,
        timezone.now() - dt.timedelta(hours=3),
        signs=["trembling", "shaky_legs", "relaxed"],
        triggers=["thunder_fireworks"],
        location="walk",
        owner_activity="busy",
        owner_response="petted",
        outcome="settled",
        notes="Pressed against my knees during the storm.",
    )
    make_weight(dog, timezone.localdate() - dt.timedelta(days=40), "31.2", created_by=owner)
    weight = make_weight(dog, timezone.localdate(), "30.45", created_by=owner)
    sign_in(page, live_server.url, owner)
    path = SIGNED_IN_PAGES[name].format(
        dog=dog.pk, quiet_dog=quiet_dog.pk, incident=incident.pk, weight=weight.pk
    )
    response = page.goto(path)
    assert response is not None and response.status == 200
    open_folded_parts(page)
    screenshot(name)
    check_a11y(page)


@pytest.mark.parametrize("name", list(SIGNED_OUT_PAGES))
def test_it_passes_axe_on_a_signed_out_page(
    name: str, page: Page, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    response = page.goto(SIGNED_OUT_PAGES[name])
    assert response is not None and response.status == 200
    screenshot(name)
    check_a11y(page)


def test_it_passes_axe_on_the_sign_in_page_with_an_error(
    page: Page, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    make_owner("robin")
    page.goto("/accounts/login/")
    page.locator("[name=username]").fill("robin")
    page.locator("[name=password]").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    screenshot("login-error")
    check_a11y(page)


def test_it_passes_axe_on_the_lockout_page(
    page: Page, page_watch: PageWatch, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    # The lockout page answers 429, which Chromium reports on the console.
    page_watch.expect(r"status of 429 \(Too Many Requests\)")
    make_owner("robin")
    page.goto("/accounts/login/")
    for _ in range(5):
        page.locator("[name=username]").fill("robin")
        page.locator("[name=password]").fill("not-the-password")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"lock|paus|wait", re.IGNORECASE))
    screenshot("lockout")
    check_a11y(page)


def test_it_passes_axe_on_the_email_confirmation_page(
    page: Page, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    owner = make_owner("robin")
    owner.email = "robin@example.org"
    owner.save()
    page.goto(f"/accounts/settings/email/{make_token(owner)}/")
    expect(page.get_by_role("button", name="Confirm this address")).to_be_visible()
    screenshot("email-confirm")
    check_a11y(page)


def test_it_passes_axe_on_the_throttle_page(
    page: Page, page_watch: PageWatch, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    page_watch.expect(r"status of 429 \(Too Many Requests\)")
    # The live server shares this process's cache: use up the address's requests here.
    for _ in range(PASSWORD_RESET_PER_ADDRESS.limit):
        throttle.allow(PASSWORD_RESET_PER_ADDRESS, "127.0.0.1")
    page.goto("/accounts/password_reset/")
    page.locator("[name=email]").fill("someone@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slow down a little")
    screenshot("throttled")
    check_a11y(page)
