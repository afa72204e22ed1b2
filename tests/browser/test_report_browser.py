"""The pattern report in a real browser: charts drawn under the strict CSP, flags, tables, axe."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dogs.models import Dog
from tests.browser.conftest import BROWSER_TIME_ZONE, check_a11y, sign_in
from tests.helpers import make_dog, make_incident, make_owner

pytestmark = pytest.mark.browser

Screenshot = Callable[[str], Path]


def anxious_senior_journal() -> Dog:
    """Nine leans in three weeks from a senior dog: six trembling, two shaky, one knock-over.

    Frequent (3 a week) with trembling in 6 of 9 fires `anxiety`; a senior with two physical
    leans fires `vet_check`; a person knocked over fires `knock_over`.
    """
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    now = timezone.now()
    dog = make_dog(
        owner, "Pepper", size="large", birth_date=dt.date(2014, 6, 1), created_at=now - dt.timedelta(days=20)
    )
    for days_ago in (1, 3, 5, 8, 11, 14):
        make_incident(
            dog,
            now - dt.timedelta(days=days_ago, hours=2),
            intensity=4,
            signs=["trembling", "panting"],
            triggers=["thunder_fireworks"],
            owner_activity="relaxing",
        )
    for days_ago in (2, 9):
        make_incident(dog, now - dt.timedelta(days=days_ago, hours=5), signs=["shaky_legs"], location="walk")
    make_incident(dog, now - dt.timedelta(days=6, hours=8), outcome="knocked_over", owner_response="petted")
    return dog


@pytest.fixture
def report_page(page: Page, live_server: Any, transactional_db: None) -> Page:
    dog = anxious_senior_journal()
    sign_in(page, live_server.url, dog.owner)
    page.goto(f"/dogs/{dog.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pepper")
    return page


def test_it_draws_every_chart_with_chart_js(report_page: Page, screenshot: Screenshot) -> None:
    canvases = report_page.locator("main canvas")
    expect(canvases.first).to_be_visible()
    drawn = report_page.evaluate(
        """() => [...document.querySelectorAll("main canvas")].map((canvas) => {
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            return {
                id: canvas.id,
                chart: Chart.getChart(canvas) !== undefined,
                inked: pixels.some((value, index) => index % 4 === 3 && value > 0),
            };
        })"""
    )
    assert len(drawn) >= 2
    assert [canvas for canvas in drawn if not (canvas["chart"] and canvas["inked"])] == []
    screenshot("charts")


def test_it_shows_the_flags_most_serious_first(report_page: Page) -> None:
    flags = report_page.locator("[data-flag]")
    codes = flags.evaluate_all("items => items.map((item) => item.dataset.flag)")
    assert codes[0] == "vet_check"
    assert {"vet_check", "anxiety", "knock_over"} <= set(codes)
    anxiety = report_page.locator("[data-flag=anxiety]")
    expect(anxiety).to_contain_text("6 of 9 leans (67%) came with trembling")
    expect(anxiety.get_by_role("link")).to_have_attribute("href", re.compile(r"/incidents/\?.*ids="))


def test_it_puts_a_table_with_the_numbers_beside_every_chart(report_page: Page) -> None:
    chart_ids = report_page.locator("main canvas").evaluate_all("items => items.map((item) => item.id)")
    assert chart_ids
    for chart_id in chart_ids:
        table = report_page.locator(f"#table-{chart_id.removeprefix('chart-')}")
        expect(table.locator("caption")).to_have_count(1)
        assert table.locator("tbody tr").count() >= 1
    # The weekly table adds up to the journal's nine leans.
    weekly = report_page.locator("#table-weekly tbody tr td:nth-child(2)").all_text_contents()
    assert sum(int(count) for count in weekly) == 9


def test_it_passes_axe_with_the_numbers_open(report_page: Page, screenshot: Screenshot) -> None:
    report_page.evaluate("() => document.querySelectorAll('main details').forEach((d) => { d.open = true; })")
    screenshot("numbers-open")
    check_a11y(report_page)


def test_it_prints_on_at_most_two_pages_without_the_controls(
    report_page: Page, screenshot: Screenshot
) -> None:
    report_page.emulate_media(media="print")
    expect(report_page.get_by_role("button", name="Print for the vet")).to_be_hidden()
    screenshot("print")
    pdf = report_page.pdf(format="A4", print_background=True)
    assert 1 <= len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2
