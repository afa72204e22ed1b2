"""The report's pages say only what was noted: shares' bases, counts under a week, the vet's copy."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog
from journal.models import FlagAcknowledgement
from tests.helpers import make_dog, make_incident, make_share, select_one, text


def report_url(dog: Dog) -> str:
    return reverse("journal:report", args=[dog.pk])


def older_dog(owner, days: int = 60) -> Dog:
    return make_dog(owner, name="Old", created_at=timezone.now() - dt.timedelta(days=days))


def test_it_says_the_basis_of_a_place_noted_on_one_lean_of_two(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=2), location="home")
    make_incident(dog, timezone.now() - dt.timedelta(hours=1), location="")
    response = owner_client.get(report_url(dog))
    answer = select_one(response, "#chart-locations").text
    assert answer == "Home (the 1 of 2 leans with a place noted)."
    assert "Every lean" not in text(response)


def test_it_says_every_lean_only_when_every_lean_noted_it(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=2), location="home")
    make_incident(dog, timezone.now() - dt.timedelta(hours=1), location="home")
    answer = select_one(owner_client.get(report_url(dog)), "#chart-locations").text
    assert answer.startswith("Every lean: Home")


def test_it_names_a_lone_lean_as_the_one_not_every(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=2), location="home")
    answer = select_one(owner_client.get(report_url(dog)), "#chart-locations").text
    assert answer == "The one lean: Home ."  # tags read as spaces


def test_it_says_how_many_leans_the_mean_intensity_rests_on(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=2), intensity=4)
    make_incident(dog, timezone.now() - dt.timedelta(hours=1), intensity=None)
    basis = select_one(owner_client.get(report_url(dog)), "#summary-intensity-basis").text
    assert basis.endswith("from the 1 of 2 leans with an intensity noted")


def test_it_shows_a_rate_per_week_from_seven_days_of_journal(owner_client: Client, owner) -> None:
    old = older_dog(owner)
    make_incident(old, timezone.now() - dt.timedelta(days=2))
    assert select_one(owner_client.get(report_url(old), {"days": "7"}), "#summary-rate").text.strip() == "1.0"


def test_it_draws_no_heat_map_under_ten_leans(owner_client: Client, owner) -> None:
    old = older_dog(owner)
    for day in range(9):
        make_incident(old, timezone.now() - dt.timedelta(days=day + 1))
    response = owner_client.get(report_url(old))
    assert select_one(response, "#table-heat") is None
    assert "9 leans in this period: too few for a map" in select_one(response, "#heat-too-few").text


def test_it_draws_the_heat_map_from_ten_leans(owner_client: Client, owner) -> None:
    old = older_dog(owner)
    for day in range(10):
        make_incident(old, timezone.now() - dt.timedelta(days=day + 1))
    assert select_one(owner_client.get(report_url(old)), "#table-heat") is not None


def test_it_calls_a_thinly_watched_month_sparse_on_the_page(owner_client: Client, owner) -> None:
    old = older_dog(owner)
    for day in range(7):
        make_incident(old, timezone.now() - dt.timedelta(days=day + 1), location="home", intensity=2)
    verdict = select_one(owner_client.get(report_url(old)), "[data-verdict]")
    assert verdict.attrs["data-verdict"] == "sparse"
    assert verdict.text.strip() == "Nothing flagged in 7 leans, but the journal covers only 7 of 30 days."


def test_it_speaks_of_the_family_on_the_vets_copy(owner, dog: Dog) -> None:
    for hours in range(4):
        make_incident(dog, timezone.now() - dt.timedelta(hours=hours + 1), signs=["stiffness"])
    now = timezone.now()
    FlagAcknowledgement.objects.create(dog=dog, code="vet_check", on=timezone.localdate(), created_at=now)
    _, token = make_share(dog, days=30)
    page = text(Client().get(f"/share/{token}/"))
    assert "The family marked it as handled" in page
    assert "The family marked this as handled" in page
    assert "You marked" not in page
    assert "See your vet" not in page
    assert "What you can do" not in page


def test_it_writes_no_second_full_stop_after_a_quoted_note(owner_client: Client, dog: Dog) -> None:
    for hours in range(4):
        make_incident(dog, timezone.now() - dt.timedelta(hours=hours + 1), signs=["stiffness"])
    FlagAcknowledgement.objects.create(
        dog=dog, code="vet_check", on=timezone.localdate(), created_at=timezone.now(), note="Vet saw her."
    )
    handled = select_one(owner_client.get(report_url(dog)), ".ll-acknowledged").text
    assert handled.rstrip().endswith("“Vet saw her.”")


def test_it_names_no_intensity_line_in_the_legend_when_none_was_noted(owner_client: Client, dog: Dog) -> None:
    make_incident(dog, timezone.now() - dt.timedelta(hours=2), intensity=None)
    response = owner_client.get(report_url(dog))
    legend = select_one(response, "#chart-weekly figcaption").text
    assert "Mean intensity" not in legend
    assert "No intensity was noted, so no line is drawn." in legend

    make_incident(dog, timezone.now() - dt.timedelta(hours=1), intensity=3)
    legend = select_one(owner_client.get(report_url(dog)), "#chart-weekly figcaption").text
    assert "Mean intensity, 1–5 (right scale)" in legend
