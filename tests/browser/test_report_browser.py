"""The pattern report in a real browser: charts drawn under the strict CSP, flags, tables, axe."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dogs.models import Dog
from journal.models import CheckIn, FlagAcknowledgement
from tests.browser.conftest import BROWSER_TIME_ZONE, check_a11y, sign_in
from tests.helpers import make_dog, make_event, make_incident, make_owner, make_share

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


def test_it_draws_the_charts_without_scripts(browser: Any, live_server: Any, transactional_db: None) -> None:
    dog = anxious_senior_journal()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    sign_in(page, live_server.url, dog.owner)
    page.goto(f"/dogs/{dog.pk}/report/")
    columns = page.locator("#chart-weekly rect.ll-column")
    assert columns.count() >= 3
    assert (
        max(
            float(height)
            for height in columns.evaluate_all("items => items.map((i) => i.getAttribute('height'))")
        )
        > 50
    )
    expect(page.locator("#chart-signs li")).to_have_count(3)
    context.close()


def test_it_shows_the_flags_most_serious_first(report_page: Page) -> None:
    flags = report_page.locator("[data-flag]")
    codes = flags.evaluate_all("items => items.map((item) => item.dataset.flag)")
    assert codes[0] == "vet_check"
    assert {"vet_check", "anxiety", "knock_over"} <= set(codes)
    anxiety = report_page.locator("[data-flag=anxiety]")
    expect(anxiety).to_contain_text("6 of 9 leans (67%) came with trembling")
    expect(anxiety.get_by_role("link")).to_have_attribute("href", re.compile(r"/incidents/\?.*ids="))


@pytest.mark.both_viewports
def test_it_puts_a_table_with_the_numbers_beside_every_chart(report_page: Page) -> None:
    chart_ids = report_page.locator("main [id^=chart-]").evaluate_all("items => items.map((item) => item.id)")
    assert chart_ids
    for chart_id in chart_ids:
        table = report_page.locator(f"#table-{chart_id.removeprefix('chart-')}")
        expect(table.locator("caption")).to_have_count(1)
        assert table.locator("tbody tr").count() >= 1
    # The weekly table adds up to the journal's nine leans.
    weekly = report_page.locator("#table-weekly tbody tr td:nth-child(2)").all_text_contents()
    assert sum(int(count) for count in weekly) == 9


def test_it_keeps_the_heat_maps_hours_inside_their_column_on_a_phone(
    page: Page, live_server: Any, transactional_db: None
) -> None:
    dog = anxious_senior_journal()
    # A tenth lean: the map of hours and weekdays shows from ten.
    make_incident(dog, timezone.now() - dt.timedelta(days=3, hours=1))
    sign_in(page, live_server.url, dog.owner)
    page.goto(f"/dogs/{dog.pk}/report/")
    # A fixed table takes its columns' widths from its first row: the hours ("21–24") ran into Monday.
    sizes = page.locator("#table-heat tbody th").evaluate_all(
        "cells => cells.map((cell) => [cell.scrollWidth, cell.clientWidth])"
    )
    assert len(sizes) == 8
    assert all(needed <= shown for needed, shown in sizes), sizes


@pytest.mark.both_viewports
def test_it_passes_axe_with_the_numbers_open(report_page: Page, screenshot: Screenshot) -> None:
    report_page.evaluate("() => document.querySelectorAll('main details').forEach((d) => { d.open = true; })")
    screenshot("numbers-open")
    check_a11y(report_page)


def hip_supplement(dog: Dog) -> None:
    """An event ten days ago in the owner's zone: the report compares the days either side."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(BROWSER_TIME_ZONE))
    make_event(dog, today - dt.timedelta(days=10), title="Hip supplement", kind="supplement")


def printed_words(page: Page, tmp_path: Path) -> str:
    """The page printed to A4, as pdftotext reads it, every run of spaces and line breaks one space."""
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(printed.split())


