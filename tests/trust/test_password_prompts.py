"""Every password prompt counts wrong passwords as failed sign-ins and is throttled per address."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from accounts import throttle
from dogs.models import Dog, Owner
from tests.helpers import PASSWORD

ATTACKER = "203.0.113.5"
HOME = "198.51.100.7"
GOOD_PASSWORD = "qx7!bm2Lpz"


def signed_in(owner: Owner, address: str = ATTACKER) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(owner)
    return client


def delete_account(client: Client, password: str):
    return client.post(reverse("journal:account-delete"), {"password": password})


def change_email(client: Client, password: str):
    data = {"time_zone": "Europe/London", "email": "new@example.com", "current_password": password}
    return client.post(reverse("dogs:account-settings"), data)


def change_password(client: Client, password: str):
    data = {"old_password": password, "new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD}
    return client.post(reverse("password_change"), data)


PROMPTS = [
    pytest.param(delete_account, id="account-delete"),
    pytest.param(change_email, id="email-change"),
    pytest.param(change_password, id="password-change"),
]


def nothing_changed(owner: Owner, dog: Dog) -> bool:
    owner.refresh_from_db()
    return (
        Dog.objects.filter(pk=dog.pk).exists()
        and owner.check_password(PASSWORD)
        and owner.email != "new@example.com"
    )


# --- the account deletion --------------------------------------------------------------------


def test_it_counts_a_wrong_password_on_account_deletion_as_a_failed_sign_in(owner, dog) -> None:
    delete_account(signed_in(owner), "a-wrong-guess")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == ("alice", ATTACKER, 1)


# --- every prompt ----------------------------------------------------------------------------


@pytest.mark.parametrize("prompt", PROMPTS)
def test_it_locks_the_prompt_after_five_wrong_passwords(prompt, owner, dog) -> None:
    client = signed_in(owner)
    for _ in range(4):
        assert prompt(client, "a-wrong-guess").status_code == 200

    response = prompt(client, "a-wrong-guess")

    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert nothing_changed(owner, dog)


@pytest.mark.parametrize("prompt", PROMPTS)
def test_it_refuses_the_right_password_at_the_prompt_during_the_lockout(prompt, owner, dog) -> None:
    client = signed_in(owner)
    for _ in range(5):
        prompt(client, "a-wrong-guess")

    response = prompt(client, PASSWORD)

    assert response.status_code == 429
    assert nothing_changed(owner, dog)


@pytest.mark.parametrize("prompt", PROMPTS)
def test_it_locks_the_prompt_of_a_username_locked_at_sign_in(prompt, owner, dog) -> None:
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "alice", "password": "a-wrong-guess"})

    response = prompt(signed_in(owner), PASSWORD)

    assert response.status_code == 429
    assert nothing_changed(owner, dog)


@pytest.mark.parametrize("prompt", PROMPTS)
def test_it_lets_the_owner_use_the_prompt_from_home_during_a_lockout_elsewhere(prompt, owner, dog) -> None:
    attacker = signed_in(owner)
    for _ in range(5):
        prompt(attacker, "a-wrong-guess")

    response = prompt(signed_in(owner, HOME), PASSWORD)

    assert response.status_code == 302


@pytest.mark.parametrize("prompt", PROMPTS)
def test_it_pauses_the_prompt_for_an_address_that_floods_sign_in(prompt, owner, dog) -> None:
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for number in range(throttle.SIGN_IN_PER_ADDRESS.limit):
        attacker.post(reverse("login"), {"username": f"guess{number}", "password": "a-wrong-guess"})

    response = prompt(signed_in(owner), PASSWORD)

    assert response.status_code == 429
    assert nothing_changed(owner, dog)


# --- the admin's sign-in ---------------------------------------------------------------------


@pytest.fixture
def staff(owner) -> Owner:
    owner.is_staff = True
    owner.is_superuser = True
    owner.save(update_fields=["is_staff", "is_superuser"])
    return owner


def admin_sign_in(client: Client, username: str, password: str):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


def test_it_pauses_admin_sign_in_from_an_address_that_floods_it(staff) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(throttle.SIGN_IN_PER_ADDRESS.limit):
        admin_sign_in(client, f"guess{number}", "a-wrong-guess")

    response = admin_sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_counts_admin_and_ordinary_sign_in_attempts_together(staff) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    for number in range(throttle.SIGN_IN_PER_ADDRESS.limit):
        client.post(reverse("login"), {"username": f"guess{number}", "password": "a-wrong-guess"})

    assert admin_sign_in(client, "alice", PASSWORD).status_code == 429


def test_it_locks_admin_sign_in_after_five_wrong_passwords(staff) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        admin_sign_in(client, "alice", "a-wrong-guess")

    response = admin_sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_still_lets_staff_into_the_admin_from_home(staff) -> None:
    client = Client(REMOTE_ADDR=HOME)

    response = admin_sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session
