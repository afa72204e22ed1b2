"""Sign-in protection: lockout after five wrong passwords, strong passwords, rotating sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from dogs.models import Owner
from tests.helpers import PASSWORD, make_owner

ATTACKER = "203.0.113.5"
HOME = "198.51.100.7"


def sign_in(client: Client, username: str, password: str, **headers: str):
    return client.post(reverse("login"), {"username": username, "password": password}, **headers)


def fail(client: Client, times: int, username: str = "alice", **headers: str):
    response = None
    for _ in range(times):
        response = sign_in(client, username, "not-the-password", **headers)
    return response


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def age_attempts(by: dt.timedelta) -> None:
    """Pretend the failed attempts happened earlier instead of waiting for real."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= by
        attempt.save(update_fields=["attempt_time"])


# --- lockout -----------------------------------------------------------------------------


def test_it_lets_four_wrong_passwords_through_with_a_message(client, owner) -> None:
    response = fail(client, 4)

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_it_locks_a_username_after_five_wrong_passwords(client, owner) -> None:
    response = fail(client, 5)

    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()


def test_it_says_when_to_try_again_on_the_lockout_page(client, owner) -> None:
    page = fail(client, 5).content.decode()

    assert "try again in <strong>15 minutes</strong>" in page
    assert f'href="{reverse("password_reset")}"' in page
    # The page is part of the site: the navigation from base.html is there.
    assert 'href="#main"' in page


def test_it_refuses_the_right_password_during_lockout(client, owner) -> None:
    fail(client, 5)

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_it_lets_another_owner_sign_in_from_the_same_address(client, owner) -> None:
    make_owner("bob")
    fail(client, 5)

    response = sign_in(client, "bob", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dogs:home")


def test_it_lets_the_owner_in_from_another_address(owner) -> None:
    fail(Client(REMOTE_ADDR=ATTACKER), 5)
    client = Client(REMOTE_ADDR=HOME)

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_it_keeps_the_lockout_for_fifteen_minutes(client, owner) -> None:
    fail(client, 5)
    age_attempts(dt.timedelta(minutes=14, seconds=50))

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429


def test_it_lifts_the_lockout_after_fifteen_minutes(client, owner) -> None:
    fail(client, 5)
    age_attempts(dt.timedelta(minutes=15, seconds=1))

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_it_ignores_forwarded_addresses_without_a_proxy(client, owner) -> None:
    # A client rotating X-Forwarded-For must not get five fresh tries each time.
    for number in range(4):
        sign_in(client, "alice", "not-the-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    response = sign_in(client, "alice", "not-the-password", HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429


def test_it_locks_out_the_client_behind_a_proxy_not_the_proxy(settings, owner) -> None:
    settings.LEANLOG_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    fail(Client(**proxy), 5, HTTP_X_FORWARDED_FOR=ATTACKER)
    client = Client(**proxy)

    response = sign_in(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR=HOME)

    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_it_ignores_addresses_forged_in_front_of_the_proxys(settings, client, owner) -> None:
    settings.LEANLOG_PROXY_COUNT = 1
    for number in range(4):
        sign_in(client, "alice", "not-the-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, {ATTACKER}")

    response = sign_in(client, "alice", "not-the-password", HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}")

    assert response.status_code == 429


def test_it_falls_back_to_the_peer_address_for_a_garbled_forwarded_header(settings, client, owner) -> None:
    settings.LEANLOG_PROXY_COUNT = 1

    sign_in(client, "alice", "not-the-password", HTTP_X_FORWARDED_FOR="<script>")

    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


# --- passwords ---------------------------------------------------------------------------

WEAK_PASSWORDS = [
    pytest.param("qx7!bm2Lp", "at least 10 characters", id="nine-characters"),
    pytest.param("iloveyou12", "most common ones", id="common"),
    pytest.param("8402916375", "digits only", id="numeric"),
]
GOOD_PASSWORD = "qx7!bm2Lpz"


@pytest.mark.parametrize(("password", "message"), WEAK_PASSWORDS)
def test_it_refuses_a_weak_password_at_sign_up(client, db, password, message) -> None:
    response = client.post(
        reverse("dogs:signup"), {"username": "carol", "password1": password, "password2": password}
    )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["password1"])
    assert message in response.content.decode()
    assert not Owner.objects.filter(username="carol").exists()


def test_it_accepts_a_ten_character_password_at_sign_up(client, db) -> None:
    response = client.post(
        reverse("dogs:signup"), {"username": "carol", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert response.status_code == 302
    assert Owner.objects.get(username="carol").check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(("password", "message"), WEAK_PASSWORDS)
def test_it_refuses_a_weak_password_on_change(owner_client, owner, password, message) -> None:
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["new_password2"])
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_asks_for_the_current_password_to_change_it(owner_client, owner) -> None:
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": "a-wrong-guess-1", "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_changes_the_password_given_the_current_one(owner_client, owner) -> None:
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    owner.refresh_from_db()
    assert owner.check_password(GOOD_PASSWORD)


# --- sessions ----------------------------------------------------------------------------


def plant_session(client: Client) -> str:
    """A session that exists before sign-in, as an attacker could plant it (session fixation)."""
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    return session.session_key


def test_it_rotates_the_session_key_at_sign_in(client, owner) -> None:
    planted = plant_session(client)

    sign_in(client, "alice", PASSWORD)

    assert is_signed_in(client)
    assert client.cookies["sessionid"].value != planted
    assert not Session.objects.filter(session_key=planted).exists()


def test_it_rotates_the_session_key_at_sign_up(client, db) -> None:
    planted = plant_session(client)

    client.post(
        reverse("dogs:signup"), {"username": "carol", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    )

    assert is_signed_in(client)
    assert client.cookies["sessionid"].value != planted
    assert not Session.objects.filter(session_key=planted).exists()


def test_it_marks_the_session_cookie_http_only_and_same_site(client, owner) -> None:
    sign_in(client, "alice", PASSWORD)

    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_it_signs_out_only_by_post(owner_client) -> None:
    response = owner_client.get(reverse("logout"))

    assert response.status_code == 405
    assert is_signed_in(owner_client)


def test_it_never_sends_a_signed_in_owner_to_another_site(client, owner) -> None:
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response.url == reverse("dogs:home")


# --- forwarded addresses -----------------------------------------------------------------


def test_it_locks_out_a_direct_client_that_sends_a_new_forwarded_address_each_time(settings, owner) -> None:
    # Behind a proxy, but this client reached the app server directly: its header counts for nothing.
    settings.LEANLOG_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(5):
        sign_in(client, "alice", "not-the-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    response = sign_in(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_it_counts_the_forwarded_address_from_a_listed_proxy_network(settings, owner) -> None:
    settings.LEANLOG_PROXY_COUNT = 1
    settings.LEANLOG_PROXY_IPS = ["10.0.0.0/8"]
    proxy = {"REMOTE_ADDR": "10.1.2.3"}
    fail(Client(**proxy), 5, HTTP_X_FORWARDED_FOR=ATTACKER)
    client = Client(**proxy)

    response = sign_in(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR=HOME)

    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_it_ignores_forwarded_https_from_a_peer_that_is_not_a_proxy(settings, db) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True

    direct = Client(REMOTE_ADDR=ATTACKER).get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    proxied = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")

    assert direct.status_code == 301
    assert direct.headers["Location"].startswith("https://")
    assert proxied.status_code == 200
