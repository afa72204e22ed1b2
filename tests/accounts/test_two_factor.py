"""The second factor: setting it up, recovery codes, signing in with a code, turning it off."""

from __future__ import annotations

import base64
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttle
from accounts.two_factor import second_factor
from dogs.models import Owner
from tests.helpers import PASSWORD, current_code, send_code, sign_in_password, text, turn_on

ADDRESS = "203.0.113.9"
PAGE = "/accounts/two-factor/"


def confirmed_email(owner: Owner) -> Owner:
    owner.email = "alice@example.com"
    owner.email_confirmed = True
    owner.save(update_fields=["email", "email_confirmed"])
    return owner


def recovery_codes_on(response) -> list[str]:
    from html.parser import HTMLParser

    class Codes(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0
            self.in_item = False
            self.codes: list[str] = []

        def handle_starttag(self, tag, attrs):
            if dict(attrs).get("id") == "recovery-codes":
                self.depth = 1
            elif self.depth and tag == "li":
                self.in_item = True
                self.codes.append("")

        def handle_endtag(self, tag):
            if tag == "li":
                self.in_item = False
            elif tag == "ul" and self.depth:
                self.depth = 0

        def handle_data(self, data):
            if self.in_item:
                self.codes[-1] += data.strip()

    parser = Codes()
    parser.feed(response.content.decode())
    return parser.codes


def secret_on(response) -> str:
    from html.parser import HTMLParser

    class Secret(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inside = False
            self.text = ""

        def handle_starttag(self, tag, attrs):
            self.inside = dict(attrs).get("id") == "totp-secret"

        def handle_endtag(self, tag):
            self.inside = False

        def handle_data(self, data):
            if self.inside:
                self.text += data.strip()

    parser = Secret()
    parser.feed(response.content.decode())
    return parser.text


# --- setting it up ---------------------------------------------------------------------------


def test_it_shows_the_secret_as_text_and_as_a_qr_code(owner_client, owner) -> None:
    response = owner_client.get(PAGE)

    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert response.status_code == 200
    assert secret_on(response) == base64.b32encode(device.bin_key).decode().rstrip("=")
    assert 'src="data:image/svg+xml' in response.content.decode()


def test_it_asks_for_the_apps_code_alone_while_there_are_no_recovery_codes(owner_client, owner) -> None:
    page = text(owner_client.get(PAGE))

    assert "The 6 digits your authenticator app shows now." in page
    assert "recovery code" not in page


def test_it_asks_a_stranger_to_sign_in_for_the_page(client, owner) -> None:
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_turns_on_with_the_first_code_and_shows_ten_recovery_codes_once(owner_client, owner) -> None:
    owner_client.get(PAGE)
    device = TOTPDevice.objects.get(user=owner)

    response = owner_client.post(PAGE, {"code": current_code(device)})

    codes = recovery_codes_on(response)
    assert response.status_code == 200
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=owner).values_list("token", flat=True)
    )
    assert second_factor.is_on(owner)
    assert recovery_codes_on(owner_client.get(PAGE)) == []


def test_it_refuses_a_wrong_first_code_and_stays_off(owner_client, owner) -> None:
    owner_client.get(PAGE)

    response = owner_client.post(PAGE, {"code": "000000"})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not second_factor.is_on(owner)
    assert not StaticToken.objects.exists()


def test_it_mails_a_confirmed_address_when_the_factor_goes_on(owner_client, owner) -> None:
    confirmed_email(owner)
    owner_client.get(PAGE)

    owner_client.post(PAGE, {"code": current_code(TOTPDevice.objects.get(user=owner))})

    assert [message.to for message in mail.outbox] == [["alice@example.com"]]
    assert "turned on" in mail.outbox[0].subject


def test_it_mails_no_unconfirmed_address(owner_client, owner) -> None:
    owner.email = "alice@example.com"
    owner.save(update_fields=["email"])
    owner_client.get(PAGE)

    owner_client.post(PAGE, {"code": current_code(TOTPDevice.objects.get(user=owner))})

    assert mail.outbox == []


