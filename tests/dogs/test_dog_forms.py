"""Bad input on the dog form: nothing saved, the message under the field, the rest kept."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import timezone

from dogs.models import Dog
from tests.helpers import field_error, field_value, make_dog, make_weight, select_one, selected_option

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Rex",
    "breed": "Greyhound",
    "size": "large",
    "birth_date": "2020-04-01",
    "sex": "male",
    "weight_kg": "31.5",
    "notes": "Shy with strangers.",
}


def post_new(client, **changes):
    return client.post("/dogs/new/", {**GOOD, **changes})


def test_it_saves_a_good_dog(owner_client, owner) -> None:
    response = post_new(owner_client)
    dog = Dog.objects.get(owner=owner, name="Rex")
    assert response.status_code == 302
    assert response["Location"] == f"/dogs/{dog.pk}/"
    assert (dog.breed, dog.size, dog.birth_date, dog.sex, dog.weight_kg) == (
        "Greyhound",
        "large",
        dt.date(2020, 4, 1),
        "male",
        Decimal("31.5"),
    )


def test_it_saves_a_dog_without_the_optional_fields(owner_client, owner) -> None:
    response = post_new(owner_client, breed="", sex="", weight_kg="", notes="")
    assert response.status_code == 302
    dog = Dog.objects.get(owner=owner)
    assert (dog.sex, dog.weight_kg, dog.notes) == ("", None, "")


def test_it_accepts_a_birth_date_of_today_in_the_owners_zone(owner_client, owner) -> None:
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(owner.time_zone))
    response = post_new(owner_client, birth_date=today.isoformat())
    assert response.status_code == 302


def test_it_refuses_a_birth_date_in_the_future(owner_client, owner) -> None:
    tomorrow = timezone.localdate(timezone=zoneinfo.ZoneInfo(owner.time_zone)) + dt.timedelta(days=1)
    response = post_new(owner_client, birth_date=tomorrow.isoformat())
    assert response.status_code == 200
    assert field_error(response, "birth_date") == "The birth date cannot be in the future."
    assert not Dog.objects.exists()


def test_it_refuses_a_birth_date_that_is_not_a_date(owner_client) -> None:
    response = post_new(owner_client, birth_date="2021-02-30")
    assert field_error(response, "birth_date") == "Enter the date as YYYY-MM-DD."
    assert not Dog.objects.exists()


def test_it_refuses_a_missing_birth_date(owner_client) -> None:
    response = post_new(owner_client, birth_date="")
    assert field_error(response, "birth_date") == "Enter a birth date; a guess is fine."
    assert not Dog.objects.exists()


def test_it_refuses_an_unknown_size(owner_client) -> None:
    response = post_new(owner_client, size="huge")
    assert response.status_code == 200
    assert field_error(response, "size") == "Choose one of the size classes in the list."
    assert not Dog.objects.exists()


def test_it_refuses_an_unknown_sex(owner_client) -> None:
    response = post_new(owner_client, sex="other")
    assert field_error(response, "sex") == "Choose female, male or leave it empty."
    assert not Dog.objects.exists()


def test_it_refuses_notes_over_2000_characters(owner_client) -> None:
    response = post_new(owner_client, notes="a" * 2001)
    assert field_error(response, "notes") == (
        "The notes can hold up to 2000 characters; these have 2001. Please shorten them."
    )
    assert not Dog.objects.exists()


def test_it_accepts_notes_of_exactly_2000_characters(owner_client, owner) -> None:
    post_new(owner_client, notes="a" * 2000)
    assert len(Dog.objects.get(owner=owner).notes) == 2000


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("0.4", "That is lighter than any dog: enter at least 0.5 kg."),
        ("150.1", "That is heavier than any dog: enter at most 150 kg."),
        ("heavy", "Enter the weight as a number of kilograms, such as 12.5."),
    ],
)
def test_it_refuses_a_weight_out_of_range(owner_client, weight: str, message: str) -> None:
    response = post_new(owner_client, weight_kg=weight)
    assert field_error(response, "weight_kg") == message
    assert not Dog.objects.exists()


def test_it_refuses_a_missing_name(owner_client) -> None:
    response = post_new(owner_client, name="")
    assert field_error(response, "name") == "Give your dog a name."
    assert not Dog.objects.exists()


def test_it_keeps_what_the_owner_typed_when_one_field_is_wrong(owner_client) -> None:
    response = post_new(owner_client, weight_kg="400")
    assert field_value(response, "name") == "Rex"
    assert field_value(response, "breed") == "Greyhound"
    assert field_value(response, "birth_date") == "2020-04-01"
    assert field_value(response, "weight_kg") == "400"
    assert selected_option(response, "size") == "large"
    assert selected_option(response, "sex") == "male"
    assert "Shy with strangers." in response.content.decode()


def test_it_marks_only_the_wrong_field(owner_client) -> None:
    response = post_new(owner_client, size="huge")
    assert field_error(response, "name") == ""
    assert field_error(response, "birth_date") == ""


def test_it_shows_html_in_notes_as_text(owner_client) -> None:
    response = post_new(owner_client, notes="<script>alert(1)</script>", size="huge")
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_changes_nothing_when_an_edit_is_wrong(owner_client, owner) -> None:
    dog = make_dog(owner, name="Biscuit", size="medium", birth_date=dt.date(2021, 3, 14))
    response = owner_client.post(f"/dogs/{dog.pk}/edit/", {**GOOD, "name": "Renamed", "size": "huge"})
    assert field_error(response, "size") == "Choose one of the size classes in the list."
    assert field_value(response, "name") == "Renamed"
    dog.refresh_from_db()
    assert (dog.name, dog.size) == ("Biscuit", "medium")


def test_it_keeps_the_saved_name_in_the_heading_when_an_edit_is_wrong(owner_client, owner) -> None:
    dog = make_dog(owner, name="Biscuit")
    response = owner_client.post(f"/dogs/{dog.pk}/edit/", {**GOOD, "name": "", "size": "huge"})
    assert '<h1 class="h2 mb-1">Edit Biscuit</h1>' in response.content.decode()


def test_it_sums_up_the_refusal_above_the_form(owner_client) -> None:
    response = post_new(owner_client, name="", weight_kg="heavy")
    summary = select_one(response, "#form-errors")
    assert summary is not None and summary.get("role") == "alert"
    assert "Nothing was saved yet. Please fix the answers marked below" in summary.text


def test_it_links_the_summary_to_each_field_that_needs_fixing(owner_client) -> None:
    page = post_new(owner_client, name="").content.decode()
    assert '<li><a class="alert-link" href="#id_name">Name</a>: Give your dog a name.</li>' in page
    assert 'href="#id_breed"' not in page


def test_it_shows_no_summary_on_a_fresh_form(owner_client) -> None:
    assert 'role="alert"' not in owner_client.get("/dogs/new/").content.decode()


def edit_form_of(dog) -> dict[str, str]:
    return {**GOOD, "name": dog.name, "size": dog.size, "birth_date": dog.birth_date.isoformat(), "sex": ""}


def test_it_names_the_latest_weighing_beside_the_dogs_own_weight(owner_client, owner) -> None:
    dog = make_dog(owner, "Ruby", weight_kg=Decimal("29.5"))
    make_weight(dog, dt.date(2026, 11, 28), "30.45")

    response = owner_client.get(f"/dogs/{dog.pk}/edit/")

    # The form keeps the dog's own weight: a weighing (a slip, maybe) never overwrites it.
    assert field_value(response, "weight_kg") == "29.5"
    assert "The latest weighing is 30.45 kg, on 28 November 2026." in response.content.decode()


def test_it_notes_a_changed_weight_as_todays_weighing(owner_client, owner) -> None:
    dog = make_dog(owner, "Ruby", weight_kg=Decimal("29.5"))
    make_weight(dog, dt.date(2026, 11, 28), "29.0")

    response = owner_client.post(
        f"/dogs/{dog.pk}/edit/", {**edit_form_of(dog), "weight_kg": "28.2"}, follow=True
    )

    latest = dog.weights.order_by("-measured_on", "-id").first()
    assert (latest.measured_on, latest.weight_kg) == (timezone.localdate(), Decimal("28.2"))
    assert Dog.objects.get(pk=dog.pk).weight_kg == Decimal("28.2")
    assert "Noted: Ruby weighed 28.2 kg on" in response.content.decode()


def test_it_adds_no_weighing_when_the_weight_is_left_as_shown(owner_client, owner) -> None:
    dog = make_dog(owner, "Ruby", weight_kg=Decimal("29.5"))
    make_weight(dog, dt.date(2026, 11, 28), "29.0")

    owner_client.post(
        f"/dogs/{dog.pk}/edit/", {**edit_form_of(dog), "name": "Ruby Tuesday", "weight_kg": "29.5"}
    )

    assert dog.weights.count() == 1
    assert Dog.objects.get(pk=dog.pk).name == "Ruby Tuesday"
    assert Dog.objects.get(pk=dog.pk).weight_kg == Decimal("29.5")
