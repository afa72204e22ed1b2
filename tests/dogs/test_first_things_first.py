"""On a phone, first things first: the most urgent dog on top, a new vet note where it is seen."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dogs.models import Dog, Membership
from sharing.models import VetNote
from tests.helpers import add_member, make_dog, make_incident, make_owner, make_share, select, select_one


def home_names(client: Client) -> list[str]:
    return [heading.text.strip() for heading in select(client.get("/"), "article.ll-dog-card h2")]


def leave_note(dog: Dog, text: str = "Hips look fine.") -> VetNote:
    share, _ = make_share(dog)
    return VetNote.objects.create(share=share, dog=dog, author="Dr Okafor", text=text)


def dog_page(client: Client, dog: Dog):
    return client.get(reverse("dogs:dog-detail", args=[dog.pk]))


def test_it_puts_the_dog_that_needs_the_vet_first_on_home(owner_client: Client, owner) -> None:
    make_dog(owner, name="Abby")
    ruby = make_dog(owner, name="Ruby", created_at=timezone.now() - dt.timedelta(days=60))
    for hours in range(4):
        make_incident(ruby, timezone.now() - dt.timedelta(hours=hours + 1), signs=["stiffness"])
    assert home_names(owner_client) == ["Ruby", "Abby"]


def test_it_keeps_dogs_of_the_same_urgency_in_name_order(owner_client: Client, owner) -> None:
    for name in ("Cleo", "Abby", "Bo"):
        make_dog(owner, name=name)
    assert home_names(owner_client) == ["Abby", "Bo", "Cleo"]


def test_it_shows_a_new_vet_note_at_the_top_of_the_dog_page(owner_client: Client, dog: Dog) -> None:
    leave_note(dog)
    response = dog_page(owner_client, dog)
    news = select_one(response, "[data-vet-notes-new]")
    assert "Hips look fine." in news.text
    # Before the verdict and the latest leans.
    html = response.content.decode()
    assert html.index("data-vet-notes-new") < html.index("data-verdict")


def test_it_shows_a_new_vet_note_on_the_home_card(owner_client: Client, dog: Dog) -> None:
    leave_note(dog)
    assert select_one(owner_client.get("/"), "[data-vet-note-new]") is not None


def test_it_moves_a_read_note_down_for_the_member_who_read_it(owner_client: Client, dog: Dog) -> None:
    leave_note(dog)
    response = owner_client.post(reverse("dogs:vet-notes-read", args=[dog.pk]))
    assert response.status_code == 302
    page = dog_page(owner_client, dog)
    assert select_one(page, "[data-vet-notes-new]") is None
    assert "Hips look fine." in select_one(page, "[data-vet-notes]").text
    assert select_one(owner_client.get("/"), "[data-vet-note-new]") is None


def test_it_keeps_the_note_new_for_the_members_who_have_not_read_it(owner_client: Client, dog: Dog) -> None:
    sam = make_owner("sam")
    add_member(dog, sam, "carer")
    leave_note(dog)
    owner_client.post(reverse("dogs:vet-notes-read", args=[dog.pk]))
    other = Client()
    other.force_login(sam)
    assert select_one(dog_page(other, dog), "[data-vet-notes-new]") is not None


def test_it_shows_a_note_left_after_reading_as_new_again(owner_client: Client, dog: Dog) -> None:
    leave_note(dog)
    Membership.objects.filter(dog=dog).update(vet_notes_read_at=timezone.now() - dt.timedelta(hours=1))
    assert select_one(dog_page(owner_client, dog), "[data-vet-notes-new]") is not None


def test_it_answers_a_stranger_marking_notes_read_with_404(stranger_client: Client, dog: Dog) -> None:
    leave_note(dog)
    response = stranger_client.post(reverse("dogs:vet-notes-read", args=[dog.pk]))
    assert response.status_code == 404
    assert not Membership.objects.filter(vet_notes_read_at__isnull=False).exists()


def test_it_answers_get_on_marking_notes_read_with_405(owner_client: Client, dog: Dog) -> None:
    assert owner_client.get(reverse("dogs:vet-notes-read", args=[dog.pk])).status_code == 405
