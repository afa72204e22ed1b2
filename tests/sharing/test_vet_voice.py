"""The vet's copy speaks of the household in the third person: never "you", never "your vet"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Owner
from tests.helpers import make_dog, make_incident, make_share, text

SECOND_PERSON = re.compile(r"\b(you|your|yours)\b", re.IGNORECASE)


@pytest.fixture
def token(owner: Owner) -> str:
    """An older dog's journal that raises most flags and notes at once, shared with a vet."""
    dog = make_dog(owner, birth_date=dt.date(2014, 1, 1), created_at=timezone.now() - dt.timedelta(days=60))
    now = timezone.now()
    leans = [
        # Anxious, shaky leans while someone gets ready to leave: anxiety, separation, vet check.
        *[
            dict(owner_activity="preparing_to_leave", signs=["trembling", "panting", "shaky_legs"])
            for _ in range(8)
        ],
        # Asking for attention while its person is busy, with a look back.
        *[dict(owner_activity="busy", signs=["looks_back"], owner_response="petted") for _ in range(8)],
        # Greetings, other dogs, an itch and a fall.
        *[dict(owner_activity="just_arrived") for _ in range(4)],
        *[dict(triggers=["other_dogs"], location="dog_park") for _ in range(4)],
        dict(signs=["scooting"]),
        dict(signs=["licking_rear"]),
        dict(outcome="knocked_over"),
    ]
    for number, fields in enumerate(leans):
        make_incident(dog, now - dt.timedelta(hours=3 + number * 7), **fields)
    return make_share(dog, days=30)[1]


def test_it_never_says_you_in_the_flags_and_notes_of_the_vets_json(client: Client, token: str) -> None:
    shared = client.get(reverse("shared-report-json", args=[token])).json()

    codes = {flag["code"] for flag in shared["flags"]}
    assert {"anxiety", "separation_anxiety", "vet_check", "itch_check", "knock_over"} <= codes
    for item in [*shared["flags"], *shared["notes"]]:
        for key in ("title", "evidence", "advice"):
            assert not SECOND_PERSON.search(item[key]) or key == "advice", (key, item[key])
        assert "your vet" not in item["advice"].lower(), item["advice"]
    assert not SECOND_PERSON.search(shared["verdict"]["text"])


def test_it_never_asks_the_vet_to_see_their_own_vet_on_the_page(client: Client, token: str) -> None:
    page = text(client.get(reverse("shared-report", args=[token])))

    assert "your vet" not in page.lower()
    assert "What you were doing" not in page
    assert "What the family was doing" in page
    assert "Claiming its person near other dogs" in page
    assert "when someone gets ready to leave" in page
