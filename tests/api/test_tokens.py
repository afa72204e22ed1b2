"""The token page: a token shown once, kept as a hash, revoked by its owner only."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from dogs.models import token_digest
from tests.helpers import current_code, field_error, select_one, text, turn_on


def new_token(response) -> str:
    shown = select_one(response, "#new-token")
    return shown.text if shown else ""


def test_it_shows_a_new_token_once_and_keeps_only_its_hash(owner_client, owner) -> None:
    response = owner_client.post(reverse("api:token-list"), {"name": "laptop"})

    token = new_token(response)
    stored = ApiToken.objects.get()
    assert token.startswith("ll_")
    assert stored.token_hash == token_digest(token)
    assert token not in str(list(ApiToken.objects.values()))
    assert new_token(owner_client.get(reverse("api:token-list"))) == ""


def test_it_lets_the_new_token_in(owner_client, dog) -> None:
    token = new_token(owner_client.post(reverse("api:token-list"), {"name": "laptop"}))

    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/dogs")

    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_it_asks_for_a_name(owner_client) -> None:
    response = owner_client.post(reverse("api:token-list"), {"name": ""})

    assert field_error(response, "name") == "Give the token a name."
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token(owner_client, owner, dog) -> None:
    stored, token = ApiToken.issue(owner, "laptop")

    response = owner_client.post(reverse("api:token-revoke", args=[stored.pk]), follow=True)

    assert "Revoked “laptop”" in text(response)
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/dogs").status_code == 401


def test_it_answers_404_when_a_stranger_revokes(stranger_client, owner) -> None:
    stored, _ = ApiToken.issue(owner, "laptop")

    assert stranger_client.post(reverse("api:token-revoke", args=[stored.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=stored.pk).exists()


def test_it_lists_only_the_persons_own_tokens(owner_client, stranger) -> None:
    ApiToken.issue(stranger, "their secret script")

    assert "their secret script" not in text(owner_client.get(reverse("api:token-list")))


# --- with a second factor on -----------------------------------------------------------------


def test_it_asks_for_a_fresh_code_to_make_a_token_when_a_factor_is_on(owner_client, owner) -> None:
    turn_on(owner)

    response = owner_client.post(reverse("api:token-list"), {"name": "laptop"})

    assert field_error(response, "code") == "Type the code from your authenticator app."
    assert not ApiToken.objects.exists()


def test_it_refuses_a_wrong_code_for_a_token_and_counts_it(owner_client, owner) -> None:
    from axes.models import AccessAttempt

    turn_on(owner)

    response = owner_client.post(reverse("api:token-list"), {"name": "laptop", "code": "123456"})

    assert field_error(response, "code").startswith("That code is not right.")
    assert not ApiToken.objects.exists()
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_it_makes_a_token_with_the_right_code_and_the_token_works(owner_client, owner, dog) -> None:
    device, _ = turn_on(owner)

    token = new_token(
        owner_client.post(reverse("api:token-list"), {"name": "laptop", "code": current_code(device)})
    )
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/dogs")

    assert response.status_code == 200
