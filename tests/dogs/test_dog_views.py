"""The dog pages: the owner gets them, a stranger gets 404, an anonymous visitor signs in first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from dogs.models import Dog
from journal.models import Incident
from tests.helpers import (
    add_member,
    make_dog,
    make_incident,
    make_owner,
    make_weight,
    select,
    select_one,
    text,
)

pytestmark = pytest.mark.django_db

GOOD = {"name": "Rex", "breed": "Greyhound", "size": "large", "birth_date": "2020-04-01", "notes": ""}


def dog_urls(dog: Dog) -> list[str]:
    return [f"/dogs/{dog.pk}/", f"/dogs/{dog.pk}/edit/", f"/dogs/{dog.pk}/delete/"]


# Access: every page, every method it answers.


@pytest.mark.parametrize("path", ["", "edit/", "delete/"])
def test_it_shows_the_owner_their_dogs_pages(owner_client, dog, path: str) -> None:
    assert owner_client.get(f"/dogs/{dog.pk}/{path}").status_code == 200


@pytest.mark.parametrize("path", ["", "edit/", "delete/"])
def test_it_answers_404_to_a_stranger_who_reads(stranger_client, dog, path: str) -> None:
    assert stranger_client.get(f"/dogs/{dog.pk}/{path}").status_code == 404


def test_it_answers_404_to_a_stranger_who_edits(stranger_client, dog) -> None:
    response = stranger_client.post(f"/dogs/{dog.pk}/edit/", {**GOOD, "name": "Stolen"})
    assert response.status_code == 404
    dog.refresh_from_db()
    assert dog.name == "Biscuit"


def test_it_answers_404_to_a_stranger_who_deletes(stranger_client, dog) -> None:
    make_incident(dog)
    response = stranger_client.post(f"/dogs/{dog.pk}/delete/")
    assert response.status_code == 404
    assert Dog.objects.filter(pk=dog.pk).exists()
    assert Incident.objects.filter(dog=dog).count() == 1


def test_it_answers_404_for_a_dog_that_does_not_exist(owner_client) -> None:
    assert owner_client.get("/dogs/999999/").status_code == 404


@pytest.mark.parametrize("path", ["/dogs/new/", "/dogs/{pk}/", "/dogs/{pk}/edit/", "/dogs/{pk}/delete/"])
def test_it_sends_an_anonymous_visitor_to_sign_in(client: Client, dog, path: str) -> None:
    path = path.format(pk=dog.pk)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", ["/dogs/new/", "/dogs/{pk}/edit/", "/dogs/{pk}/delete/"])
def test_it_changes_nothing_for_an_anonymous_post(client: Client, dog, path: str) -> None:
    response = client.post(path.format(pk=dog.pk), GOOD)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert list(Dog.objects.values_list("name", flat=True)) == ["Biscuit"]


@pytest.mark.parametrize("path", ["/", "/dogs/{pk}/"])
def test_it_answers_405_to_a_post_on_a_read_only_page(owner_client, dog, path: str) -> None:
    assert owner_client.post(path.format(pk=dog.pk)).status_code == 405


@pytest.mark.parametrize("path", ["/dogs/new/", "/dogs/{pk}/edit/", "/dogs/{pk}/delete/"])
def test_it_answers_405_to_other_methods(owner_client, dog, path: str) -> None:
    assert owner_client.put(path.format(pk=dog.pk)).status_code == 405
    assert owner_client.delete(path.format(pk=dog.pk)).status_code == 405
    assert Dog.objects.filter(pk=dog.pk).exists()


# Create.


def test_it_gives_the_new_dog_to_whoever_is_signed_in(owner_client, owner, stranger) -> None:
    owner_client.post("/dogs/new/", {**GOOD, "owner": stranger.pk})
    assert Dog.objects.get(name="Rex").owner == owner


def test_it_thanks_the_owner_after_adding_a_dog(owner_client) -> None:
    response = owner_client.post("/dogs/new/", GOOD, follow=True)
    assert "Rex is in. Log a lean whenever it happens." in response.content.decode()


def test_it_offers_a_date_picker_for_the_birth_date(owner_client) -> None:
    page = owner_client.get("/dogs/new/").content.decode()
    assert 'type="date" name="birth_date"' in page


# Edit.


def test_it_saves_the_owners_changes(owner_client, dog) -> None:
    response = owner_client.post(f"/dogs/{dog.pk}/edit/", {**GOOD, "weight_kg": "30.2"})
    assert response.status_code == 302
    assert response["Location"] == f"/dogs/{dog.pk}/"
    dog.refresh_from_db()
    assert (dog.name, dog.size, dog.weight_kg) == ("Rex", "large", Decimal("30.2"))


def test_it_fills_the_edit_form_with_the_saved_values(owner_client, owner) -> None:
    dog = make_dog(owner, name="Biscuit", birth_date=dt.date(2021, 3, 14))
    page = owner_client.get(f"/dogs/{dog.pk}/edit/").content.decode()
    assert 'value="Biscuit"' in page
    assert 'value="2021-03-14"' in page


def test_it_keeps_the_dog_with_its_owner_when_the_post_names_another(
    owner_client, owner, dog, stranger
) -> None:
    owner_client.post(f"/dogs/{dog.pk}/edit/", {**GOOD, "owner": stranger.pk})
    dog.refresh_from_db()
    assert dog.owner == owner


# Delete.


def test_it_says_how_many_leans_go_with_the_dog(owner_client, dog) -> None:
    for hours in (1, 2, 3):
        make_incident(dog, occurred_at=dt.datetime(2025, 1, 1, hours, tzinfo=dt.UTC))
    page = owner_client.get(f"/dogs/{dog.pk}/delete/").content.decode()
    assert "This also deletes <strong>3 leans</strong> from Biscuit’s journal." in page


def test_it_says_when_no_leans_go_with_the_dog(owner_client, dog) -> None:
    page = owner_client.get(f"/dogs/{dog.pk}/delete/").content.decode()
    assert "Biscuit’s journal is empty, so no leans go with it." in page


def test_it_keeps_the_dog_when_the_confirmation_page_is_only_opened(owner_client, dog) -> None:
    owner_client.get(f"/dogs/{dog.pk}/delete/")
    assert Dog.objects.filter(pk=dog.pk).exists()


def test_it_deletes_the_dog_and_its_journal_on_post(owner_client, dog) -> None:
    make_incident(dog)
    response = owner_client.post(f"/dogs/{dog.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not Dog.objects.filter(pk=dog.pk).exists()
    assert not Incident.objects.exists()


def test_it_confirms_the_deletion_on_the_home_page(owner_client, dog) -> None:
    response = owner_client.post(f"/dogs/{dog.pk}/delete/", follow=True)
    assert "Biscuit and their journal were deleted." in response.content.decode()


# The dog's page.


def test_it_shows_the_dogs_profile(owner_client, owner) -> None:
    dog = make_dog(
        owner,
        name="Pepper",
        breed="Border Collie",
        sex="female",
        weight_kg=Decimal("18.5"),
        birth_date=dt.date(2015, 1, 1),
        notes="Hates the hoover.",
    )
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    expected = ["Pepper", "Border Collie", "Female", "18.5 kg", dog.age_label(), "Senior", "Hates the hoover"]
    for shown in expected:
        assert shown in page


def test_it_says_from_which_age_the_dogs_size_counts_as_senior(owner_client, owner) -> None:
    dog = make_dog(owner, size="giant")
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "A giant dog counts as a senior from 6 years." in page


def test_it_shows_html_in_the_dogs_notes_as_text(owner_client, owner) -> None:
    dog = make_dog(owner, notes="<b>bold</b>")
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_it_links_the_big_button_to_the_lean_form(owner_client, dog) -> None:
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert f'class="btn btn-primary btn-lg ll-log-button" href="/dogs/{dog.pk}/incidents/new/"' in page


def test_it_links_to_the_journal_and_the_report(owner_client, dog) -> None:
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert f'href="/dogs/{dog.pk}/incidents/"' in page
    assert f'href="/dogs/{dog.pk}/report/"' in page


def test_it_counts_the_week_today_and_all_leans_and_names_the_last(owner_client, dog) -> None:
    now = timezone.now()
    for days_ago in (0, 3, 10, 400):
        make_incident(dog, occurred_at=now - dt.timedelta(days=days_ago, minutes=1))
    Incident.objects.filter(occurred_at__lt=now - dt.timedelta(days=300)).delete()
    make_incident(dog, occurred_at=now - dt.timedelta(days=800))
    response = owner_client.get(f"/dogs/{dog.pk}/")
    assert response.context["counts"] == {"this_week": 2, "today": 1, "total": 4}
    assert response.context["dog"].last_lean_at == now - dt.timedelta(minutes=1)


# Queries on the dog's page, right after a write (nothing of it cached):
#   1. the session, 2. the signed-in owner, 3. the membership (with the read mark) and the dog
#   4. the journal stamp (the key of the report and of the page's part)
#   5 to 12. the 30-day report (journal/report/numbers.py load_reports: the stamps of its days
#      before today, its leans, the previous period's count, the first lean for a dog added
#      lately, check-ins, acknowledgements, weighings, events)
#  13. the dog's facts in one query of subqueries: the past week's and today's leans, all its
#      leans (added up from its days' counts), its first lean (the check-in form's first day)
#  14. the five latest leans, 15. the ongoing events
#  16. and 17. the latest weighing and the weighings of the 90 days before it
#  18. the vet's notes, 19. today's check-in (and who checked in)
# With the page's part in the cache, 5 to 17 are not asked. None grows with the journal.
DOG_PAGE_QUERIES = 19
DOG_PAGE_QUERIES_CACHED = 6


@pytest.mark.parametrize("leans", [1, 200])
def test_it_shows_the_dog_page_in_a_fixed_number_of_queries(
    owner_client, dog, django_assert_max_num_queries, leans: int
) -> None:
    now = timezone.now()
    Incident.objects.bulk_create(
        Incident(dog=dog, occurred_at=now - dt.timedelta(days=number, minutes=1), signs=["trembling"])
        for number in range(leans)
    )
    make_weight(dog, timezone.localdate(), "20.5")
    with django_assert_max_num_queries(DOG_PAGE_QUERIES):
        assert owner_client.get(f"/dogs/{dog.pk}/").status_code == 200
    with django_assert_max_num_queries(DOG_PAGE_QUERIES_CACHED):
        response = owner_client.get(f"/dogs/{dog.pk}/")
    assert response.context["counts"]["total"] == leans


def test_it_lists_only_the_latest_five_leans_newest_first(owner_client, dog) -> None:
    for day in range(1, 7):
        make_incident(dog, occurred_at=dt.datetime(2025, 3, day, 12, tzinfo=dt.UTC))
    response = owner_client.get(f"/dogs/{dog.pk}/")
    assert [incident.occurred_at.day for incident in response.context["recent"]] == [6, 5, 4, 3, 2]
    assert "See all 6 leans in the journal" in response.content.decode()


@pytest.mark.parametrize(
    ("location", "activity", "pinned", "said"),
    [
        ("dog_park", "walking", True, "Dog park · Walking"),
        # Home goes without saying beside an activity: no place, so no place pin either.
        ("home", "just_arrived", False, "Just came home"),
        ("home", "", True, "Home"),
        ("", "relaxing", False, "Relaxing"),
    ],
)
def test_it_pins_only_a_place_among_the_latest_leans(
    owner_client, dog, location, activity, pinned, said
) -> None:
    make_incident(dog, location=location, owner_activity=activity)
    (where,) = select(owner_client.get(f"/dogs/{dog.pk}/"), "[data-setting]")
    assert (bool(where.select("svg")), " ".join(where.text.split())) == (pinned, said)


def test_it_shows_a_leans_intensity_location_and_signs(owner_client, dog) -> None:
    make_incident(dog, intensity=4, location="dog_park", signs=["trembling", "tail_wagging"])
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "4 · Heavy lean" in page
    assert "Dog park" in page
    assert "Trembling" in page
    assert "Tail wagging" in page


def test_it_invites_the_first_lean_when_the_journal_is_empty(owner_client, dog) -> None:
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "No leans logged yet." in page


def test_it_shows_a_leans_time_in_the_owners_zone(owner_client, owner, dog) -> None:
    owner.time_zone = "Asia/Tokyo"
    owner.save()
    make_incident(dog, occurred_at=dt.datetime(2025, 1, 10, 3, 0, tzinfo=dt.UTC))
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "Fri 10 Jan 2025, 12:00" in page  # 03:00 UTC is noon in Tokyo


def test_it_names_the_strongest_lean_as_the_lean_form_does(owner_client, dog) -> None:
    make_incident(dog, intensity=5)
    page = owner_client.get(f"/dogs/{dog.pk}/").content.decode()
    form = owner_client.get(f"/dogs/{dog.pk}/incidents/new/").content.decode()
    assert "Full-weight lean" in page and "Full-weight lean" in form
    assert "pushes you off balance" not in page + form


def test_it_says_the_profiles_weight_is_not_a_weighing(owner_client, owner) -> None:
    dog = make_dog(owner, name="Bramble", weight_kg=Decimal("31.5"))

    response = owner_client.get(f"/dogs/{dog.pk}/")

    assert "the 31.5 kg under “About Bramble” is the weight given when Bramble was added" in text(response)


def test_it_shows_the_latest_weighing_instead_of_the_note(owner_client, owner) -> None:
    dog = make_dog(owner, name="Bramble", weight_kg=Decimal("31.5"))
    make_weight(dog, timezone.localdate(), "30.0")

    response = owner_client.get(f"/dogs/{dog.pk}/")

    assert "is the weight given when" not in text(response)


def test_it_gives_each_member_their_own_edit_links_from_the_cache(owner_client, dog) -> None:
    carer = make_owner("carol")
    add_member(dog, carer, "carer")
    make_incident(dog, occurred_at=timezone.now() - dt.timedelta(hours=2), logged_by=dog.owner)
    mine = make_incident(dog, occurred_at=timezone.now() - dt.timedelta(hours=1), logged_by=carer)
    url = f"/dogs/{dog.pk}/"
    # The owner's view keeps the page's part; the carer's must not be served the owner's links.
    assert owner_client.get(url).content.decode().count("(edit this lean)") == 2
    carer_client = Client()
    carer_client.force_login(carer)
    page = carer_client.get(url).content.decode()
    assert page.count("(edit this lean)") == 1
    assert f'href="/dogs/{dog.pk}/incidents/{mine.pk}/edit/"' in page


# A weight outside the size class: the class decides when the dog is a senior.


def warnings_of(response) -> list[str]:
    return [" ".join(alert.text.split()) for alert in select(response, ".ll-messages .alert-warning")]


def test_it_says_when_a_grown_dogs_weight_points_to_another_size_class(owner_client) -> None:
    response = owner_client.post(
        "/dogs/new/", {**GOOD, "size": "medium", "weight_kg": "28.5", "birth_date": "2019-05-01"}, follow=True
    )
    assert warnings_of(response) == [
        "Rex weighs 28.5 kg, outside “Medium (10–25 kg)”. The size class decides when Rex counts "
        "as a senior, and so how soon Leanlog suggests a vet check: if Rex is fully grown, "
        "“Large (25–45 kg)” may fit better. Meanwhile Leanlog counts Rex as a senior from 7 years, "
        "as it would a dog of that weight."
    ]
    assert Dog.objects.get().size == "medium"


def test_it_says_nothing_of_a_sooner_age_when_the_weight_is_a_smaller_class(owner_client) -> None:
    response = owner_client.post(
        "/dogs/new/", {**GOOD, "size": "large", "weight_kg": "18", "birth_date": "2019-05-01"}, follow=True
    )
    (said,) = warnings_of(response)
    assert "“Medium (10–25 kg)” may fit better." in said and "Meanwhile" not in said


@pytest.mark.parametrize(
    ("size", "kg", "born"),
    [
        ("medium", "25", "2019-05-01"),  # on the bound medium and large share
        ("large", "28.5", "2019-05-01"),
        ("giant", "80", "2019-05-01"),
        ("medium", "", "2019-05-01"),  # no weight given
        ("large", "9", None),  # a puppy, still growing into its class
    ],
)
def test_it_says_nothing_of_a_weight_inside_the_class_or_a_puppys(owner_client, size, kg, born) -> None:
    born = born or (timezone.localdate() - dt.timedelta(days=120)).isoformat()
    response = owner_client.post(
        "/dogs/new/", {**GOOD, "size": size, "weight_kg": kg, "birth_date": born}, follow=True
    )
    assert response.status_code == 200 and Dog.objects.count() == 1
    assert warnings_of(response) == []


def test_it_says_it_again_after_an_edit(owner_client, dog) -> None:
    data = {**GOOD, "name": dog.name, "size": "small", "weight_kg": "12", "birth_date": "2018-01-01"}
    response = owner_client.post(f"/dogs/{dog.pk}/edit/", data, follow=True)
    assert [text.split(".")[0] for text in warnings_of(response)] == [
        f"{dog.name} weighs 12 kg, outside “Small (5–10 kg)”"
    ]


def test_it_says_when_the_weight_brings_the_senior_age_forward(owner_client, owner) -> None:
    dog = make_dog(owner, "Biscuit", size="medium", weight_kg=Decimal("40"))
    page = owner_client.get(f"/dogs/{dog.pk}/")

    said = " ".join(select_one(page, "#senior-from").text.split())
    assert said == (
        "At 40 kg, Biscuit weighs as a bigger size class does: Leanlog counts Biscuit as a senior "
        "from 7 years, the sooner age of the two."
    )


def test_it_keeps_the_age_and_its_stage_together_in_the_dogs_header(owner_client, owner) -> None:
    dog = make_dog(owner, breed="Nova Scotia duck tolling retriever", birth_date=dt.date(2015, 5, 1))

    together = select_one(owner_client.get(f"/dogs/{dog.pk}/"), "header .ll-dots-item.text-nowrap")

    assert together.text.startswith(f"{dog.age_label()} old")
    assert together.select_one(".ll-stage") is not None
