"""The home page on a phone puts three dogs in the first two screens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import sign_in
from tests.helpers import make_dog, make_incident, make_owner

pytestmark = pytest.mark.browser

# A household's third dog must be reachable with one swipe: two phone screens at most.
SCREENS_FOR_THREE_CARDS = 2


def test_it_fits_three_dog_cards_in_two_phone_screens(
    page: Any, live_server: Any, screenshot: Callable[[str], Path]
) -> None:
    owner = make_owner("pack", "Europe/London")
    now = timezone.now()
    for number, name in enumerate(["Bramble", "Ruby", "Otto", "Pepper", "Moss", "Juniper"]):
        dog = make_dog(owner, name=name, created_at=now - dt.timedelta(days=40))
        # The fullest cards: a verdict, a flag (the first two dogs knock someone over) and a last lean.
        for day in range(6 + number):
            make_incident(
                dog,
                now - dt.timedelta(days=day * 3, hours=2),
                intensity=3 + day % 3,
                signs=["trembling"] if day % 2 else ["panting"],
                outcome="knocked_over" if number < 2 and day == 0 else "",
            )
    sign_in(page, live_server.url, owner)

    page.goto(live_server.url + "/")
    # Where each card starts and ends on the whole page, in CSS pixels.
    cards = page.evaluate(
        "() => [...document.querySelectorAll('article.ll-dog-card')].map((card) => {"
        " const box = card.getBoundingClientRect();"
        " return [box.top + window.scrollY, box.bottom + window.scrollY]; })"
    )
    screenshot("home-six-dogs")

    height = page.viewport_size["height"]
    assert (len(cards), height) == (6, 844)
    top, bottom = cards[2]
    assert top < SCREENS_FOR_THREE_CARDS * height, f"the third card starts at {top:.0f} px"
    # "Fits" read strictly: the whole third card, its buttons included, is within the two screens.
    assert bottom <= SCREENS_FOR_THREE_CARDS * height, f"the third card ends at {bottom:.0f} px"