def test_it_downloads_the_codes_just_shown_as_text(owner_client, owner) -> None:
    owner_client.get(PAGE)
    shown = recovery_codes_on(
        owner_client.post(PAGE, {"code": current_code(TOTPDevice.objects.get(user=owner))})
    )

    response = owner_client.post(reverse("two-factor-codes-download"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "attachment" in response["Content-Disposition"]
    assert all(code in response.content.decode() for code in shown)


def test_it_downloads_no_codes_that_were_not_just_shown(owner, client) -> None:
    turn_on(owner)
    client.force_login(owner)

    assert client.post(reverse("two-factor-codes-download")).status_code == 404


def test_it_makes_new_recovery_codes_with_a_code(owner, client) -> None:
    device, old = turn_on(owner)
    client.force_login(owner)

    response = client.post(PAGE, {"action": "renew", "renew-code": current_code(device)})

    new = recovery_codes_on(response)
    assert len(new) == 10
    assert not set(new) & set(old)
    assert sorted(second_factor.unused_recovery_codes(owner)) == sorted(new)


# --- signing in ------------------------------------------------------------------------------


def test_it_asks_for_the_code_after_the_right_password_and_signs_in_no_one(owner, client) -> None:
    turn_on(owner)

    response = sign_in_password(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor-sign-in")
    assert "_auth_user_id" not in client.session


def test_it_signs_in_with_the_right_code(owner, client) -> None:
    device, _ = turn_on(owner)
    sign_in_password(client, next="/accounts/settings/")

    response = send_code(client, current_code(device))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/"
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.get("/accounts/settings/").status_code == 200


def test_it_signs_in_without_a_code_when_the_factor_is_off(owner, client) -> None:
    response = sign_in_password(client)

    assert response["Location"] == reverse("dogs:home")
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_it_takes_a_recovery_code_once(owner) -> None:
    _, codes = turn_on(owner)
    first = Client()
    sign_in_password(first)
    assert send_code(first, codes[0]).status_code == 302
    second = Client()
    sign_in_password(second)

    response = send_code(second, codes[0])

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert "_auth_user_id" not in second.session
    assert len(second_factor.unused_recovery_codes(owner)) == 9


def test_it_counts_a_wrong_code_as_a_failed_sign_in(owner) -> None:
    turn_on(owner)
    client = Client(REMOTE_ADDR=ADDRESS)
    sign_in_password(client)

    send_code(client, "123456")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("alice", 1)


def test_it_locks_out_after_five_wrong_codes(owner) -> None:
    device, _ = turn_on(owner)
    client = Client(REMOTE_ADDR=ADDRESS)
    sign_in_password(client)
    for _ in range(4):
        assert send_code(client, "123456").status_code == 200

    assert send_code(client, "123456").status_code == 429
    response = send_code(client, current_code(device))

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_pauses_codes_from_an_address_past_the_sign_in_limit(owner) -> None:
    device, _ = turn_on(owner)
    client = Client(REMOTE_ADDR=ADDRESS)
    sign_in_password(client)
    for number in range(throttle.SIGN_IN_PER_ADDRESS.limit):
        Client(REMOTE_ADDR=ADDRESS).post(reverse("login"), {"username": f"guess{number}", "password": "x"})

    response = send_code(client, current_code(device))

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_forgets_a_pending_sign_in_after_five_minutes(owner, client, monkeypatch) -> None:
    device, _ = turn_on(owner)
    sign_in_password(client)
    later = time.time() + second_factor.PENDING_SECONDS + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    response = send_code(client, current_code(device))

    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_it_sends_the_code_page_to_sign_in_without_a_password_first(client) -> None:
    response = client.get(reverse("two-factor-sign-in"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_it_still_asks_for_the_code_after_a_password_reset(owner, client) -> None:
    turn_on(owner)
    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    url = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(owner)])
    form_url = client.get(url)["Location"]
    new_password = "qx7!bm2Lpz-new"

    client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert "_auth_user_id" not in client.session
    response = sign_in_password(client, password=new_password)

    assert response["Location"] == reverse("two-factor-sign-in")
    assert "_auth_user_id" not in client.session


# --- turning it off --------------------------------------------------------------------------


@pytest.fixture
def on_client(owner) -> tuple[Client, TOTPDevice]:
    device, _ = turn_on(owner)
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(owner)
    return client, device


def turn_off(client: Client, password: str, code: str):
    return client.post(PAGE, {"action": "off", "off-password": password, "off-code": code})


def test_it_turns_off_with_the_password_and_a_code(on_client, owner) -> None:
    client, device = on_client
    confirmed_email(owner)

    response = turn_off(client, PASSWORD, current_code(device))

    assert response.status_code == 302
    assert not second_factor.is_on(owner)
    assert not StaticToken.objects.exists()
    assert "turned off" in mail.outbox[0].subject
    assert sign_in_password(Client())["Location"] == reverse("dogs:home")


def test_it_stays_on_with_a_wrong_password_and_counts_it(on_client, owner) -> None:
    client, device = on_client

    response = turn_off(client, "a-wrong-guess", current_code(device))

    assert "That is not your password." in response.content.decode()
    assert second_factor.is_on(owner)
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_it_stays_on_with_a_wrong_code_and_counts_it(on_client, owner) -> None:
    client, _ = on_client

    response = turn_off(client, PASSWORD, "123456")

    assert "That code is not right" in response.content.decode()
    assert second_factor.is_on(owner)
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_it_refuses_to_turn_off_while_locked_out(on_client, owner) -> None:
    client, device = on_client
    for _ in range(5):
        turn_off(client, "a-wrong-guess", "123456")

    response = turn_off(client, PASSWORD, current_code(device))

    assert response.status_code == 429
    assert second_factor.is_on(owner)
