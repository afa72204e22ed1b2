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


def test_it_starts_no_line_of_a_cards_breed_and_age_with_a_dot(page: Any, live_server: Any) -> None:
    owner = make_owner("pack", "Europe/London")
    make_dog(owner, name="Skye", breed="Nova Scotia duck tolling retriever", birth_date=dt.date(2015, 5, 1))
    make_dog(owner, name="Pip", breed="Beagle", birth_date=dt.date(2021, 5, 1))
    sign_in(page, live_server.url, owner)

    page.goto(live_server.url + "/")
    # Each fact's dot sits before it; it shows only where the fact starts right of the line's start.
    lines = page.evaluate(
        "() => [...document.querySelectorAll('.ll-dog-card .ll-dots')].map((line) => {"
        " const left = line.getBoundingClientRect().left;"
        " return [...line.querySelectorAll('.ll-dots-item')].map((item) => {"
        "  const box = item.getBoundingClientRect();"
        "  const text = item.textContent.trim();"
        "  return {text: text, top: Math.round(box.top), dotShown: box.left >= left}; }); })"
    )

    by_breed = {facts[0]["text"]: facts for facts in lines}
    long_breed, short_breed = by_breed["Nova Scotia duck tolling retriever"], by_breed["Beagle"]
    # The long breed pushes the age to a line of its own, which starts with no dot.
    assert long_breed[1]["top"] > long_breed[0]["top"]
    assert [fact["dotShown"] for fact in long_breed] == [False, False]
    # Beside a short breed, on the same line, the age keeps its dot; no line starts with one.
    assert short_breed[1]["top"] == short_breed[0]["top"]
    assert [fact["dotShown"] for fact in short_breed] == [False, True]
