"""Passkeys in a real browser, with Chromium's virtual authenticator standing in for the phone's."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from dogs.models import Owner
from tests.browser.conftest import check_a11y, save_screenshot, sign_in
from tests.browser.test_journeys import Fingers, sign_out
from tests.browser.test_tap_targets import small_targets
from tests.helpers import PASSWORD, make_owner, turn_on

# Each test holds its own virtual authenticator: a context each.
pytestmark = [pytest.mark.browser, pytest.mark.fresh_context]


def shoot(page: Page, step: str) -> None:
    save_screenshot(page, f"passkeys-{step}")


def virtual_authenticator(page: Page) -> tuple[Any, str]:
    """A platform authenticator that holds passkeys and checks the person (as a fingerprint would)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def code_for(secret: str) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_it_adds_a_passkey_signs_in_with_it_alone_and_as_second_factor_then_removes_it(
    page: Page, viewport: str, live_server: Any
) -> None:
    fingers = Fingers(viewport)
    cdp, authenticator = virtual_authenticator(page)

    # Sign up, then turn on the authenticator app.
    page.goto("/accounts/signup/")
    page.locator("[name=username]").fill("robin")
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD)
    fingers.press(page.get_by_role("button", name="Create account"))
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto("/accounts/two-factor/")
    shoot(page, "1-setup")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("[name=code]").fill(code_for(secret))
    fingers.press(page.get_by_role("button", name="Turn it on"))
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    shoot(page, "2-recovery-codes")

    # Add a passkey, named.
    page.goto("/accounts/two-factor/")
    name = page.locator("[data-passkey-name]")
    expect(name).to_be_visible()
    shoot(page, "3-manage-no-passkey")
    check_a11y(page)
    name.fill("Robin’s phone")
    fingers.press(page.get_by_role("button", name="Add a passkey"))
    expect(page.locator("#passkeys li")).to_have_count(1)
    expect(page.locator("#passkeys")).to_contain_text("Robin’s phone")
    expect(page.locator("#passkeys")).to_contain_text("not used yet")
    shoot(page, "4-passkey-added")
    check_a11y(page)
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1

    # Sign out, then in with the passkey alone: no username, no password.
    sign_out(page, fingers, "robin")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    # Nothing of the signed-in pages still on its way (the service worker's fetches included):
    # a late answer for the old session once left the passkey's new one unused on a busy machine.
    page.wait_for_load_state("networkidle")
    passkey_button = page.get_by_role("button", name="Sign in with a passkey")
    expect(passkey_button).to_be_visible()
    shoot(page, "5-sign-in")
    check_a11y(page)
    fingers.press(passkey_button)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Add your first dog")).to_be_visible()

    # Sign out, then the password and the passkey as the second factor.
    sign_out(page, fingers, "robin")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state("networkidle")
    page.locator("[name=username]").fill("robin")
    page.locator("[name=password]").fill(PASSWORD)
    fingers.press(page.get_by_role("button", name="Sign in", exact=True))
    expect(page).to_have_url(f"{live_server.url}/accounts/two-factor/code/")
    use_passkey = page.get_by_role("button", name="Use a passkey instead")
    expect(use_passkey).to_be_visible()
    shoot(page, "6-code-step")
    check_a11y(page)
    fingers.press(use_passkey)
    expect(page).to_have_url(f"{live_server.url}/")
    # As after signing out: let the home page's own requests end before leaving it, so that no
    # late answer of the code step's session lands after the signed-in one on a busy machine.
    page.wait_for_load_state("networkidle")

    # Rename it, then remove it with the password.
    page.goto("/accounts/two-factor/")
    expect(page.locator("#passkeys")).to_contain_text("last used")
    fingers.press(page.get_by_text("Rename or remove"))
    check_a11y(page)
    assert small_targets(page) == []
    rename = page.locator("#passkeys form").filter(has=page.locator("[name=action][value=rename]"))
    rename.get_by_role("textbox").fill("Robin’s old phone")
    fingers.press(rename.get_by_role("button", name="Rename"))
    expect(page.locator("#passkeys")).to_contain_text("Robin’s old phone")
    fingers.press(page.get_by_text("Rename or remove"))
    remove = page.locator("#passkeys form").filter(has=page.locator("[name=action][value=remove]"))
    remove.get_by_label("Your password").fill(PASSWORD)
    shoot(page, "7-remove")
    fingers.press(remove.get_by_role("button", name="Remove this passkey"))
    expect(page.get_by_text("No passkeys yet.")).to_be_visible()
    shoot(page, "8-removed")
    assert not Owner.objects.get(username="robin").webauthncredential_set.exists()


def test_it_sends_a_numbered_address_to_localhost_for_a_passkey(page: Page, live_server: Any) -> None:
    """make run prints http://127.0.0.1:…, where browsers make no passkeys: the page says why and where."""
    owner = make_owner("numbers")
    turn_on(owner)
    numbered = live_server.url.replace("localhost", "127.0.0.1")
    sign_in(page, numbered, owner)
    page.goto(numbered + "/accounts/two-factor/")

    expect(page.locator("[data-passkey-unsupported]")).to_be_hidden()
    note = page.locator("[data-passkey-numeric-address]")
    expect(note).to_contain_text("not at a numbered one")
    expect(note.get_by_role("link")).to_have_attribute("href", live_server.url + "/accounts/two-factor/")
