"""Nothing signed-in is served between the password and the code; the admin wants a code from staff."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dogs.models import Owner
from tests.helpers import PASSWORD, current_code, send_code, sign_in_password, turn_on
from tests.trust.support import METHODS, Journals, send, signed_in_routes, url_for


def test_it_serves_no_signed_in_page_between_the_password_and_the_code(journals: Journals) -> None:
    turn_on(journals.owner)
    client = Client()
    assert sign_in_password(client)["Location"] == reverse("two-factor-sign-in")

    for route in signed_in_routes():
        path = url_for(route, journals.dog, journals.incident) if route.kwargs else reverse(route.name)
        for method in METHODS:
            response = send(client, method, path)

            where = f"{method} {route} answered {response.status_code}"
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("login")), where
            else:
                assert response.status_code == 404, where
    assert "_auth_user_id" not in client.session


PASSKEY_DOORS = (
    "passkey-sign-in-begin",
    "passkey-sign-in-complete",
    "two-factor-passkey-begin",
    "two-factor-passkey-complete",
)


def test_it_signs_no_one_in_through_the_passkey_doors_between_the_password_and_the_code(
    journals: Journals,
) -> None:
    turn_on(journals.owner)
    client = Client()
    sign_in_password(client)

    for name in PASSKEY_DOORS:
        for method in METHODS:
            response = send(client, method, reverse(name))

            # Options for the browser at most (begin), never a page of the journal.
            assert response.status_code in {200, 400, 403, 404, 405, 422}, (
                f"{method} {name}: {response.status_code}"
            )
            assert journals.dog.name not in response.content.decode()
    forged = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
    for name in ("passkey-sign-in-complete", "two-factor-passkey-complete"):
        response = client.post(reverse(name), forged, content_type="application/json")
        assert response.status_code >= 400, name
    assert "_auth_user_id" not in client.session


@pytest.fixture
def staff(owner: Owner) -> Owner:
    owner.is_staff = owner.is_superuser = True
    owner.save(update_fields=["is_staff", "is_superuser"])
    return owner


def test_it_keeps_staff_signed_in_without_a_code_out_of_the_admin(staff: Owner) -> None:
    turn_on(staff)
    client = Client()
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_it_lets_staff_into_the_admin_after_the_code(staff: Owner) -> None:
    device, _ = turn_on(staff)
    client = Client()
    sign_in_password(client)
    send_code(client, current_code(device))

    assert client.get(reverse("admin:index")).status_code == 200


def test_it_asks_for_the_code_at_the_admins_sign_in(staff: Owner) -> None:
    device, _ = turn_on(staff)
    client = Client()

    response = client.post(
        reverse("admin:login"), {"username": "alice", "password": PASSWORD, "next": "/admin/"}
    )

    assert response["Location"] == reverse("two-factor-sign-in")
    assert "_auth_user_id" not in client.session
    assert send_code(client, current_code(device))["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_it_sends_staff_without_a_second_factor_to_set_one_up(staff: Owner) -> None:
    client = Client()
    client.force_login(staff)

    assert client.get(reverse("admin:index")).status_code == 302
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("two-factor")
