"""Creating, editing and deleting leans: who may, where they land, what they are told."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from journal.models import Incident
from tests.helpers import a_lean, checked, make_dog, make_incident, value_of

UTC = dt.UTC
MARCH_1 = dt.datetime(2026, 3, 1, 8, 15, tzinfo=UTC)


@pytest.fixture
def incident(dog) -> Incident:
    return make_incident(dog, MARCH_1, intensity=2, notes="Before the walk.")


def every_url(dog, incident) -> list[str]:
    return [
        reverse("journal:incident-list", args=[dog.pk]),
        reverse("journal:incident-create", args=[dog.pk]),
        reverse("journal:incident-export", args=[dog.pk]),
        reverse("journal:incident-edit", args=[dog.pk, incident.pk]),
        reverse("journal:incident-delete", args=[dog.pk, incident.pk]),
    ]


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who may ------------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(5))
def test_it_sends_an_anonymous_visitor_to_sign_in(client, dog, incident, index):
    url = every_url(dog, incident)[index]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_it_leaves_the_lean_alone_when_a_stranger_posts_an_edit(stranger_client, dog, incident):
    stranger_client.post(reverse("journal:incident-edit", args=[dog.pk, incident.pk]), a_lean(intensity="5"))
    incident.refresh_from_db()
    assert incident.intensity == 2


def test_it_leaves_the_lean_alone_when_a_stranger_posts_a_delete(stranger_client, dog, incident):
    stranger_client.post(reverse("journal:incident-delete", args=[dog.pk, incident.pk]))
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_it_saves_nothing_when_a_stranger_posts_a_lean(stranger_client, dog):
    stranger_client.post(reverse("journal:incident-create", args=[dog.pk]), a_lean())
    assert not Incident.objects.exists()


def test_it_answers_404_for_someone_elses_lean_under_the_strangers_own_dog(
    stranger, stranger_client, incident
):
    own_dog = make_dog(stranger, "Rex")
    for name in ("journal:incident-edit", "journal:incident-delete"):
        assert stranger_client.get(reverse(name, args=[own_dog.pk, incident.pk])).status_code == 404
    assert (
        stranger_client.post(reverse("journal:incident-delete", args=[own_dog.pk, incident.pk])).status_code
        == 404
    )
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_it_answers_404_for_a_lean_under_the_owners_other_dog(owner, owner_client, incident):
    other_dog = make_dog(owner, "Pepper")
    response = owner_client.get(reverse("journal:incident-edit", args=[other_dog.pk, incident.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_it_answers_405_to_the_owner_for_a_method_it_does_not_take(owner_client, dog, incident, method):
    response = getattr(owner_client, method)(reverse("journal:incident-edit", args=[dog.pk, incident.pk]))
    assert response.status_code == 405


def test_it_answers_405_to_a_post_on_the_journal(owner_client, dog):
    assert owner_client.post(reverse("journal:incident-list", args=[dog.pk])).status_code == 405


# --- Create ---------------------------------------------------------------------------------


def test_it_shows_the_form_to_the_owner(owner_client, dog):
    response = owner_client.get(reverse("journal:incident-create", args=[dog.pk]))
    assert response.status_code == 200
    assert "Biscuit leaned on you" in response.content.decode()


def test_it_sends_the_owner_to_the_new_lean_in_the_journal(owner_client, dog):
    response = owner_client.post(reverse("journal:incident-create", args=[dog.pk]), a_lean())
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('journal:incident-list', args=[dog.pk])}#incident-{incident.pk}"


def test_it_names_the_dog_in_the_message_after_saving(owner_client, dog):
    response = owner_client.post(reverse("journal:incident-create", args=[dog.pk]), a_lean(), follow=True)
    assert message_texts(response) == ["Saved: Biscuit leaned on you on Sun 1 Mar 2026, 08:15."]


def test_it_takes_the_dog_from_the_url_not_from_the_post(owner, owner_client, dog, stranger):
    strangers_dog = make_dog(stranger, "Rex")
    owner_client.post(reverse("journal:incident-create", args=[dog.pk]), a_lean(dog=strangers_dog.pk))
    assert Incident.objects.get().dog == dog


def test_it_logs_a_plain_lean_from_the_dog_page_in_two_taps(owner_client, dog):
    """Tap one opens the form from the dog page's link; tap two posts the form as it stands."""
    form_url = reverse("journal:incident-create", args=[dog.pk])
    assert (
        f'href="{form_url}"' in owner_client.get(reverse("dogs:dog-detail", args=[dog.pk])).content.decode()
    )
    form = owner_client.get(form_url)
    # What the browser would post: every pre-filled value of the form, untouched.
    data = {"occurred_at": value_of(form, "occurred_at")}
    for name in (
        "intensity",
        "duration",
        "posture",
        "location",
        "owner_activity",
        "owner_response",
        "outcome",
    ):
        data[name] = checked(form, name)[0]
    response = owner_client.post(form_url, data)
    assert response.status_code == 302
    # Nothing but the time was noted: no guessed strength or place.
    assert Incident.objects.filter(dog=dog, intensity=None, location="").count() == 1


