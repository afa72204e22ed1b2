"""An owner's journeys in a real browser, on a phone and a desktop, checked by axe-core on every page."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from dogs.models import Dog, Owner
from journal.models import Incident
from tests.browser.conftest import BROWSER_TIME_ZONE, check_a11y, sign_in
from tests.helpers import PASSWORD, make_dog, make_owner

pytestmark = pytest.mark.browser

Screenshot = Callable[[str], Path]
TOKYO = zoneinfo.ZoneInfo(BROWSER_TIME_ZONE)


class Fingers:
    """Presses controls the way the device would (tap on a phone, click on a desktop) and counts them."""

    def __init__(self, viewport: str) -> None:
        self.viewport = viewport
        self.count = 0

    def press(self, control: Locator) -> None:
        self.count += 1
        if self.viewport == "phone":
            control.tap()
        else:
            control.click()


def look(page: Page, screenshot: Screenshot, step: str) -> None:
    """Save the page for the lead to look at and hold it to WCAG 2.1 AA."""
    screenshot(step)
    check_a11y(page)


def sign_out(page: Page, fingers: Fingers, username: str) -> None:
    if fingers.viewport == "phone":
        fingers.press(page.get_by_role("button", name="Open the menu"))
    fingers.press(page.get_by_role("button", name=username))
    fingers.press(page.get_by_role("button", name="Sign out"))


@pytest.mark.both_viewports
def test_it_signs_up_adds_a_dog_logs_a_lean_in_two_taps_and_signs_out(
    page: Page, viewport: str, live_server: Any, screenshot: Screenshot
) -> None:
    fingers = Fingers(viewport)
    page.goto("/accounts/signup/")
    look(page, screenshot, "1-signup")
    page.locator("[name=username]").fill("robin")
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD)
    fingers.press(page.get_by_role("button", name="Create account"))

    expect(page).to_have_url(f"{live_server.url}/")
    # The browser's zone became the owner's zone without them choosing it.
    assert Owner.objects.get(username="robin").time_zone == BROWSER_TIME_ZONE
    add_first_dog = page.get_by_role("link", name="Add your first dog")
    expect(add_first_dog).to_be_visible()
    look(page, screenshot, "2-home-empty")

    fingers.press(add_first_dog)
    expect(page).to_have_url(f"{live_server.url}/dogs/new/")
    look(page, screenshot, "3-dog-form")
    page.locator("[name=name]").fill("Pepper")
    page.locator("[name=size]").select_option("large")
    page.locator("[name=birth_date]").fill("2019-05-01")
    fingers.press(page.get_by_role("button", name="Add dog"))

    expect(page).to_have_url(re.compile(r"/dogs/\d+/$"))
    dog = Dog.objects.get(owner__username="robin")
    assert (dog.name, dog.size, dog.birth_date) == ("Pepper", "large", dt.date(2019, 5, 1))
    assert page.url == f"{live_server.url}/dogs/{dog.pk}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Pepper")
    look(page, screenshot, "4-dog-page")

    # Logging a plain lean: "Log a lean", then "Save", and nothing else.
    fingers.count = 0
    fingers.press(page.get_by_role("link", name="Log a lean", exact=True))
    expect(page).to_have_url(f"{live_server.url}/dogs/{dog.pk}/incidents/new/")
    look(page, screenshot, "5-incident-form")
    fingers.press(page.get_by_role("button", name="Save lean"))

    # Saving lands on the journal with the new lean on top.
    expect(page).to_have_url(re.compile(rf"/dogs/{dog.pk}/incidents/#incident-\d+$"))
    assert fingers.count == 2
    lean = Incident.objects.get(dog=dog)
    assert timezone.now() - lean.occurred_at < dt.timedelta(minutes=5)
    # Only the time was noted: nothing else is guessed.
    assert (lean.intensity, lean.duration, lean.location, lean.signs) == (None, "", "", [])
    entry = page.locator(f"#incident-{lean.pk}")
    expect(entry).to_be_visible()
    # Shown in the owner's zone, the one the browser gave at sign-up.
    expect(entry.locator("time")).to_have_text(timezone.localtime(lean.occurred_at, TOKYO).strftime("%H:%M"))
    look(page, screenshot, "6-journal")

    sign_out(page, fingers, "robin")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    look(page, screenshot, "7-signed-out")
    # Signed out, the home page is the welcome page again; the journal asks for a sign-in.
    page.goto("/")
    expect(page.get_by_role("heading", name="Why does my dog lean on me?")).to_be_visible()
    page.goto("/dogs/new/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dogs/new/$"))


def test_it_moves_focus_to_the_main_content_from_the_skip_link(
    page: Page, live_server: Any, transactional_db: None
) -> None:
    owner = make_owner("robin")
    make_dog(owner, "Pepper")
    sign_in(page, live_server.url, owner)
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    # Hidden until focused, then shown: a sighted keyboard user must see where they are.
    box = skip_link.bounding_box()
    assert box is not None and box["width"] > 40 and box["height"] > 20
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def field_message(page: Page, name: str) -> Locator:
    """The error message next to a field: the closest block around it that holds one."""
    control = page.locator(f"[name={name}]").first
    return control.locator("xpath=ancestor::*[.//*[contains(@class, 'invalid-feedback')]][1]").locator(
        ".invalid-feedback"
    )


@pytest.mark.both_viewports
def test_it_logs_a_lean_with_signs_a_place_and_notes_shown_as_text(
    page: Page, viewport: str, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    fingers = Fingers(viewport)
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    dog = make_dog(owner, "Pepper")
    sign_in(page, live_server.url, owner)
    page.goto("/")
    look(page, screenshot, "1-home")
    fingers.press(page.get_by_role("link", name="Log a lean for Pepper"))

    expect(page).to_have_url(f"{live_server.url}/dogs/{dog.pk}/incidents/new/")
    fingers.press(page.get_by_label("Trembling"))
    fingers.press(page.get_by_label("Panting"))
    # The place is a row of chips: the label is what a finger lands on.
    fingers.press(page.locator("label", has_text=re.compile(r"^On a walk$")))
    fingers.press(page.get_by_role("button", name=re.compile(r"More details")))
    page.locator("[name=notes]").fill("Stared at the <b>bold?</b> heron")
    look(page, screenshot, "2-incident-form-filled")
    fingers.press(page.get_by_role("button", name="Save lean"))

    expect(page).to_have_url(re.compile(rf"/dogs/{dog.pk}/incidents/#incident-\d+$"))
    lean = Incident.objects.get(dog=dog)
    assert (sorted(lean.signs), lean.location) == (["panting", "trembling"], "walk")
    assert lean.notes == "Stared at the <b>bold?</b> heron"
    entry = page.locator(f"#incident-{lean.pk}")
    expect(entry).to_contain_text("Trembling")
    expect(entry).to_contain_text("Panting")
    expect(entry).to_contain_text("On a walk")
    expect(entry).to_contain_text("Stared at the <b>bold?</b> heron")
    expect(entry.locator("b")).to_have_count(0)
    look(page, screenshot, "3-journal")

    fingers.press(page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Pepper"))
    expect(page).to_have_url(f"{live_server.url}/dogs/{dog.pk}/")
    expect(page.locator("main")).to_contain_text("Trembling")
    look(page, screenshot, "4-dog-page-with-a-lean")


def test_it_refuses_a_lean_in_the_future_next_to_the_time_and_saves_nothing(
    page: Page, viewport: str, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    fingers = Fingers(viewport)
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    dog = make_dog(owner, "Pepper")
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/incidents/new/")
    day_after_tomorrow = timezone.localtime(timezone.now(), TOKYO) + dt.timedelta(days=2)
    page.locator("[name=occurred_at]").fill(day_after_tomorrow.strftime("%Y-%m-%dT%H:%M"))
    fingers.press(page.get_by_label("Trembling"))
    fingers.press(page.get_by_role("button", name="Save lean"))

    expect(field_message(page, "occurred_at")).to_contain_text("in the future")
    expect(page.locator("[name=occurred_at]")).to_have_attribute("aria-invalid", "true")
    # Everything else the owner entered is still there.
    expect(page.get_by_label("Trembling")).to_be_checked()
    assert not Incident.objects.exists()
    look(page, screenshot, "incident-form-error")


def test_it_refuses_a_dog_born_in_the_future_next_to_the_birth_date_and_saves_nothing(
    page: Page, viewport: str, live_server: Any, screenshot: Screenshot, transactional_db: None
) -> None:
    fingers = Fingers(viewport)
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    sign_in(page, live_server.url, owner)
    page.goto("/dogs/new/")
    page.locator("[name=name]").fill("Pepper")
    page.locator("[name=size]").select_option("small")
    next_year = timezone.localdate(timezone.now(), TOKYO) + dt.timedelta(days=365)
    birth_date = page.locator("[name=birth_date]")
    birth_date.fill(next_year.isoformat())
    # The date picker itself refuses it first...
    assert birth_date.evaluate("input => input.validity.rangeOverflow")
    # ...and the server must too, for a browser that does not check.
    page.locator("#main form").evaluate("form => { form.noValidate = true; }")
    fingers.press(page.get_by_role("button", name="Add dog"))

    expect(field_message(page, "birth_date")).to_have_text("The birth date cannot be in the future.")
    expect(birth_date).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[name=name]")).to_have_value("Pepper")
    assert not Dog.objects.exists()
    look(page, screenshot, "dog-form-error")


def test_it_says_how_many_signs_and_triggers_a_phone_row_could_not_show(page: Page, live_server: Any) -> None:
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    dog = make_dog(owner, "Pepper")
    Incident.objects.create(
        dog=dog,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        signs=["trembling", "panting", "lip_licking", "tail_tucked", "pacing"],
        triggers=["thunder_fireworks", "loud_noise"],
    )
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/incidents/")
    page.wait_for_load_state("load")

    badges = page.locator(".ll-lean .ll-badges")
    seen = badges.evaluate(
        """(list) => {
            const top = list.children[0].offsetTop;
            const shown = [...list.children].filter((item) => item.offsetTop <= top
                && !item.classList.contains("visually-hidden") && !item.classList.contains("ll-badge-more"));
            const more = list.querySelector(".ll-badge-more");
            return {
                shown: shown.length,
                more: more && more.textContent,
                moreOnTheLine: more && more.offsetTop <= top,
            };
        }"""
    )
    # Seven answers on a 390 px row: some do not fit, and the row says how many.
    assert seen["more"] == f"+{7 - seen['shown']}" and seen["moreOnTheLine"], seen
    # Every answer stays for a screen reader.
    assert badges.locator("li:not(.ll-badge-more)").count() == 7