def test_it_prints_every_row_and_the_leans_behind_the_flags(
    report_page: Page, screenshot: Screenshot, tmp_path: Path
) -> None:
    hip_supplement(Dog.objects.get(name="Pepper"))
    report_page.reload()
    report_page.emulate_media(media="print")
    expect(report_page.get_by_role("button", name="Print for the vet")).to_be_hidden()
    screenshot("print")
    pdf = tmp_path / "report.pdf"
    report_page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    printed = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = printed.count("\f")
    assert 1 <= pages <= 3
    # Every row of the breakdown tables, folded away on screen, is on paper.
    for sign in ("Trembling", "Panting", "Shaky legs"):
        assert sign in printed
    assert "Thunder or fireworks" in printed
    # The leans behind the flags, with their dates, and a footer with the dog and the page.
    assert "The leans behind the flags" in printed
    assert re.search(r"\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d", printed)
    assert f"Page 1 of {pages}" in printed
    assert printed.count("Pepper · leaning report") == pages
    # The before and after of the event, its sentence whole.
    sentence = report_page.locator("#report-events [data-event] > p").inner_text()
    assert sentence.startswith("Since “Hip supplement” began on")
    assert " ".join(sentence.split()) in printed_words(report_page, tmp_path)


def test_it_prints_the_vets_copy_with_the_before_and_after_said_of_the_family(
    page: Page, live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    dog = anxious_senior_journal()
    hip_supplement(dog)
    _, token = make_share(dog)
    page.goto(f"{live_server.url}/share/{token}/")
    page.emulate_media(media="print")

    printed = printed_words(page, tmp_path)

    assert "Before and after" in printed
    assert "Since “Hip supplement” began on" in printed
    assert "the family needs to check in on" in printed
    assert "Leave a note for the family" not in printed


def test_it_prints_the_charts_one_above_the_other_across_the_page(report_page: Page) -> None:
    report_page.emulate_media(media="print")
    widths = report_page.evaluate(
        "() => ['weekly-title', 'heat-title'].map((id) => document.getElementById(id).closest('section'))"
        ".map((chart) => Math.round(100 * chart.getBoundingClientRect().width"
        " / chart.parentElement.clientWidth))"
    )
    assert widths == [100, 100]


def test_it_prints_the_page_footers_in_the_body_font(report_page: Page, tmp_path: Path) -> None:
    report_page.emulate_media(media="print")
    pdf = tmp_path / "report.pdf"
    report_page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # The margin boxes ("Page 1 of 2", the dog and the period) fell back to the browser's serif.
    assert "Serif" not in fonts
    assert "Times" not in fonts


def test_it_prints_the_dogs_notes_and_a_handled_flag(
    page: Page, live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    dog = anxious_senior_journal()
    dog.notes = "Hip x-ray clear in 2024; hates the car."
    dog.save(update_fields=["notes"])
    FlagAcknowledgement.objects.create(
        dog=dog, code="knock_over", note="we taught a settle cue", on=timezone.localdate()
    )
    sign_in(page, live_server.url, dog.owner)
    page.goto(f"/dogs/{dog.pk}/report/")
    page.emulate_media(media="print")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Hip x-ray clear in 2024; hates the car." in printed
    assert "we taught a settle cue" in printed


def test_it_passes_axe_on_the_vets_copy_with_a_before_and_after(
    page: Page, live_server: Any, transactional_db: None, screenshot: Screenshot
) -> None:
    dog = anxious_senior_journal()
    hip_supplement(dog)
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(BROWSER_TIME_ZONE))
    CheckIn.objects.bulk_create(CheckIn(dog=dog, date=today - dt.timedelta(days=n)) for n in range(21))
    _, token = make_share(dog)
    page.goto(f"{live_server.url}/share/{token}/")

    expect(page.locator("#report-events table")).to_have_count(1)
    # On the phone too, the vet reads who the dog is: its age, size and weight are not hidden.
    expect(page.locator(".ll-report-dog")).to_be_visible()
    expect(page.locator(".ll-report-dog")).to_contain_text("Senior")
    screenshot("vet-before-after")
    check_a11y(page)
