"""Passkeys: adding, naming and removing them, and signing in with one alone or as the second factor."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import throttle
from accounts.two_factor import passkeys, second_factor
from dogs.models import Owner
from tests.accounts.authenticator import SoftPasskey, b64url
from tests.helpers import (
    PASSWORD,
    current_code,
    make_owner,
    select,
    send_code,
    sign_in_password,
    text,
    turn_on,
)

ADDRESS = "203.0.113.7"
PAGE = "/accounts/two-factor/"


def post_json(client: Client, name: str, body: dict | None = None, query: str = ""):
    return client.post(reverse(name) + query, body or {}, content_type="application/json")


def verified_client(owner: Owner) -> Client:
    """Signed in with the password and a code from the app, as adding a passkey requires."""
    device, _ = turn_on(owner)
    client = Client(REMOTE_ADDR=ADDRESS)
    sign_in_password(client, owner.username)
    send_code(client, current_code(device))
    return client


def add_passkey(client: Client, key: SoftPasskey, name: str = "Sam’s phone"):
    options = post_json(client, "passkey-register-begin").json()
    return post_json(client, "passkey-register-complete", {**key.create(options), "name": name})


def use_passkey(client: Client, key: SoftPasskey, tamper: bool = False, at_code_step: bool = False):
    begin, complete = (
        ("two-factor-passkey-begin", "two-factor-passkey-complete")
        if at_code_step
        else ("passkey-sign-in-begin", "passkey-sign-in-complete")
    )
    options = post_json(client, begin).json()
    return post_json(client, complete, key.get(options, tamper=tamper))


@pytest.fixture
def passkey(owner: Owner) -> SoftPasskey:
    """Alice's passkey, added from a session that signed in with the app's code."""
    key = SoftPasskey()
    assert add_passkey(verified_client(owner), key).status_code == 200
    return key


def failures(owner: Owner) -> int:
    return sum(
        AccessAttempt.objects.filter(username=owner.username).values_list("failures_since_start", flat=True)
    )


def confirmed_email(owner: Owner) -> Owner:
    owner.email = "alice@example.com"
    owner.email_confirmed = True
    owner.save(update_fields=["email", "email_confirmed"])
    return owner


# --- adding, naming, removing ------------------------------------------------------------------


def test_it_adds_a_named_passkey_and_lists_it(owner, passkey) -> None:
    client = Client()
    client.force_login(owner)

    response = client.get(PAGE)

    credential = WebAuthnCredential.objects.get(user=owner)
    assert credential.name == "Sam’s phone"
    (item,) = select(response, "#passkeys li")
    assert "Sam’s phone" in item.text
    assert "Added" in item.text and "not used yet" in item.text


def test_it_names_a_passkey_sent_without_a_name_by_its_number(owner) -> None:
    assert add_passkey(verified_client(owner), SoftPasskey(), name="").status_code == 200

    assert WebAuthnCredential.objects.get(user=owner).name == "Passkey 1"


def test_it_adds_no_passkey_before_the_app_is_on(owner_client) -> None:
    response = post_json(owner_client, "passkey-register-begin")

    assert response.status_code == 403
    assert response.json()["code"] == "app_first"


def test_it_adds_no_passkey_for_a_session_that_never_typed_a_code(owner) -> None:
    turn_on(owner)
    client = Client()
    client.force_login(owner)

    response = post_json(client, "passkey-register-begin")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("Sign out and in again with your code")
    assert not WebAuthnCredential.objects.exists()


def test_it_sends_anonymous_visitors_from_adding_a_passkey_to_sign_in(client, db) -> None:
    response = post_json(client, "passkey-register-begin")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_mails_a_confirmed_address_when_a_passkey_is_added(owner) -> None:
    confirmed_email(owner)

    add_passkey(verified_client(owner), SoftPasskey())

    (message,) = [m for m in mail.outbox if "passkey" in m.subject]
    assert message.subject == "A passkey was added to your Leanlog account"
    assert "Sam’s phone" in message.body


def test_it_renames_a_passkey(owner, passkey) -> None:
    client = Client()
    client.force_login(owner)
    credential = WebAuthnCredential.objects.get(user=owner)

    response = client.post(
        PAGE, {"action": "rename", "passkey": credential.pk, f"rename-{credential.pk}-name": "Old phone"}
    )

    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.name == "Old phone"


def test_it_refuses_a_name_with_a_line_break(owner, passkey) -> None:
    client = Client()
    client.force_login(owner)
    credential = WebAuthnCredential.objects.get(user=owner)

    response = client.post(
        PAGE, {"action": "rename", "passkey": credential.pk, f"rename-{credential.pk}-name": "Old\nphone"}
    )

    assert response.status_code == 200
    assert "one line" in text(response)
    credential.refresh_from_db()
    assert credential.name == "Sam’s phone"


def remove(client: Client, credential: WebAuthnCredential, password: str = PASSWORD):
    return client.post(
        PAGE, {"action": "remove", "passkey": credential.pk, f"remove-{credential.pk}-password": password}
    )


def test_it_removes_a_passkey_with_the_password_and_mails(owner, passkey) -> None:
    confirmed_email(owner)
    client = Client()
    client.force_login(owner)

    response = remove(client, WebAuthnCredential.objects.get(user=owner))

    assert response.status_code == 302
    assert not WebAuthnCredential.objects.filter(user=owner).exists()
    assert mail.outbox[-1].subject == "A passkey was removed from your Leanlog account"


def test_it_keeps_a_passkey_on_a_wrong_password_and_counts_it(owner, passkey) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(owner)

    response = remove(client, WebAuthnCredential.objects.get(user=owner), "not-the-password")

    assert response.status_code == 200
    assert "That is not your password." in text(response)
    assert WebAuthnCredential.objects.filter(user=owner).exists()
    assert failures(owner) == 1


def test_it_answers_404_for_a_strangers_passkey(owner, passkey, stranger) -> None:
    credential = WebAuthnCredential.objects.get(user=owner)
    turn_on(stranger)
    client = Client()
    client.force_login(stranger)

    renamed = client.post(
        PAGE, {"action": "rename", "passkey": credential.pk, f"rename-{credential.pk}-name": "Mine"}
    )
    removed = remove(client, credential)

    assert renamed.status_code == removed.status_code == 404
    credential.refresh_from_db()
    assert credential.name == "Sam’s phone"


def test_it_removes_the_passkeys_when_the_factor_goes_off(owner, passkey) -> None:
    second_factor.turn_off(owner)

    assert not WebAuthnCredential.objects.filter(user=owner).exists()
    assert not second_factor.is_on(owner)


# --- signing in with a passkey alone -----------------------------------------------------------


def test_it_signs_in_with_a_passkey_alone(owner, passkey) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)

    response = use_passkey(client, passkey)

    assert response.status_code == 200
    assert response.json()["redirect_url"] == reverse("dogs:home")
    assert client.session["_auth_user_id"] == str(owner.pk)
    # Signed in with a second factor: the admin would let staff in.
    assert client.session[DEVICE_ID_SESSION_KEY].startswith("django_otp_webauthn")
    assert WebAuthnCredential.objects.get(user=owner).last_used_at is not None


def test_it_goes_where_the_sign_in_page_was_asked_for(owner, passkey) -> None:
    client = Client()
    options = post_json(client, "passkey-sign-in-begin").json()

    response = post_json(client, "passkey-sign-in-complete", passkey.get(options), query="?next=/dogs/new/")

    assert response.json()["redirect_url"] == "/dogs/new/"


def test_it_asks_the_browser_to_check_the_person_for_a_passkey_alone(db) -> None:
    options = post_json(Client(), "passkey-sign-in-begin").json()

    assert options["userVerification"] == "required"
    assert options["rpId"] == "localhost"


def test_it_refuses_a_passkey_whose_check_of_the_person_was_skipped(owner, passkey) -> None:
    passkey.verified = False
    client = Client()

    response = use_passkey(client, passkey)

    assert response.status_code == 422
    assert "_auth_user_id" not in client.session


def test_it_counts_a_failed_passkey_as_a_failed_sign_in(owner, passkey) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)

    response = use_passkey(client, passkey, tamper=True)

    assert response.status_code == 422
    assert "_auth_user_id" not in client.session
    assert failures(owner) == 1


def test_it_refuses_a_passkey_while_the_account_is_locked_out(owner, passkey) -> None:
    for _ in range(5):
        sign_in_password(Client(REMOTE_ADDR=ADDRESS), password="wrong-password")
    client = Client(REMOTE_ADDR=ADDRESS)

    response = use_passkey(client, passkey)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_pauses_passkeys_from_an_address_past_the_sign_in_limit(owner, passkey) -> None:
    for number in range(throttle.SIGN_IN_PER_ADDRESS.limit):
        Client(REMOTE_ADDR=ADDRESS).post(reverse("login"), {"username": f"guess{number}", "password": "x"})
    client = Client(REMOTE_ADDR=ADDRESS)

    response = use_passkey(client, passkey)

    assert response.status_code == 429
    assert response.json()["code"] == "paused"
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_unknown_passkey(owner, passkey) -> None:
    client = Client()

    response = use_passkey(client, SoftPasskey())

    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


# --- a passkey at the code step --------------------------------------------------------------


def test_it_takes_a_passkey_in_place_of_the_code(owner, passkey) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    sign_in_password(client, next="/dogs/new/")

    response = use_passkey(client, passkey, at_code_step=True)

    assert response.status_code == 200
    assert response.json()["redirect_url"] == "/dogs/new/"
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.get(reverse("two-factor-sign-in")).status_code == 302


def test_it_offers_the_passkey_at_the_code_step(owner, passkey) -> None:
    client = Client()
    sign_in_password(client)

    response = client.get(reverse("two-factor-sign-in"))

    (box,) = select(response, "[data-passkey=sign-in]")
    assert box.get("data-begin") == reverse("two-factor-passkey-begin")


def test_it_offers_the_person_their_own_passkeys_at_the_code_step(owner, passkey) -> None:
    client = Client()
    sign_in_password(client)

    options = post_json(client, "two-factor-passkey-begin").json()

    assert [c["id"] for c in options["allowCredentials"]] == [b64url(passkey.credential_id)]


def test_it_refuses_someone_elses_passkey_at_the_code_step(owner, passkey, stranger) -> None:
    strangers_key = SoftPasskey()
    add_passkey(verified_client(stranger), strangers_key)
    client = Client(REMOTE_ADDR=ADDRESS)
    sign_in_password(client)

    response = use_passkey(client, strangers_key, at_code_step=True)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert failures(owner) == 1


def test_it_refuses_the_code_step_passkey_without_a_password_first(owner, passkey) -> None:
    client = Client()

    response = post_json(client, "two-factor-passkey-begin")

    assert response.status_code == 403
    assert response.json()["code"] == "sign_in_again"


def test_it_counts_a_passkey_as_a_second_factor(owner) -> None:
    WebAuthnCredential.objects.create(
        user=owner, name="Key", credential_id=b"x" * 16, public_key=b"k", sign_count=0
    )

    assert second_factor.is_on(owner)
    assert sign_in_password(Client())["Location"] == reverse("two-factor-sign-in")


def test_it_lets_staff_who_signed_in_with_a_passkey_into_the_admin(owner, passkey) -> None:
    owner.is_staff = owner.is_superuser = True
    owner.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    use_passkey(client, passkey)

    assert client.get(reverse("admin:index")).status_code == 200


# --- the relying party -----------------------------------------------------------------------


def test_it_gives_passkeys_to_the_site_urls_host(settings) -> None:
    settings.ALLOWED_HOSTS = ["leanlog.example"]
    settings.OTP_WEBAUTHN_RP_ID = "leanlog.example"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://leanlog.example"]
    request = RequestFactory().get("/", HTTP_HOST="leanlog.example", secure=True)

    assert passkeys.relying_party_id(request) == "leanlog.example"
    assert passkeys.allowed_origins(request) == ["https://leanlog.example"]


def test_it_gives_a_browser_on_localhost_its_own_origin(settings) -> None:
    settings.ALLOWED_HOSTS = ["localhost"]
    request = RequestFactory().get("/", HTTP_HOST="localhost:51234")

    assert passkeys.relying_party_id(request) == "localhost"
    assert passkeys.allowed_origins(request) == ["http://localhost:51234"]


# --- a setup left half done ------------------------------------------------------------------


def test_it_keeps_one_unconfirmed_authenticator_per_person(owner_client, owner) -> None:
    TOTPDevice.objects.create(user=owner, name="Authenticator app", confirmed=False)
    TOTPDevice.objects.create(user=owner, name="Authenticator app", confirmed=False)

    owner_client.get(PAGE)
    owner_client.get(PAGE)

    assert TOTPDevice.objects.filter(user=owner).count() == 1


def test_it_keeps_the_secret_of_a_setup_across_reloads(owner_client, owner) -> None:
    owner_client.get(PAGE)
    first = TOTPDevice.objects.get(user=owner)

    owner_client.get(PAGE)

    assert TOTPDevice.objects.get(user=owner).pk == first.pk


def test_it_replaces_a_setup_abandoned_for_a_day(owner_client, owner) -> None:
    old = TOTPDevice.objects.create(user=owner, name="Authenticator app", confirmed=False)
    TOTPDevice.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=1, minutes=1))

    owner_client.get(PAGE)

    (device,) = TOTPDevice.objects.filter(user=owner)
    assert device.pk != old.pk and device.key != old.key


def test_it_leaves_no_unconfirmed_authenticator_once_the_app_is_on(db) -> None:
    person = make_owner("bob")
    TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=False)

    turn_on(person)

    assert list(TOTPDevice.objects.filter(user=person).values_list("confirmed", flat=True)) == [True]


def test_it_answers_a_form_post_to_adding_a_passkey_without_an_error_page(owner) -> None:
    client = verified_client(owner)
    post_json(client, "passkey-register-begin")

    response = client.post(reverse("passkey-register-complete"), {"name": "x", "id": "y"})

    assert response.status_code in {400, 422}
    assert not WebAuthnCredential.objects.exists()


def test_it_lists_passkeys_in_the_admin_for_the_operator(owner, passkey) -> None:
    owner.is_staff = owner.is_superuser = True
    owner.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    use_passkey(client, passkey)

    response = client.get(reverse("admin:django_otp_webauthn_webauthncredential_changelist"))

    assert response.status_code == 200
    assert "Sam’s phone" in response.content.decode()
