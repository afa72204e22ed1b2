"""Leanlog in the pocket, on a phone-sized Chromium: installable, offline quick-log, one lean per tap, dark.

The service worker is real (served at /sw.js by the live server); "offline" is the browser's own
network switch (context.set_offline), so the page, the worker and the outbox see what a phone sees.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from playwright.sync_api import Page, expect

from demo.story import DEMO_USERNAME
from dogs.models import Dog, Theme
from journal.models import Incident
from tests.browser.conftest import BROWSER_TIME_ZONE, PageWatch, check_a11y, sign_in
from tests.helpers import add_member, make_dog, make_incident, make_owner

# Issue 10: a journal you can scan, at least this many leans on the first phone screen.
LEANS_ON_THE_FIRST_SCREEN = 10

pytestmark = pytest.mark.browser
# The tests where the network goes away, or the service worker must start from nothing, take a
# browser context of their own.
fresh_context = pytest.mark.fresh_context

Screenshot = Callable[[str], Path]
# Requests the browser reports as failed while the test has switched the network off on purpose.
OFFLINE_FAILURES = r"ERR_INTERNET_DISCONNECTED|ERR_NAME_NOT_RESOLVED|ERR_FAILED"
# A request cut short because the page moved on (the outbox run, or Save sending the phone to the
# dog's page while its icons were still loading).
LEFT_BEHIND = r"ERR_ABORTED"


@pytest.fixture
def viewport() -> str:
    """These journeys are about phones: one run, 390 by 844, touch."""
    return "phone"


@pytest.fixture
def owner(transactional_db: None) -> Any:
    return make_owner("robin", time_zone=BROWSER_TIME_ZONE)


def wait_until(page: Page, script: str, what: str) -> None:
    """Poll a script with evaluate (wait_for_function polls by evaluating a string: the CSP forbids it)."""
    for _ in range(100):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"Never true: {what}")


def wait_for_worker(page: Page) -> None:
    wait_until(
        page,
        "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)",
        "the service worker controls the page",
    )


def wait_until_kept(page: Page, path: str) -> None:
    """Until the service worker has the page in its cache, ready for a walk with no signal."""
    # wait_for_function does not wait for a promise, so poll with evaluate, which does.
    for _ in range(100):
        if page.evaluate(
            "async (path) => !!(await caches.match(new URL(path, location.href).href,"
            " {cacheName: 'leanlog-pages', ignoreVary: true}))",
            path,
        ):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"The service worker never kept {path}")


def wait_for_leans(page: Page, count: int) -> None:
    for _ in range(150):
        if Incident.objects.count() >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{Incident.objects.count()} leans arrived, not {count}")


@fresh_context
def test_it_installs_a_service_worker_that_controls_the_page(
    page: Page, live_server: Any, owner: Any
) -> None:
    dog = make_dog(owner, "Pepper")
    sign_in(page, live_server.url, owner)

    page.goto(f"/dogs/{dog.pk}/")
    wait_for_worker(page)

    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == f"{live_server.url}/"


@fresh_context
def test_it_meets_the_install_criteria(page: Page, live_server: Any, owner: Any) -> None:
    dog = make_dog(owner, "Pepper")
    sign_in(page, live_server.url, owner)
    page.goto("/")
    wait_for_worker(page)

    manifest = page.evaluate(
        """async () => {
            const link = document.querySelector('link[rel=manifest]');
            const response = await fetch(link.href, {credentials: 'include'});
            return {type: response.headers.get('content-type'), body: await response.json()};
        }"""
    )

    assert manifest["type"] == "application/manifest+json"
    body = manifest["body"]
    assert body["display"] == "standalone" and body["start_url"] == "/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in body["icons"]}
    assert body["shortcuts"][0]["url"] == f"/dogs/{dog.pk}/incidents/new/"
    assert body["shortcuts"][0]["name"] == "Log a lean for Pepper"


def test_it_offers_to_install_when_the_phone_can(page: Page, live_server: Any, owner: Any) -> None:
    sign_in(page, live_server.url, owner)
    page.goto("/")
    hint = page.locator("#install-hint")
    expect(hint).to_be_hidden()

    # Headless Chromium never offers installation itself: hand the page the event a phone would.
    page.evaluate(
        """() => {
            const offer = new Event("beforeinstallprompt", {cancelable: true});
            offer.prompt = () => { window.promptShown = true; };
            offer.userChoice = Promise.resolve({outcome: "accepted"});
            window.dispatchEvent(offer);
        }"""
    )
    expect(hint).to_be_visible()
    hint.get_by_role("button", name="Install").click()

    assert page.evaluate("window.promptShown") is True
    expect(hint).to_be_hidden()


@fresh_context
def test_it_sends_a_lean_logged_offline_exactly_once_after_reconnecting(
    page: Page, live_server: Any, owner: Any, page_watch: PageWatch, screenshot: Screenshot
) -> None:
    page_watch.expect(OFFLINE_FAILURES)
    page_watch.expect(LEFT_BEHIND)
    dog = make_dog(owner, "Pepper")
    form = f"/dogs/{dog.pk}/incidents/new/"
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/")
    wait_for_worker(page)
    wait_until_kept(page, form)
    wait_until_kept(page, f"/dogs/{dog.pk}/")

    page.context.set_offline(True)
    page.goto(form)
    expect(page.get_by_role("heading", name="Pepper leaned on you")).to_be_visible()
    page.get_by_role("button", name="Save lean").click()

    status = page.locator("#outbox-status")
    expect(status).to_contain_text("1 lean waiting to be sent.")
    expect(status).to_contain_text("as soon as this phone is back online")
    assert page.url.endswith(f"/dogs/{dog.pk}/")
    # The dog's page, from the phone's cache.
    expect(page.get_by_role("heading", name="Pepper", exact=True)).to_be_visible()
    screenshot("offline-waiting")
    assert not Incident.objects.exists()

    page.context.set_offline(False)
    expect(status).to_contain_text("Sent 1 lean saved while offline.", timeout=15_000)
    screenshot("back-online")
    page.get_by_role("link", name="Show this page as it is now").click()
    expect(page.get_by_text("No leans logged yet.")).to_have_count(0)
    expect(page.get_by_text("lean logged in all", exact=True)).to_be_visible()

    lean = Incident.objects.get()
    assert lean.dog == dog
    assert lean.client_id is not None


@fresh_context
def test_it_keeps_a_lean_whose_post_fails_although_the_phone_thinks_it_is_online(
    page: Page, live_server: Any, owner: Any, page_watch: PageWatch
) -> None:
    # "Lie-fi": the browser says online, the post never arrives; the service worker keeps the lean.
    page_watch.expect(OFFLINE_FAILURES)
    page_watch.expect(LEFT_BEHIND)
    dog = make_dog(owner, "Pepper")
    form = f"/dogs/{dog.pk}/incidents/new/"
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/")
    wait_for_worker(page)
    wait_until_kept(page, form)
    wait_until_kept(page, f"/dogs/{dog.pk}/")
    page.goto(form)
    page.evaluate("() => Object.defineProperty(navigator, 'onLine', {get: () => true})")

    page.context.set_offline(True)
    page.get_by_role("button", name="Save lean").click()
    page.wait_for_url(f"**/dogs/{dog.pk}/")

    expect(page.locator("#outbox-status")).to_contain_text("1 lean waiting to be sent.")
    page.context.set_offline(False)
    page.goto("/")

    # Sent by the page or by the worker's background sync, whichever comes first: once.
    wait_for_leans(page, 1)
    expect(page.locator("#outbox-status")).not_to_contain_text("waiting")
    page.reload()
    assert Incident.objects.count() == 1


@fresh_context
def test_it_counts_two_leans_waiting_in_the_plural(
    page: Page, live_server: Any, owner: Any, page_watch: PageWatch
) -> None:
    page_watch.expect(OFFLINE_FAILURES)
    page_watch.expect(LEFT_BEHIND)
    dog = make_dog(owner, "Pepper")
    form = f"/dogs/{dog.pk}/incidents/new/"
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/")
    wait_for_worker(page)
    wait_until_kept(page, form)

    page.context.set_offline(True)
    for _ in range(2):
        page.goto(form)
        page.get_by_role("button", name="Save lean").click()
        page.wait_for_url(f"**/dogs/{dog.pk}/")

    expect(page.locator("#outbox-status")).to_contain_text("2 leans waiting to be sent.")
    page.context.set_offline(False)
    expect(page.locator("#outbox-status")).to_contain_text("Sent 2 leans", timeout=15_000)
    assert Incident.objects.count() == 2


@fresh_context
def test_it_keeps_the_outbox_until_the_owner_signs_in_again(
    page: Page, live_server: Any, owner: Any, page_watch: PageWatch
) -> None:
    page_watch.expect(OFFLINE_FAILURES)
    page_watch.expect(LEFT_BEHIND)
    dog = make_dog(owner, "Pepper")
    form = f"/dogs/{dog.pk}/incidents/new/"
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/")
    wait_for_worker(page)
    wait_until_kept(page, form)
    page.context.set_offline(True)
    page.goto(form)
    page.get_by_role("button", name="Save lean").click()
    page.wait_for_url(f"**/dogs/{dog.pk}/")

    # The session ends while the phone is offline; the connection comes back.
    page.context.clear_cookies()
    page.context.set_offline(False)
    page.goto("/accounts/login/")

    status = page.locator("#outbox-status")
    expect(status).to_contain_text("1 lean waiting to be sent.")
    expect(status).to_contain_text("sign in again")
    assert not Incident.objects.exists()

    sign_in(page, live_server.url, owner)
    page.goto("/")
    expect(status).to_contain_text("Sent 1 lean saved while offline.", timeout=15_000)
    assert Incident.objects.count() == 1


@fresh_context
def test_it_keeps_a_lean_for_the_account_that_saved_it(
    page: Page, live_server: Any, owner: Any, page_watch: PageWatch
) -> None:
    # A shared phone: robin saves a lean offline and signs out; sam, who cares for the same dog, signs in.
    page_watch.expect(OFFLINE_FAILURES)
    page_watch.expect(r"status of 409")  # the server's refusal to file robin's lean under sam
    page_watch.expect(LEFT_BEHIND)
    # The test takes the cookies away while online: an outbox run between its read of the form and
    # its post then posts with no CSRF cookie (403) and tries again later, as after a sign-out.
    page_watch.expect(r"status of 403 \(Forbidden\) \(\S+/incidents/new/\)")
    dog = make_dog(owner, "Pepper")
    sam = make_owner("sam", time_zone=BROWSER_TIME_ZONE)
    add_member(dog, sam, "carer")
    form = f"/dogs/{dog.pk}/incidents/new/"
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/")
    wait_for_worker(page)
    wait_until_kept(page, form)
    wait_until_kept(page, f"/dogs/{dog.pk}/")
    page.context.set_offline(True)
    page.goto(form)
    page.get_by_role("button", name="Save lean").click()
    page.wait_for_url(f"**/dogs/{dog.pk}/")

    page.context.clear_cookies()
    page.context.set_offline(False)
    sign_in(page, live_server.url, sam)
    page.goto("/")

    status = page.locator("#outbox-status")
    expect(status).to_contain_text("saved by another account on this phone", timeout=15_000)
    assert not Incident.objects.exists()

    page.context.clear_cookies()
    sign_in(page, live_server.url, owner)
    page.goto("/")
    expect(status).to_contain_text("Sent 1 lean saved while offline.", timeout=15_000)
    assert Incident.objects.get().logged_by == owner


def test_it_stores_one_lean_for_a_double_tap_on_save(page: Page, live_server: Any, owner: Any) -> None:
    dog = make_dog(owner, "Pepper")
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/incidents/new/")

    page.get_by_role("button", name="Save lean").dblclick()
    page.wait_for_url(f"**/dogs/{dog.pk}/incidents/#incident-*")

    assert Incident.objects.count() == 1


def test_it_stores_one_lean_when_the_same_form_is_sent_twice(
    page: Page, live_server: Any, owner: Any
) -> None:
    # Past the button's guard (a retry, a replayed request): the client_id keeps it to one lean.
    # One after the other: the test server's in-memory SQLite cannot take two writes at once
    # (tests/trust/test_concurrency.py sends them together to gunicorn).
    dog = make_dog(owner, "Pepper")
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/incidents/new/")

    urls = page.evaluate(
        """async () => {
            const body = new URLSearchParams(new FormData(document.querySelector('form.ll-lean-form')));
            const send = () => fetch(location.href, {method: 'POST', body, credentials: 'same-origin'});
            const first = await send();
            const second = await send();
            return [first.url, second.url];
        }"""
    )

    assert urls[0] == urls[1] == f"{live_server.url}/dogs/{dog.pk}/incidents/"
    assert Incident.objects.count() == 1


def test_it_shows_ten_leans_on_the_first_phone_screen(
    page: Page, live_server: Any, transactional_db: None, screenshot: Screenshot
) -> None:
    call_command("load_demo", stdout=io.StringIO())
    dog = Dog.objects.annotate(leans=Count("incidents")).order_by("-leans").first()
    assert dog.leans >= 25
    sign_in(page, live_server.url, dog.owner)
    assert dog.owner.username == DEMO_USERNAME

    page.goto(f"/dogs/{dog.pk}/incidents/")

    # Rows counted whole: a row cut by the bottom of the screen is not one the owner can read.
    bottoms = page.evaluate(
        "() => [...document.querySelectorAll('article.ll-lean')]"
        ".map((row) => row.getBoundingClientRect().bottom)"
    )
    height = page.viewport_size["height"]
    assert height == 844
    screenshot("journal-first-screen")
    on_screen = sum(bottom <= height for bottom in bottoms)
    assert on_screen >= LEANS_ON_THE_FIRST_SCREEN, f"{on_screen} leans fit on the first screen"


DARK_PAGES = {
    "home": "/",
    "dog": "/dogs/{dog}/",
    "lean-form": "/dogs/{dog}/incidents/new/",
    "journal": "/dogs/{dog}/incidents/",
    "report": "/dogs/{dog}/report/?days=30",
    "settings": "/accounts/settings/",
    "people": "/dogs/{dog}/people/",
    "vet-links": "/dogs/{dog}/shares/",
    "dog-edit": "/dogs/{dog}/edit/",
}


@pytest.mark.parametrize("name", list(DARK_PAGES))
def test_it_passes_axe_in_dark_mode(
    name: str, page: Page, live_server: Any, owner: Any, screenshot: Screenshot
) -> None:
    dog = make_dog(owner, "Pepper", size="large", birth_date=dt.date(2015, 1, 1))
    for hours in (3, 27, 51, 75, 99):
        make_incident(
            dog,
            timezone.now() - dt.timedelta(hours=hours),
            signs=["trembling", "shaky_legs", "relaxed", "scooting", "looks_back"],
            triggers=["thunder_fireworks"],
            owner_activity="busy",
            intensity=4 if hours % 2 else 5,
        )
    sign_in(page, live_server.url, owner)
    page.emulate_media(color_scheme="dark")

    page.goto(DARK_PAGES[name].format(dog=dog.pk))

    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"
    check_a11y(page)
    screenshot(f"dark-{name}")


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_it_passes_axe_with_the_undeliverable_reminder_warning(
    theme: str, page: Page, live_server: Any, owner: Any, screenshot: Screenshot
) -> None:
    owner.theme, owner.reminder_time = theme, dt.time(19, 30)
    owner.save(update_fields=["theme", "reminder_time"])
    sign_in(page, live_server.url, owner)

    page.goto("/accounts/settings/")

    expect(page.locator("#id_reminder_time_warning")).to_contain_text("No reminder can reach you yet")
    check_a11y(page)
    screenshot(f"settings-warning-{theme}")


def test_it_passes_axe_on_the_welcome_page_in_dark_mode(
    page: Page, live_server: Any, transactional_db: None
) -> None:
    make_owner("demo")
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"
    check_a11y(page)


def test_it_follows_the_owners_choice_over_the_device(page: Page, live_server: Any, owner: Any) -> None:
    owner.theme = Theme.LIGHT
    owner.save(update_fields=["theme"])
    sign_in(page, live_server.url, owner)
    page.emulate_media(color_scheme="dark")

    page.goto("/")

    assert page.evaluate("document.documentElement.dataset.bsTheme") == "light"


def test_it_prints_in_light_even_in_dark_mode(page: Page, live_server: Any, owner: Any) -> None:
    owner.theme = Theme.DARK
    owner.save(update_fields=["theme"])
    sign_in(page, live_server.url, owner)
    page.goto("/")
    assert page.evaluate("document.documentElement.dataset.bsTheme") == "dark"

    page.emulate_media(media="print")

    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