# --- Edit -----------------------------------------------------------------------------------


def test_it_saves_the_owners_edit(owner_client, dog, incident):
    owner_client.post(
        reverse("journal:incident-edit", args=[dog.pk, incident.pk]), a_lean(intensity="4", notes="After.")
    )
    incident.refresh_from_db()
    assert (incident.intensity, incident.notes) == (4, "After.")


def test_it_returns_to_the_journal_after_an_edit(owner_client, dog, incident):
    response = owner_client.post(reverse("journal:incident-edit", args=[dog.pk, incident.pk]), a_lean())
    assert response["Location"] == f"{reverse('journal:incident-list', args=[dog.pk])}#incident-{incident.pk}"


def test_it_names_the_dog_in_the_message_after_an_edit(owner_client, dog, incident):
    response = owner_client.post(
        reverse("journal:incident-edit", args=[dog.pk, incident.pk]), a_lean(), follow=True
    )
    assert message_texts(response) == ["Updated Biscuit’s lean of Sun 1 Mar 2026, 08:15."]


def test_it_returns_to_the_filtered_journal_page_the_owner_came_from(owner_client, dog, incident):
    journal = reverse("journal:incident-list", args=[dog.pk])
    url = reverse("journal:incident-edit", args=[dog.pk, incident.pk])
    response = owner_client.post(f"{url}?next={journal}%3Fsign%3Dtrembling%26page%3D2", a_lean())
    assert response["Location"] == f"{journal}?sign=trembling&page=2#incident-{incident.pk}"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/dogs/999/incidents/", "/admin/"]
)
def test_it_ignores_a_return_address_outside_the_dogs_journal(owner_client, dog, incident, next_url):
    url = reverse("journal:incident-edit", args=[dog.pk, incident.pk])
    response = owner_client.post(url, a_lean(), QUERY_STRING=f"next={next_url}")
    assert response["Location"] == f"{reverse('journal:incident-list', args=[dog.pk])}#incident-{incident.pk}"


# --- Delete ---------------------------------------------------------------------------------


def test_it_asks_before_deleting(owner_client, dog, incident):
    response = owner_client.get(reverse("journal:incident-delete", args=[dog.pk, incident.pk]))
    assert response.status_code == 200
    assert "Delete this lean?" in response.content.decode()
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_it_shows_the_lean_on_the_confirmation_page(owner_client, dog, incident):
    response = owner_client.get(reverse("journal:incident-delete", args=[dog.pk, incident.pk]))
    html = response.content.decode()
    assert "Sun 1 Mar 2026, 08:15" in html
    assert "Before the walk." in html


def test_it_deletes_on_post(owner_client, dog, incident):
    response = owner_client.post(reverse("journal:incident-delete", args=[dog.pk, incident.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:incident-list", args=[dog.pk])
    assert not Incident.objects.filter(pk=incident.pk).exists()


def test_it_names_the_dog_in_the_message_after_deleting(owner_client, dog, incident):
    response = owner_client.post(reverse("journal:incident-delete", args=[dog.pk, incident.pk]), follow=True)
    assert message_texts(response) == ["Deleted Biscuit’s lean of Sun 1 Mar 2026, 08:15."]


def test_it_deletes_only_that_lean(owner_client, dog, incident):
    other = make_incident(dog, MARCH_1 + dt.timedelta(hours=1))
    owner_client.post(reverse("journal:incident-delete", args=[dog.pk, incident.pk]))
    assert list(Incident.objects.all()) == [other]
