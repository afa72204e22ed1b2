"""Each dog's most serious current flag, on the home page and the dog's page, for its owner only."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import timezone

from dogs.models import Dog
from journal.models import FlagAcknowledgement
from tests.helpers import make_dog, make_incident, select, select_one

pytestmark = pytest.mark.django_db

# What the rule catalogue says about one lean that knocked someone over (level watch).
FALL_TITLE = "A lean made someone lose their balance"
FALL_EVIDENCE = "Someone lost their balance or fell once in this period."


def knocked_someone_over(dog: Dog, days_ago: int = 2) -> None:
    make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=days_ago), outcome="knocked_over")


def itches(dog: Dog) -> None:
    """Two leans with an itch sign: a flag of level vet."""
    for days in (1, 3):
        make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=days), signs=["scooting"])


def text(response) -> str:
    return html.unescape(response.content.decode())


# The home page.


def test_it_shows_a_dogs_flag_on_the_home_card(owner_client, dog) -> None:
    knocked_someone_over(dog)
    page = text(owner_client.get("/"))
    assert 'data-flag="knock_over"' in page
    assert "Keep an eye on it" in page
    assert FALL_TITLE in page


def test_it_links_the_home_cards_flag_to_the_report(owner_client, dog) -> None:
    knocked_someone_over(dog)
    page = owner_client.get("/").content.decode()
    assert (
        f'class="ll-concern ll-concern-watch mt-3" href="/dogs/{dog.pk}/report/" data-flag="knock_over"'
        in page
    )


def test_it_shows_the_most_serious_flag_first_and_names_the_others(owner_client, dog) -> None:
    knocked_someone_over(dog)
    itches(dog)
    response = owner_client.get("/")
    assert [box.get("data-flag") for box in select(response, "[data-flag]")] == ["itch_check"]
    assert [box.get("data-also-flag") for box in select(response, "[data-also-flag]")] == ["knock_over"]
    also = select_one(response, '[data-also-flag="knock_over"]')
    assert (also.get("href"), FALL_TITLE in also.text) == (f"/dogs/{dog.pk}/report/", True)
    assert "See your vet" in text(response)


def test_it_names_no_other_flag_once_it_is_marked_as_handled(owner_client, dog) -> None:
    knocked_someone_over(dog)
    itches(dog)
    owner_client.post(f"/dogs/{dog.pk}/flags/knock_over/ack/", {"note": "moved the rug"})
    response = owner_client.get("/")
    assert [box.get("data-flag") for box in select(response, "[data-flag]")] == ["itch_check"]
    assert select(response, "[data-also-flag]") == []


def test_it_shows_each_dog_its_own_flag(owner_client, owner) -> None:
    clumsy = make_dog(owner, name="Clumsy")
    itchy = make_dog(owner, name="Itchy")
    calm = make_dog(owner, name="Calm")
    knocked_someone_over(clumsy)
    itches(itchy)
    make_incident(calm, occurred_at=timezone.now() - dt.timedelta(days=1))
    dogs = {dog.name: dog.current_flag for dog in owner_client.get("/").context["dogs"]}
    assert {name: flag.code if flag else None for name, flag in dogs.items()} == {
        "Calm": None,
        "Clumsy": "knock_over",
        "Itchy": "itch_check",
    }


def test_it_shows_no_flag_on_the_home_card_when_none_fires(owner_client, dog) -> None:
    make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=1))
    assert "data-flag=" not in owner_client.get("/").content.decode()


def test_it_forgets_a_flag_once_its_leans_are_older_than_thirty_days(owner_client, dog) -> None:
    knocked_someone_over(dog, days_ago=31)
    assert "data-flag=" not in owner_client.get("/").content.decode()


# The dog's page.


def test_it_shows_the_flag_with_its_evidence_on_the_dogs_page(owner_client, dog) -> None:
    knocked_someone_over(dog)
    page = text(owner_client.get(f"/dogs/{dog.pk}/"))
    assert 'data-flag="knock_over"' in page
    assert "Keep an eye on it" in page
    assert FALL_TITLE in page
    assert FALL_EVIDENCE in page


def test_it_links_the_dogs_page_flag_to_the_report(owner_client, dog) -> None:
    knocked_someone_over(dog)
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert f'<a class="ll-concern-link" href="/dogs/{dog.pk}/report/">See the report' in page


def test_it_shows_every_flag_on_the_dogs_page_the_most_serious_first(owner_client, dog) -> None:
    knocked_someone_over(dog)
    itches(dog)
    response = owner_client.get(f"/dogs/{dog.pk}/")
    assert [card.get("data-flag") for card in select(response, "[data-flag]")] == ["itch_check", "knock_over"]
    fall = select_one(response, '[data-flag="knock_over"]')
    assert FALL_EVIDENCE in fall.text
    # Each card can be marked as handled on its own, its field named for its flag.
    assert [form.get("action") for form in select(response, "[data-flag] form")] == [
        f"/dogs/{dog.pk}/flags/itch_check/ack/",
        f"/dogs/{dog.pk}/flags/knock_over/ack/",
    ]
    assert [field.get("id") for field in select(response, "[data-flag] input[name=note]")] == [
        "ack-note",
        "ack-note-knock_over",
    ]


def test_it_says_it_is_too_early_rather_than_no_concern_after_two_plain_leans(owner_client, dog) -> None:
    for days in (1, 2):
        make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=days))
    page = text(owner_client.get(f"/dogs/{dog.pk}/"))
    assert "Too early to see patterns: 2 leans so far." in page
    assert "No concerns" not in page
    assert "data-flag=" not in page


def test_it_gives_a_clear_bill_only_to_a_big_enough_plain_journal(owner_client, owner) -> None:
    dog = make_dog(owner, created_at=timezone.now() - dt.timedelta(days=60))
    for days in (1, 3, 5, 8):
        make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=days), signs=["relaxed"])
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert 'data-verdict="info"' in page or 'data-verdict="clear"' in page


def test_it_says_nothing_about_concerns_before_the_first_lean(owner_client, dog) -> None:
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "No concerns" not in page
    assert "data-flag=" not in page


def test_it_says_nothing_about_concerns_without_a_lean_in_thirty_days(owner_client, dog) -> None:
    knocked_someone_over(dog, days_ago=40)
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "No concerns" not in page
    assert "data-flag=" not in page


# A stranger.


def test_it_never_shows_a_stranger_another_owners_flag_on_the_home_page(stranger_client, dog) -> None:
    knocked_someone_over(dog)
    page = text(stranger_client.get("/"))
    assert "data-flag=" not in page
    assert FALL_TITLE not in page


def test_it_never_shows_a_stranger_another_owners_flag_on_the_dogs_page(stranger_client, dog) -> None:
    knocked_someone_over(dog)
    response = stranger_client.get(f"/dogs/{dog.pk}/")
    assert response.status_code == 404
    assert FALL_TITLE not in text(response)


# A vet or watch verdict is the flag's own title: each page says it once, in the flag's box.


def test_the_home_card_says_a_serious_flag_once(owner_client, dog) -> None:
    knocked_someone_over(dog)
    page = text(owner_client.get("/"))
    assert page.count(FALL_TITLE) == 1
    assert 'data-flag="knock_over" data-verdict="watch"' in page
    assert page.count("data-verdict=") == 1
    assert "More below" not in page


def test_the_dogs_page_opens_with_the_flags_card_as_its_verdict(owner_client, dog) -> None:
    knocked_someone_over(dog)
    page = text(owner_client.get(f"/dogs/{dog.pk}/"))
    assert page.count(FALL_TITLE) == 1
    assert 'data-flag="knock_over" data-verdict="watch"' in page
    assert page.count("data-verdict=") == 1
    assert FALL_EVIDENCE in page


def test_an_info_flag_keeps_its_verdict_sentence_beside_it(owner_client, owner) -> None:
    dog = make_dog(owner, created_at=timezone.now() - dt.timedelta(days=40))
    for days in range(1, 6):
        make_incident(
            dog, occurred_at=timezone.now() - dt.timedelta(days=days), owner_activity="just_arrived"
        )
    page = text(owner_client.get("/"))
    assert 'data-verdict="info"' in page
    assert "Nothing here asks for the vet or for watching. Good to know: leaning as a hello." in page
    # The verdict says it: no second box with the same flag.
    assert "data-flag=" not in page


def test_it_offers_to_mark_a_flag_handled_but_not_a_good_to_know(owner_client, dog) -> None:
    for days in range(1, 6):
        when = timezone.now() - dt.timedelta(days=days)
        make_incident(dog, occurred_at=when, owner_activity="just_arrived")
    knocked_someone_over(dog, days_ago=6)
    page = owner_client.get(f"/dogs/{dog.pk}/")

    cards = {card.get("data-flag"): card for card in select(page, "section[data-flag]")}
    assert set(cards) == {"knock_over", "greeting"}
    assert cards["knock_over"].select("form")
    assert cards["greeting"].select("form") == []


def test_it_refuses_to_mark_a_good_to_know_as_handled(owner_client, dog) -> None:
    for days in range(1, 6):
        when = timezone.now() - dt.timedelta(days=days)
        make_incident(dog, occurred_at=when, owner_activity="just_arrived")

    response = owner_client.post(f"/dogs/{dog.pk}/flags/greeting/ack/", {"note": "hello"})

    assert response.status_code == 200
    assert "has no such flag in the last 30 days" in text(response)
    assert not FlagAcknowledgement.objects.filter(dog=dog).exists()
