"""What helped, on a phone: log an event from the dog's page, see it ongoing, read its before and after."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dogs.models import Dog
from tests.browser.conftest import BROWSER_TIME_ZONE, check_a11y, save_screenshot, sign_in
from tests.helpers import make_dog, make_incident, make_owner, make_weight

pytestmark = pytest.mark.browser

Screenshot = Callable[[str], Path]
ZONE = zoneinfo.ZoneInfo(BROWSER_TIME_ZONE)
# The medication began this many days ago: 21 days on each side of it in the 30-day report.
STARTED_DAYS_AGO = 20


def first_screen(page: Page, name: str) -> None:
    """What the phone shows right now (not the whole page), as tests/screenshots/events-<name>.png."""
    save_screenshot(page, f"events-{name}", full_page=False)


def shaky_senior() -> Dog:
    """A senior with a shaky lean every day for three weeks, then one every fourth day."""
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    today = timezone.localdate(timezone.now(), ZONE)
    dog = make_dog(
        owner,
        "Ruby",
        size="large",
        birth_date=dt.date(2014, 6, 1),
        created_at=timezone.now() - dt.timedelta(days=60),
    )
    for days_ago in range(STARTED_DAYS_AGO + 1, STARTED_DAYS_AGO + 22):
        day = today - dt.timedelta(days=days_ago)
        make_incident(dog, dt.datetime.combine(day, dt.time(8, 30), tzinfo=ZONE), signs=["shaky_legs"])
    for days_ago in range(STARTED_DAYS_AGO, 0, -4):
        day = today - dt.timedelta(days=days_ago)
        make_incident(dog, dt.datetime.combine(day, dt.time(8, 30), tzinfo=ZONE), signs=["shaky_legs"])
    # A slow loss of weight: 5.8% in two months, a note.
    make_weight(dog, today - dt.timedelta(days=60), "30.6")
    make_weight(dog, today - dt.timedelta(days=2), "28.8")
    return dog


def test_it_logs_an_event_from_the_dog_page_and_reads_its_before_and_after(
    page: Page, live_server: Any, screenshot: Screenshot
) -> None:
    dog = shaky_senior()
    started_on = timezone.localdate(timezone.now(), ZONE) - dt.timedelta(days=STARTED_DAYS_AGO)
    sign_in(page, live_server.url, dog.owner)

    page.goto(f"/dogs/{dog.pk}/")
    page.get_by_role("link", name="Started something new?").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Started something new?")
    page.get_by_label("What kind of thing").select_option("medication")
    page.get_by_label("What it is").fill("Meloxicam once a day")
    page.get_by_label("Started on").fill(started_on.isoformat())
    screenshot("event-form")
    first_screen(page, "event-form")
    check_a11y(page)
    page.get_by_role("button", name="Save").tap()
    expect(page.locator(".alert-dismissible")).to_contain_text(
        "Added to Ruby’s timeline: Meloxicam once a day"
    )

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Ruby").tap()
    ongoing = page.locator("#ongoing-events li")
    expect(ongoing).to_have_count(1)
    expect(ongoing).to_contain_text("Meloxicam once a day")
    expect(ongoing).to_contain_text("Medication since")
    expect(page.locator("#weight-change")).to_contain_text("Down 1.8 kg (5.8%) from 30.6 kg")
    expect(page.locator('[data-note="weight_loss"]')).to_contain_text("Weight down 5.8% in 90 days")
    screenshot("dog-page")
    page.locator("#timeline").evaluate("(element) => element.scrollIntoView()")
    first_screen(page, "dog-page-timeline")
    check_a11y(page)

    page.get_by_role("link", name="Report", exact=True).tap()
    item = page.locator("#report-events [data-event]")
    expect(item).to_have_attribute("data-change", "fewer")
    expect(item).to_contain_text("Since “Meloxicam once a day” began")
    expect(item).to_contain_text("Other things may have changed too.")
    # The weekly chart marks the start at its week, and names it under the chart.
    expect(page.locator("#weekly-starts line")).to_have_count(1)
    expect(page.locator("#weekly-start-list")).to_contain_text("Meloxicam once a day began")
    mark = page.locator("#weekly-starts text").bounding_box()
    plot = page.locator(".ll-weekly-plot").bounding_box()
    assert mark is not None and plot is not None
    assert plot["x"] < mark["x"] and mark["x"] + mark["width"] < plot["x"] + plot["width"]
    screenshot("report")
    page.locator("#report-events").evaluate("(element) => element.scrollIntoView()")
    first_screen(page, "report-before-after")
    page.locator("#weekly-title").evaluate("(element) => element.scrollIntoView()")
    first_screen(page, "report-weekly-chart")
    check_a11y(page)


def test_it_stores_a_weighing_once_when_save_is_tapped_twice(page: Page, live_server: Any) -> None:
    """A double tap sends the form twice: the second submit waits for the first page."""
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    dog = make_dog(owner, "Ruby")
    sign_in(page, live_server.url, owner)
    page.goto(f"/dogs/{dog.pk}/")
    page.fill("#weight-kg", "31.5")
    with page.expect_navigation():
        sent = page.evaluate(
            """() => {
                const form = document.querySelector("#weight-kg").form;
                const sent = [];
                // Added after the page's own listener: it sees what that one decided.
                form.addEventListener("submit", (event) => sent.push(!event.defaultPrevented));
                form.requestSubmit();
                form.requestSubmit();
                return sent;
            }"""
        )
    assert sent == [True, False]
    expect(page.locator("#weight-latest")).to_have_text("31.5 kg")
    assert list(dog.weights.values_list("weight_kg", flat=True)) == [Decimal("31.5")]


def test_it_gives_each_shown_add_form_an_id_of_its_own(page: Page, live_server: Any) -> None:
    """The page's script makes the id itself: a dog page kept by the phone for offline use, or
    shown again from the browser's memory, would otherwise send an id already used, and the
    server would take the new weighing for a repeat of the old one and drop it."""
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    dog = make_dog(owner, "Ruby")
    sign_in(page, live_server.url, owner)
    served = page.goto(f"/dogs/{dog.pk}/").text()
    shown = page.locator("#weight [name=client_id]").input_value()

    assert shown and f'value="{shown}"' not in served
    page.fill("#weight-kg", "31.5")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the weight").click()
    expect(page.locator("#weight-latest")).to_have_text("31.5 kg")
    assert str(dog.weights.get().client_id) == shown
    # The next weighing, from the page the first one led to, is a new one.
    page.fill("#weight-kg", "31.0")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the weight").click()
    assert dog.weights.count() == 2
