"""Age and life stage: the size table decides when a dog is a puppy or a senior."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dogs.models import Dog, LifeStage, age_in_months, life_stage
from tests.helpers import make_dog

TODAY = dt.date(2025, 6, 15)


def years_before(today: dt.date, years: int) -> dt.date:
    return today.replace(year=today.year - years)


def test_it_counts_a_month_only_once_its_day_has_come() -> None:
    assert age_in_months(dt.date(2024, 5, 16), TODAY) == 12
    assert age_in_months(dt.date(2024, 5, 15), TODAY) == 13


def test_it_gives_zero_months_on_the_birth_day() -> None:
    assert age_in_months(TODAY, TODAY) == 0


def test_it_labels_a_young_puppy_in_months() -> None:
    dog = Dog(size="medium", birth_date=dt.date(2025, 1, 15))
    assert dog.age_label(TODAY) == "5 months"


def test_it_labels_one_month_in_the_singular() -> None:
    dog = Dog(size="medium", birth_date=dt.date(2025, 5, 15))
    assert dog.age_label(TODAY) == "1 month"


def test_it_labels_whole_years_without_months() -> None:
    dog = Dog(size="medium", birth_date=dt.date(2022, 6, 15))
    assert dog.age_label(TODAY) == "3 years"


def test_it_labels_years_and_months() -> None:
    dog = Dog(size="medium", birth_date=dt.date(2021, 3, 14))
    assert dog.age_label(TODAY) == "4 y 3 m"


def test_it_gives_age_in_years_to_one_decimal() -> None:
    dog = Dog(size="medium", birth_date=dt.date(2021, 12, 15))
    assert dog.age_years(TODAY) == 3.5


@pytest.mark.parametrize(
    ("size", "senior_from"), [("toy", 10), ("small", 9), ("medium", 8), ("large", 7), ("giant", 6)]
)
def test_it_makes_a_dog_senior_on_the_day_its_size_class_says(size: str, senior_from: int) -> None:
    assert life_stage(size, years_before(TODAY, senior_from), TODAY) == LifeStage.SENIOR


@pytest.mark.parametrize(
    ("size", "senior_from"), [("toy", 10), ("small", 9), ("medium", 8), ("large", 7), ("giant", 6)]
)
def test_it_keeps_a_dog_adult_the_day_before_its_senior_age(size: str, senior_from: int) -> None:
    born = years_before(TODAY, senior_from) + dt.timedelta(days=1)
    assert life_stage(size, born, TODAY) == LifeStage.ADULT


@pytest.mark.parametrize("size", ["toy", "small", "medium"])
def test_it_ends_puppyhood_at_12_months_for_smaller_dogs(size: str) -> None:
    assert life_stage(size, dt.date(2024, 6, 16), TODAY) == LifeStage.PUPPY  # 11 months
    assert life_stage(size, dt.date(2024, 6, 15), TODAY) == LifeStage.ADULT  # 12 months


@pytest.mark.parametrize("size", ["large", "giant"])
def test_it_keeps_large_dogs_puppies_until_18_months(size: str) -> None:
    assert life_stage(size, dt.date(2024, 6, 15), TODAY) == LifeStage.PUPPY  # 12 months
    assert life_stage(size, dt.date(2023, 12, 16), TODAY) == LifeStage.PUPPY  # a day short of 18 months
    assert life_stage(size, dt.date(2023, 12, 15), TODAY) == LifeStage.ADULT  # 18 months


def test_it_gives_the_life_stage_label_for_people() -> None:
    dog = Dog(size="giant", birth_date=dt.date(2018, 1, 1))
    assert dog.life_stage_label(TODAY) == "Senior"
    assert dog.is_senior(TODAY)


@pytest.mark.django_db
def test_it_refuses_a_birth_date_in_the_future(owner) -> None:
    dog = Dog(owner=owner, name="Soon", size="small", birth_date=dt.date(2999, 1, 1))
    with pytest.raises(ValidationError) as raised:
        dog.full_clean()
    assert raised.value.message_dict["birth_date"] == ["The birth date cannot be in the future."]


@pytest.mark.django_db
def test_it_refuses_a_birth_date_before_1990(owner) -> None:
    dog = Dog(owner=owner, name="Old", size="small", birth_date=dt.date(1989, 12, 31))
    with pytest.raises(ValidationError) as raised:
        dog.full_clean()
    assert raised.value.message_dict["birth_date"] == ["Enter a birth date after 1990."]


@pytest.mark.django_db
def test_it_links_a_dog_to_its_page(owner) -> None:
    dog = make_dog(owner)
    assert dog.get_absolute_url() == f"/dogs/{dog.pk}/"


# A dog of 7 years and 9 months on TODAY: a senior as a large dog (from 7), an adult as a medium (from 8).
SEVEN_AND_NINE = dt.date(2017, 9, 15)


@pytest.mark.parametrize(
    ("size", "kg", "stage"),
    [
        ("medium", None, LifeStage.ADULT),
        ("medium", Decimal("25"), LifeStage.ADULT),  # a medium dog's top weight
        ("medium", Decimal("25.1"), LifeStage.SENIOR),  # a large dog's weight: a senior from 7
        ("medium", Decimal("40"), LifeStage.SENIOR),
        ("large", Decimal("20"), LifeStage.SENIOR),  # a lighter weight never makes it a senior later
    ],
)
def test_it_counts_a_dog_that_weighs_as_a_bigger_class_a_senior_at_that_class_age(size, kg, stage) -> None:
    assert life_stage(size, SEVEN_AND_NINE, TODAY, kg) == stage
    assert Dog(size=size, birth_date=SEVEN_AND_NINE, weight_kg=kg).life_stage(TODAY) == stage


def test_it_leaves_a_puppy_a_puppy_whatever_it_weighs() -> None:
    assert life_stage("medium", dt.date(2024, 9, 1), TODAY, Decimal("40")) == LifeStage.PUPPY
