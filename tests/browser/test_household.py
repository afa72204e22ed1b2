"""The household and the vet's link in a real browser: invite a partner, see their lean, share, revoke."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dogs.models import Role
from journal.models import Incident
from sharing.models import VetNote
from tests.browser.conftest import check_a11y, sign_in
from tests.helpers import PASSWORD, make_dog, make_owner

pytestmark = pytest.mark.browser


def test_it_invites_a_partner_who_logs_a_lean_and_lets_a_vet_leave_a_note(
    page: Page, viewport: str, live_server: Any, browser: Any
) -> None:
    owner = make_owner("alice")
    dog = make_dog(owner, "Juniper")
    sign_in(page, live_server.url, owner)

    # The owner makes an invitation link for a carer.
    page.goto(f"/dogs/{dog.pk}/people/")
    page.select_option("#invite-role", Role.CARER)
    page.get_by_role("button", name="Make an invitation link").click()
    link = page.input_value("#invite-link")
    check_a11y(page)

    # The partner opens it signed out, makes an account, lands back on it and accepts.
    partner = browser.new_context(base_url=live_server.url, viewport=page.viewport_size)
    other = partner.new_page()
    other.goto(link)
    expect(other.locator("main")).to_contain_text("Juniper")
    other.locator("main").get_by_role("link", name="Create an account").click()
    other.fill("#id_username", "bob")
    other.fill("#id_password1", PASSWORD)
    other.fill("#id_password2", PASSWORD)
    other.press("#id_password2", "Enter")
    other.get_by_role("button", name="Accept as bob").click()
    other.goto(f"/dogs/{dog.pk}/incidents/new/")
    other.get_by_role("button", name="Save lean").click()
    expect(other.locator("main")).to_contain_text("Saved")
    partner.close()

    # The owner sees the partner's lean with their name.
    page.goto(f"/dogs/{dog.pk}/incidents/")
    expect(page.locator("main")).to_contain_text("Logged by bob")
    assert Incident.objects.get(dog=dog).logged_by.username == "bob"

    # The owner makes a vet link; the vet opens it with no account and leaves a note.
    page.goto(f"/dogs/{dog.pk}/shares/")
    page.get_by_role("button", name="Make the link").click()
    share = page.input_value("#share-link")
    vet_context = browser.new_context(viewport=page.viewport_size)
    vet = vet_context.new_page()
    vet.goto(share)
    expect(vet.locator("[data-verdict]")).to_be_visible()
    vet.fill("input[name=author]", "Dr Okafor")
    vet.fill("textarea[name=text]", "Hips look fine; keep logging.")
    vet.get_by_role("button", name="Send the note").click()
    expect(vet.locator("main")).to_contain_text("the family will see your note")
    assert VetNote.objects.get().author == "Dr Okafor"

    # The family sees it under "From the vet"; once revoked the link shows nothing.
    page.goto(f"/dogs/{dog.pk}/")
    expect(page.locator("main")).to_contain_text("Hips look fine; keep logging.")
    page.goto(f"/dogs/{dog.pk}/shares/")
    page.get_by_role("button", name="Revoke").click()
    assert vet.goto(share).status == 404
    vet_context.close()
