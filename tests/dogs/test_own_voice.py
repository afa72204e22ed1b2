"""Django's default messages replaced with Leanlog's own words."""

from __future__ import annotations

from django.urls import reverse

from dogs.models import Dog
from tests.helpers import PASSWORD, field_error, make_owner


def a_dog(**overrides) -> dict[str, str]:
    data = {"name": "Biscuit", "breed": "", "size": "medium", "birth_date": "2021-03-14", "notes": ""}
    data.update(overrides)
    return data


def test_it_says_in_its_own_words_that_a_dog_name_is_too_long(owner_client) -> None:
    response = owner_client.post(reverse("dogs:dog-create"), a_dog(name="x" * 5000))
    assert field_error(response, "name") == "Keep the name to 60 characters or fewer (this one has 5000)."
    assert not Dog.objects.exists()


def test_it_says_in_its_own_words_that_dog_notes_are_too_long(owner_client) -> None:
    response = owner_client.post(reverse("dogs:dog-create"), a_dog(notes="x" * 2001))
    assert field_error(response, "notes") == (
        "The notes can hold up to 2000 characters; these have 2001. Please shorten them."
    )


def test_it_says_in_its_own_words_that_a_username_is_too_long(client) -> None:
    data = {"username": "x" * 200, "password1": PASSWORD, "password2": PASSWORD, "time_zone": "Europe/London"}
    response = client.post("/accounts/signup/", data)
    assert field_error(response, "username") == (
        "Keep the username to 150 characters or fewer (this one has 200)."
    )


def test_it_says_in_its_own_words_that_a_username_is_taken(client, db) -> None:
    make_owner("taken")
    data = {"username": "taken", "password1": PASSWORD, "password2": PASSWORD, "time_zone": "Europe/London"}
    response = client.post("/accounts/signup/", data)
    assert field_error(response, "username") == "That username is taken. Try another one."
