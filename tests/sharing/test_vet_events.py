"""The vet's link shows the timeline's before and after, speaking of the family, never to it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog, Owner
from journal.models import CheckIn
from tests.helpers import make_dog, make_event, make_incident, make_share, select


def _day(day: dt.date) -> str:
    return f"{day:%-d %B}" if day.year == timezone.localdate().year else f"{day:%-d %B %Y}"


@pytest.fixture
def old_dog(owner: Owner) -> Dog:
    """A dog whose journal began 120 days ago, so every window below has journal before it."""
    return make_dog(owner, "Ruby", created_at=timezone.now() - dt.timedelta(days=120))


def at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def check_in(dog: Dog, days: list[dt.date]) -> None:
    CheckIn.objects.bulk_create(CheckIn(dog=dog, date=day) for day in days)


def shaky_then_calm(dog: Dog) -> dt.date:
    """Nine shaky leans in the 28 days before a start 30 days ago, two after; every day observed."""
    start = timezone.localdate() - dt.timedelta(days=30)
    for offset in range(1, 10):
        make_incident(dog, at_noon(start - dt.timedelta(days=offset * 3)), signs=["shaky_legs"])
    for offset in (2, 9):
        make_incident(dog, at_noon(start + dt.timedelta(days=offset)), signs=["shaky_legs"])
    check_in(dog, [start + dt.timedelta(days=offset) for offset in range(-28, 28)])
    return start


def too_few_days_after(dog: Dog) -> dt.date:
    """A start 20 days ago: every day before it observed, only its first day after."""
    start = timezone.localdate() - dt.timedelta(days=20)
    check_in(dog, [start + dt.timedelta(days=offset) for offset in range(-21, 1)])
    return start


def test_it_shows_the_before_and_after_on_the_vets_page(old_dog: Dog) -> None:
    make_event(old_dog, shaky_then_calm(old_dog), title="Carprofen")
    _, token = make_share(old_dog)

    response = Client().get(f"/share/{token}/")

    items = select(response, "#report-events [data-event]")
    assert [item.get("data-change") for item in items] == ["fewer"]
    assert items[0].text.startswith("Since “Carprofen” began on")
    assert "2.25 → 0.50 leans a week" in items[0].text
    assert "Other things may have changed too." in items[0].text


def test_it_asks_the_family_not_the_vet_to_check_in(owner_client: Client, old_dog: Dog) -> None:
    start = too_few_days_after(old_dog)
    make_event(old_dog, start, title="Carprofen")
    _, token = make_share(old_dog)
    needed = f"check in on 3 more days by {_day(timezone.localdate())} to compare."

    vets = select(Client().get(f"/share/{token}/"), "#report-events [data-event]")[0].text
    owners = select(
        owner_client.get(reverse("journal:report", args=[old_dog.pk]), {"days": 90}),
        "#report-events [data-event]",
    )[0].text

    assert vets == f"Since “Carprofen” began on {_day(start)}: the family needs to {needed}"
    assert owners == f"Since “Carprofen” began on {_day(start)}: {needed}"


def test_it_says_the_family_in_the_vets_report_json(owner_client: Client, old_dog: Dog) -> None:
    start = too_few_days_after(old_dog)
    make_event(old_dog, start, title="Carprofen")
    share, token = make_share(old_dog)
    period = {"start": share.start.isoformat(), "end": share.end.isoformat()}

    [vets] = Client().get(f"/share/{token}/report.json").json()["events"]
    [owners] = owner_client.get(reverse("journal:report-json", args=[old_dog.pk]), period).json()["events"]

    assert vets["comparison"]["text"].startswith(
        f"Since “Carprofen” began on {_day(start)}: the family needs to "
    )
    assert owners["comparison"]["text"].startswith(f"Since “Carprofen” began on {_day(start)}: check in on ")
    # Only the words differ: the numbers are the family's report's.
    assert {**vets["comparison"], "text": ""} == {**owners["comparison"], "text": ""}


def test_it_never_tells_the_vet_to_look_again_later(old_dog: Dog) -> None:
    # The link's dates are fixed when it is made: three days after the start, they never grow.
    start = timezone.localdate() - dt.timedelta(days=2)
    check_in(old_dog, [start + dt.timedelta(days=offset) for offset in range(-10, 3)])
    make_event(old_dog, start, title="Sit-stay course", kind="training")
    _, token = make_share(old_dog)

    [item] = select(Client().get(f"/share/{token}/"), "#report-events [data-event]")

    assert item.get("data-change") == "too_early"
    assert "look again" not in item.text
    assert "the report’s dates cover only 3 days from its start" in item.text


def test_it_speaks_to_nobody_as_you_in_the_vets_before_and_after(old_dog: Dog) -> None:
    make_event(old_dog, shaky_then_calm(old_dog), title="Carprofen")
    make_event(
        old_dog, timezone.localdate() - dt.timedelta(days=2), title="Joint supplement", kind="supplement"
    )
    _, token = make_share(old_dog)

    [section] = select(Client().get(f"/share/{token}/"), "#report-events")

    assert [item.get("data-change") for item in section.select("[data-event]")] == ["fewer", "too_early"]
    words = f" {section.text} "
    for word in (" you ", " your ", " You ", " Your ", "look again"):
        assert word not in words
