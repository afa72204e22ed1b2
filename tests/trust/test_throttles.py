"""Throttles: floods from one address or at one email stop; everyone else carries on."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from accounts import throttle
from dogs.models import Owner
from tests.helpers import PASSWORD

ATTACKER = "203.0.113.5"
HOME = "198.51.100.7"
GOOD_PASSWORD = "qx7!bm2Lpz"


@pytest.fixture
def clock(monkeypatch) -> SimpleNamespace:
    """The throttle's clock, moved by hand."""
    now = SimpleNamespace(value=1_000_000.0)
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: now.value))
    return now


# --- the module ----------------------------------------------------------------------------


def test_it_allows_up_to_the_limit(clock) -> None:
    assert [throttle.hit("test", "key", limit=3, window=60) for _ in range(3)] == [True] * 3


def test_it_refuses_past_the_limit(clock) -> None:
    for _ in range(3):
        throttle.hit("test", "key", limit=3, window=60)

    assert throttle.hit("test", "key", limit=3, window=60) is False


def test_it_counts_each_key_on_its_own(clock) -> None:
    for _ in range(4):
        throttle.hit("test", "key", limit=3, window=60)

    assert throttle.hit("test", "other key", limit=3, window=60) is True
    assert throttle.hit("other-scope", "key", limit=3, window=60) is True


def test_it_starts_again_in_the_next_window(clock) -> None:
    for _ in range(4):
        throttle.hit("test", "key", limit=3, window=60)
    clock.value += 60

    assert throttle.hit("test", "key", limit=3, window=60) is True


def test_it_treats_an_email_the_same_in_any_case(clock) -> None:
    for _ in range(3):
        throttle.hit("test", "Alice@Example.org", limit=3, window=60)

    assert throttle.hit("test", "alice@example.org ", limit=3, window=60) is False


def test_it_keeps_the_key_out_of_the_cache_in_clear() -> None:
    assert "alice@example.org" not in throttle.cache_key("reset-email", "alice@example.org", 60, 0)


# --- sign-in per address -------------------------------------------------------------------


def sign_in(client: Client, username: str, password: str = "not-the-password"):
    return client.post(reverse("login"), {"username": username, "password": password})


def flood_sign_in(client: Client) -> None:
    # A new username each time: axes' lockout (one username from one address) never fires.
    for number in range(throttle.SIGN_IN_PER_ADDRESS.limit):
        sign_in(client, f"guess{number}")


def test_it_pauses_sign_in_from_an_address_that_floods_it(owner) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    flood_sign_in(client)

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert "Slow down a little" in response.content.decode()
    assert 0 < int(response.headers["Retry-After"]) <= throttle.SIGN_IN_PER_ADDRESS.window
    assert "_auth_user_id" not in client.session


def test_it_lets_the_owner_sign_in_from_home_during_a_flood(owner) -> None:
    flood_sign_in(Client(REMOTE_ADDR=ATTACKER))
    client = Client(REMOTE_ADDR=HOME)

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_it_lets_a_household_make_a_few_mistakes(owner) -> None:
    client = Client(REMOTE_ADDR=HOME)
    for username in ("alcie", "Alice", "alice "):
        sign_in(client, username)

    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_it_still_shows_the_sign_in_page_to_a_flooding_address(owner) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    flood_sign_in(client)

    assert client.get(reverse("login")).status_code == 200


# --- password change -----------------------------------------------------------------------


def change_password(client: Client, current: str):
    return client.post(
        reverse("password_change"),
        {"old_password": current, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD},
    )


def test_it_counts_a_wrong_current_password_as_a_failed_sign_in(owner_client, owner) -> None:
    change_password(owner_client, "a-wrong-guess-1")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("alice", 1)


def test_it_locks_password_change_after_five_wrong_current_passwords(owner_client, owner) -> None:
    for _ in range(4):
        assert change_password(owner_client, "a-wrong-guess-1").status_code == 200

    response = change_password(owner_client, "a-wrong-guess-1")

    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()


def test_it_refuses_the_right_current_password_during_the_lockout(owner_client, owner) -> None:
    for _ in range(5):
        change_password(owner_client, "a-wrong-guess-1")

    response = change_password(owner_client, PASSWORD)

    assert response.status_code == 429
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_locks_sign_in_too_after_wrong_current_passwords(owner_client, owner) -> None:
    for _ in range(5):
        change_password(owner_client, "a-wrong-guess-1")

    assert sign_in(Client(), "alice", PASSWORD).status_code == 429


