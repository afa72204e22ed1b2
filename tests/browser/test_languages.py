"""Leanlog in German and Spanish in a real browser: choosing a language, and a browser that speaks one."""

from __future__ import annotations

import datetime as dt
import subprocess
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dogs.models import Owner
from journal.models import Incident
from tests.browser.conftest import BROWSER_TIME_ZONE, check_a11y, sign_in
from tests.browser.test_journeys import field_message
from tests.helpers import make_dog, make_owner

pytestmark = pytest.mark.browser

Screenshot = Callable[[str], Path]
TOKYO = zoneinfo.ZoneInfo(BROWSER_TIME_ZONE)


@pytest.fixture
def viewport() -> str:
    """A phone: where German's long words have the least room."""
    return "phone"


def test_it_switches_to_german_in_settings_and_refuses_bad_input_in_german(
    page: Page, live_server: Any, screenshot: Screenshot, tmp_path: Path
) -> None:
    owner = make_owner("robin", time_zone=BROWSER_TIME_ZONE)
    dog = make_dog(owner, "Pepper")
    sign_in(page, live_server.url, owner)

    page.goto("/accounts/settings/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language", exact=True).select_option(label="Deutsch")
    page.get_by_role("button", name="Save settings").click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("button", name="Einstellungen speichern")).to_be_visible()
    assert Owner.objects.get(pk=owner.pk).language == "de"
    # The scripts speak German too: their catalogue came with the page (it runs at the page's end).
    page.wait_for_load_state()
    assert page.evaluate("() => gettext('Copied')") == "Kopiert"

    page.goto(f"/dogs/{dog.pk}/incidents/new/")
    later = timezone.localtime(timezone.now(), TOKYO) + dt.timedelta(days=2)
    page.locator("[name=occurred_at]").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Speichern").click()
    expect(field_message(page, "occurred_at")).to_contain_text("in der Zukunft")
    assert not Incident.objects.exists()
    # German's long sign names ("Gewichtsverlagerung") break inside their box, not past the screen.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]
    check_a11y(page)
    screenshot("lean-form-error-de")

    # Paper too: the page numbers at the foot of each printed page are German.
    page.goto(f"/dogs/{dog.pk}/report/")
    page.emulate_media(media="print")
    pdf = tmp_path / "bericht.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Seite 1 von 1" in printed and "Page 1" not in printed


def test_it_speaks_the_visitors_browser_language_before_anyone_signs_in(
    browser: Any, live_server: Any
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="es-ES", timezone_id=BROWSER_TIME_ZONE)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto("/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("button", name="Iniciar sesión", exact=True)).to_be_visible()
        assert page.evaluate("() => gettext('Copied')") == "Copiado"
        assert errors == []
    finally:
        context.close()
