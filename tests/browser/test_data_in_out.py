"""Data in and out in a real browser: the CSV import journey, the token page and the API docs under CSP."""

from __future__ import annotations

import pytest

from journal.models import Incident
from tests.browser.conftest import save_screenshot, sign_in
from tests.helpers import make_dog, make_owner

pytestmark = pytest.mark.browser

CSV = (
    "id,occurred_at,intensity,duration,posture,location,owner_activity,triggers,signs,owner_response,outcome,notes\r\n"
    "1,2026-03-01T08:15:00+00:00,3,short,backside,home,relaxing,thunder_fireworks,trembling,petted,settled,Storm\r\n"
    "2,2026-03-02T09:30:00+00:00,2,moment,side,walk,,,,,,\r\n"
)


def shot(page, viewport: str, name: str) -> None:
    save_screenshot(page, f"data-{name}-{viewport}")


def test_it_imports_a_csv_after_a_preview(page, live_server, viewport) -> None:
    owner = make_owner()
    dog = make_dog(owner)
    sign_in(page, live_server.url, owner)

    page.goto(f"/dogs/{dog.pk}/incidents/")
    page.get_by_role("link", name="Import").click()
    shot(page, viewport, "import-form")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "leans.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("2 new leans to add").wait_for()
    shot(page, viewport, "import-preview")
    page.get_by_role("button", name="Add 2 leans").click()

    page.get_by_text("Added 2 leans to Biscuit’s journal.").wait_for()
    assert Incident.objects.filter(dog=dog).count() == 2


def test_it_shows_bad_rows_by_line(page, live_server, viewport) -> None:
    owner = make_owner()
    dog = make_dog(owner)
    sign_in(page, live_server.url, owner)

    page.goto(f"/dogs/{dog.pk}/incidents/import/")
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "leans.csv", "mimeType": "text/csv", "buffer": CSV.replace("walk", "moon").encode()}]
    )
    page.get_by_role("button", name="Check the file").click()

    page.get_by_text("Location “moon” is not a place Leanlog knows.").wait_for()
    shot(page, viewport, "import-problems")
    assert not Incident.objects.exists()


def test_it_shows_a_new_token_once(page, live_server, viewport) -> None:
    owner = make_owner()
    sign_in(page, live_server.url, owner)

    page.goto("/accounts/tokens/")
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Make a token").click()

    assert page.locator("#new-token").inner_text().startswith("ll_")
    shot(page, viewport, "tokens")


def test_it_draws_the_api_docs_under_the_csp(page, live_server, viewport) -> None:
    page.goto("/api/docs")

    page.locator(".swagger-ui .info .title").wait_for()
    assert "Leanlog API" in page.locator(".swagger-ui .info .title").inner_text()
    shot(page, viewport, "api-docs")
