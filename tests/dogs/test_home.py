"""The home page: the owner's dogs at a glance, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dogs.models import Owner
from journal.report.numbers import Period
from journal.views.dashboard import ago
from tests.helpers import add_member, make_dog, make_incident, make_owner, select

pytestmark = pytest.mark.django_db


def test_it_shows_an_anonymous_visitor_what_leanlog_is_for(client: Client, db) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Why does my dog lean on me?" in response.content.decode()


def test_it_links_the_welcome_page_to_sign_in_and_sign_up(client: Client, db) -> None:
    page = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in page
    assert 'href="/accounts/signup/"' in page


def test_it_offers_the_demo_when_the_demo_account_exists(client: Client, db) -> None:
    make_owner("demo")
    page = client.get("/").content.decode()
    assert "Try the demo" in page
    assert 'name="password" value="rump-scratch-42"' in page


def test_it_offers_no_demo_without_the_demo_account(client: Client, db) -> None:
    assert "Try the demo" not in client.get("/").content.decode()


def test_it_signs_a_visitor_into_the_demo_with_one_tap(client: Client, db) -> None:
    Owner.objects.create_user(username="demo", password="rump-scratch-42")
    response = client.post("/accounts/login/", {"username": "demo", "password": "rump-scratch-42"})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "demo"


def test_it_welcomes_a_new_owner_with_an_empty_state(owner_client) -> None:
    page = owner_client.get("/").content.decode()
    assert "Start your dog’s leaning journal" in page
    assert 'href="/dogs/new/">' in page
    assert "Add your first dog" in page
    # Two taps save the time alone; the rest is for when there is a moment.
    assert "note it here in two taps; add where you were and how your dog looked when you can." in page


def test_it_lists_only_the_owners_dogs(owner_client, owner, stranger) -> None:
    make_dog(owner, name="Biscuit")
    make_dog(stranger, name="Shadow")
    page = owner_client.get("/").content.decode()
    assert "Biscuit" in page
    assert "Shadow" not in page


def test_it_shows_breed_age_and_life_stage(owner_client, owner) -> None:
    dog = make_dog(owner, name="Old Tom", breed="Great Dane", size="giant", birth_date=dt.date(2015, 5, 1))
    page = owner_client.get("/").content.decode()
    assert "Great Dane" in page
    assert dog.age_label() in page
    assert "ll-stage-senior" in page


def test_it_keeps_the_age_in_one_piece_beside_the_breed(owner_client, owner) -> None:
    dog = make_dog(owner, breed="Golden retriever", birth_date=dt.date(2015, 5, 1))

    facts = [span.text for span in select(owner_client.get("/"), ".ll-dots .ll-dots-item")]

    # Each its own item (the dots come from the stylesheet, none starting a line).
    assert facts == ["Golden retriever", dog.age_label()]


def test_it_counts_leans_of_the_past_seven_days_only(owner_client, owner) -> None:
    # The 7-day report's whole days in the owner's zone: today and the 6 days before.
    dog = make_dog(owner)
    zone = owner.zone()
    since, _ = Period.last(7, timezone.localdate(timezone=zone)).bounds(zone)
    make_incident(dog, occurred_at=timezone.now() - dt.timedelta(hours=1))
    make_incident(dog, occurred_at=since + dt.timedelta(minutes=1))
    make_incident(dog, occurred_at=since - dt.timedelta(minutes=1))
    response = owner_client.get("/")
    assert response.context["dogs"][0].leans_this_week == 2
    assert '<span class="ll-stat-number">2</span> leans' in response.content.decode()


def test_it_shows_the_last_lean_relative_and_in_local_time(owner_client, owner) -> None:
    owner.time_zone = "America/New_York"
    owner.save()
    dog = make_dog(owner)
    make_incident(dog, occurred_at=dt.datetime(2025, 1, 10, 3, 0, tzinfo=dt.UTC))
    make_incident(dog, occurred_at=dt.datetime(2025, 1, 15, 17, 30, tzinfo=dt.UTC))
    page = owner_client.get("/").content.decode()
    assert "Wed 15 Jan, 12:30" in page  # 17:30 UTC in New York, the later of the two leans


@pytest.mark.parametrize(
    ("elapsed", "label"),
    [
        (dt.timedelta(seconds=30), "just now"),
        (dt.timedelta(minutes=5), "5\xa0minutes ago"),
        (dt.timedelta(hours=3, minutes=20), "3\xa0hours ago"),
        (dt.timedelta(days=2, hours=5), "2\xa0days ago"),
    ],
)
def test_it_says_how_long_ago_in_one_unit(elapsed: dt.timedelta, label: str) -> None:
    now = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC)
    assert ago(now - elapsed, now) == label


@pytest.mark.parametrize(
    ("moment", "label"),
    [
        # Monday 1 December 2025 at 09:00 in London; leans on Friday 28 November.
        (dt.datetime(2025, 11, 28, 8, 0, tzinfo=dt.UTC), "3\xa0days ago"),
        (dt.datetime(2025, 11, 28, 23, 30, tzinfo=dt.UTC), "3\xa0days ago"),
        # Sunday evening is yesterday, not "1 day ago" or "11 hours ago".
        (dt.datetime(2025, 11, 30, 21, 55, tzinfo=dt.UTC), "yesterday"),
        (dt.datetime(2025, 12, 1, 6, 0, tzinfo=dt.UTC), "3\xa0hours ago"),
        # A week ago is seven days whatever the hour, not "6 days" or "1 week".
        (dt.datetime(2025, 11, 24, 14, 0, tzinfo=dt.UTC), "7\xa0days ago"),
        (dt.datetime(2025, 11, 24, 8, 0, tzinfo=dt.UTC), "7\xa0days ago"),
        (dt.datetime(2025, 11, 10, 9, 0, tzinfo=dt.UTC), "3\xa0weeks ago"),
    ],
)
def test_it_counts_days_ago_on_the_owners_calendar(moment: dt.datetime, label: str) -> None:
    now = dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC)
    with timezone.override("Europe/London"):
        assert ago(moment, now) == label


def test_it_says_when_a_dog_has_no_lean_yet(owner_client, owner) -> None:
    make_dog(owner)
    assert "None logged yet" in owner_client.get("/").content.decode()


def test_it_links_each_dog_to_log_a_lean_its_journal_and_report(owner_client, owner) -> None:
    dog = make_dog(owner)
    page = owner_client.get("/").content.decode()
    for url in (f"/dogs/{dog.pk}/incidents/new/", f"/dogs/{dog.pk}/incidents/", f"/dogs/{dog.pk}/report/"):
        assert f'href="{url}"' in page


def _dogs_with_leans(owner, count: int) -> None:
    now = timezone.now()
    for number in range(count):
        dog = make_dog(owner, name=f"Dog {number}")
        for days in (1, 3, 10):
            make_incident(dog, occurred_at=now - dt.timedelta(days=days))
        # Enough for a flag to fire, so the flag's whole path is counted too.
        make_incident(dog, occurred_at=now - dt.timedelta(days=2), outcome="knocked_over")


# Queries on the home page, right after a write (no card nor report cached):
#   1. the session
#   2. the signed-in owner
#   3. the owner's dogs, each annotated with its last lean, its leans of the past 7 days, its
#      newest vet's note, the owner's read mark, how many people it has (whether the card names
#      the role) and its journal stamp (the cards' and reports' cache keys)
#   4. the stamps of every dog's days of the last 30 before today (their tallies may be kept)
#   5. every dog's leans of the last 30 days together (today's only, where the rest is kept)
#   6. every dog's count of leans in the 30 days before
#   7. the first lean of every dog added within the last 60 days (its journal's start)
#   8. every dog's check-in days
#   9. every dog's flag acknowledgements
#  10. every dog's weighings of the 30 days
#  11. every dog's events (before and after)
# With every dog's card in the cache, 4 to 11 are not asked.
HOME_QUERIES = 11
HOME_QUERIES_CACHED = 3


def test_it_loads_one_dog_with_its_flag_in_a_fixed_number_of_queries(
    owner_client, owner, django_assert_max_num_queries
) -> None:
    _dogs_with_leans(owner, 1)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = owner_client.get("/")
    assert len(response.context["dogs"]) == 1
    assert response.context["dogs"][0].current_flag.code == "knock_over"


def test_it_loads_five_dogs_with_their_flags_in_the_same_number_of_queries(
    owner_client, owner, django_assert_max_num_queries
) -> None:
    _dogs_with_leans(owner, 5)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = owner_client.get("/")
    assert [dog.current_flag.code for dog in response.context["dogs"]] == ["knock_over"] * 5


def test_it_shows_no_flag_for_dogs_that_did_not_lean_lately(owner_client, owner) -> None:
    for number in range(3):
        dog = make_dog(owner, name=f"Dog {number}")
        make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=45), outcome="knocked_over")
    response = owner_client.get("/")
    assert [dog.current_flag for dog in response.context["dogs"]] == [None] * 3


def test_it_serves_six_dogs_cards_from_the_report_cache(
    owner_client, owner, django_assert_max_num_queries
) -> None:
    _dogs_with_leans(owner, 6)
    owner_client.get("/")
    with django_assert_max_num_queries(HOME_QUERIES_CACHED):
        response = owner_client.get("/")
    assert [dog.current_flag.code for dog in response.context["dogs"]] == ["knock_over"] * 6


def test_it_shows_a_new_lean_on_the_card_at_once(owner_client, owner) -> None:
    dog = make_dog(owner, name="Rex")
    owner_client.get("/")
    make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=2), outcome="knocked_over")
    response = owner_client.get("/")
    assert response.context["dogs"][0].current_flag.code == "knock_over"


def test_it_names_the_owners_role_only_on_a_shared_dogs_card(owner_client, owner) -> None:
    alone = make_dog(owner, name="Alone")
    shared = make_dog(owner, name="Shared")
    add_member(shared, make_owner("bob"), "carer")
    page = owner_client.get("/").content.decode()
    assert page.count('data-role="owner"') == 1
    card = page[page.index(f'id="dog-{shared.pk}-name"') :]
    assert 'data-role="owner"' in card[: card.index("</article>")]
    assert alone.name in page
