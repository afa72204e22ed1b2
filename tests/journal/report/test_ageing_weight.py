"""A dog ages by the heavier of its form's weight and its latest weighing, on every page alike.

A medium dog counts as a senior from 8, a large one (over 25 kg) from 7, and a senior's shaky
leans need a vet check sooner. A dog added without a weight, or as a lighter dog than its
weighings now show, must not be kept an adult by the form: that would be false reassurance.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from dogs.models import Dog, LifeStage, heavier
from tests.helpers import make_dog, make_incident, make_share, make_weight, select, select_one

pytestmark = pytest.mark.django_db


def seven_and_a_half_years_ago() -> dt.date:
    """A birth date that makes the dog 7 years and 6 months old today: an adult medium, a senior large."""
    today = timezone.localdate()
    return dt.date(today.year - 8, today.month, 1) + dt.timedelta(days=190)


def two_shaky_leans(dog: Dog) -> None:
    for days in (1, 3):
        make_incident(dog, occurred_at=timezone.now() - dt.timedelta(days=days), signs=["stiffness"])


@pytest.mark.parametrize(
    ("form", "weighed", "expected"),
    [
        (None, None, None),
        (Decimal("20"), None, Decimal("20")),
        (None, Decimal("40"), Decimal("40")),
        (Decimal("20"), Decimal("40"), Decimal("40")),
        (Decimal("40"), Decimal("20"), Decimal("40")),  # a lighter weighing never makes it a senior later
    ],
)
def test_it_ages_a_dog_by_the_heavier_weight_known(form, weighed, expected) -> None:
    assert heavier(form, weighed) == expected


@pytest.mark.parametrize(("weighed", "flagged"), [(None, False), ("22", False), ("40", True)])
def test_the_report_sends_a_dog_weighed_as_a_bigger_class_to_the_vet(
    owner_client, owner, weighed, flagged
) -> None:
    dog = make_dog(owner, "Rex", size="medium", birth_date=seven_and_a_half_years_ago())
    if weighed:
        make_weight(dog, timezone.localdate() - dt.timedelta(days=5), weighed)
    two_shaky_leans(dog)

    data = owner_client.get(f"/dogs/{dog.pk}/report.json").json()

    assert data["dog"]["life_stage"] == ("senior" if flagged else "adult")
    assert ("vet_check" in [flag["code"] for flag in data["flags"]]) == flagged


def test_every_page_names_the_stage_the_report_counts_by(owner_client, owner, client) -> None:
    dog = make_dog(owner, "Rex", size="medium", birth_date=seven_and_a_half_years_ago())
    make_weight(dog, timezone.localdate() - dt.timedelta(days=5), "40")
    _, token = make_share(dog)

    dog_page = owner_client.get(f"/dogs/{dog.pk}/")
    report = owner_client.get(f"/dogs/{dog.pk}/report/")
    home = owner_client.get("/")
    vets_copy = client.get(f"/share/{token}/")

    for page in (dog_page, report, home, vets_copy):
        (badge,) = select(page, ".ll-stage")
        assert badge.text == LifeStage.SENIOR.label, page.request["PATH_INFO"]
    said = " ".join(select_one(dog_page, "#senior-from").text.split())
    assert said.startswith("At 40 kg, Rex weighs as a bigger size class does")


def test_a_weighing_moves_the_stage_on_pages_already_seen(owner_client, owner) -> None:
    dog = make_dog(owner, "Rex", size="medium", birth_date=seven_and_a_half_years_ago())
    assert select_one(owner_client.get(f"/dogs/{dog.pk}/"), ".ll-stage").text == LifeStage.ADULT.label

    make_weight(dog, timezone.localdate(), "40")

    assert select_one(owner_client.get(f"/dogs/{dog.pk}/"), ".ll-stage").text == LifeStage.SENIOR.label