# --- password reset ------------------------------------------------------------------------


def reset(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


@pytest.fixture
def confirmed_owner(owner) -> Owner:
    owner.email = "alice@example.org"
    owner.email_confirmed = True
    owner.save()
    return owner


def test_it_pauses_reset_requests_from_an_address_that_floods_them(db) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(throttle.PASSWORD_RESET_PER_ADDRESS.limit):
        assert reset(client, f"someone{number}@example.org").status_code == 302

    response = reset(client, "someone@example.org")

    assert response.status_code == 429
    assert "password reset requests" in response.content.decode()


def test_it_stops_mailing_one_address_after_three_resets_an_hour(confirmed_owner, mailoutbox) -> None:
    for number in range(4):
        # From four addresses: the limit is on the mailbox, not only on the sender.
        response = reset(Client(REMOTE_ADDR=f"192.0.2.{number}"), "alice@example.org")

        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == throttle.PASSWORD_RESET_PER_EMAIL.limit


def test_it_keeps_mailing_other_addresses_after_one_is_throttled(confirmed_owner, mailoutbox) -> None:
    client = Client()
    for _ in range(4):
        reset(client, "alice@example.org")
    bob = Owner.objects.create_user("bob", email="bob@example.org", password=PASSWORD, email_confirmed=True)

    reset(client, bob.email)

    assert mailoutbox[-1].to == ["bob@example.org"]


# --- sign-up -------------------------------------------------------------------------------


def sign_up(client: Client, username: str, **headers: str):
    data = {"username": username, "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
    return client.post(reverse("dogs:signup"), data, **headers)


def test_it_pauses_sign_up_from_an_address_that_floods_it(db) -> None:
    for number in range(throttle.SIGN_UP_PER_ADDRESS.limit):
        sign_up(Client(REMOTE_ADDR=ATTACKER), f"bot{number}")

    response = sign_up(Client(REMOTE_ADDR=ATTACKER), "onemore")

    assert response.status_code == 429
    assert "new accounts" in response.content.decode()
    assert not Owner.objects.filter(username="onemore").exists()


def test_it_lets_another_address_sign_up_during_a_flood(db) -> None:
    for number in range(throttle.SIGN_UP_PER_ADDRESS.limit + 1):
        sign_up(Client(REMOTE_ADDR=ATTACKER), f"bot{number}")

    assert sign_up(Client(REMOTE_ADDR=HOME), "carol").status_code == 302


def test_it_says_how_long_to_wait(clock) -> None:
    # 1,000,000 s is 400 s into a 10-minute window: 200 s, about 3 minutes, are left.
    assert throttle.seconds_left(throttle.SIGN_IN_PER_ADDRESS) == 200


def test_it_names_the_wait_on_the_429_page(rf, clock) -> None:
    response = throttle.too_many(rf.get("/"), throttle.SIGN_IN_PER_ADDRESS, "sign-in attempts")

    assert "Please try again in 3 minutes." in response.content.decode()
    assert response.headers["Retry-After"] == "200"


# --- forwarded addresses -------------------------------------------------------------------


def test_it_pauses_a_direct_client_that_sends_a_new_forwarded_address_each_time(settings, owner) -> None:
    settings.LEANLOG_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(throttle.SIGN_IN_PER_ADDRESS.limit):
        client.post(
            reverse("login"),
            {"username": f"guess{number}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )

    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.250"
    )

    assert response.status_code == 429


def test_it_pauses_sign_up_from_a_direct_client_whatever_it_forwards(settings, db) -> None:
    settings.LEANLOG_PROXY_COUNT = 1
    for number in range(throttle.SIGN_UP_PER_ADDRESS.limit):
        sign_up(Client(REMOTE_ADDR=ATTACKER), f"newcomer{number}", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    response = sign_up(Client(REMOTE_ADDR=ATTACKER), "onemore", HTTP_X_FORWARDED_FOR="192.0.2.250")

    assert response.status_code == 429


def test_it_counts_each_visitor_of_a_listed_proxy_on_its_own(settings, owner) -> None:
    settings.LEANLOG_PROXY_COUNT = 1
    settings.LEANLOG_PROXY_IPS = ["10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="10.1.2.3")
    for number in range(throttle.SIGN_IN_PER_ADDRESS.limit):
        proxy.post(
            reverse("login"), {"username": f"guess{number}", "password": "x"}, HTTP_X_FORWARDED_FOR=ATTACKER
        )

    response = proxy.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=HOME
    )

    assert response.status_code == 302
