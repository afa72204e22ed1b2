"""Parts of a page rendered once and kept: no session in what is kept, the viewer's token on each view."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from config.fragments import CSRF_HOLE, filled, kept_part
from dogs.models import Owner
from journal.models import FlagAcknowledgement
from sharing.models import VetNote
from tests.dogs.test_current_flags import knocked_someone_over
from tests.helpers import add_member, make_owner, make_share, select

pytestmark = pytest.mark.django_db


def test_a_kept_part_holds_a_hole_where_a_token_would_be() -> None:
    kept = kept_part("dogs/_dog_concerns.html", {"flags": [], "notes": [], "verdict": None})
    assert CSRF_HOLE not in kept  # no form: nothing to fill
    form = engines["django"].from_string("<form>{% csrf_token %}</form>").render({"csrf_token": CSRF_HOLE})
    assert CSRF_HOLE in form


def test_filled_puts_the_requests_own_token_in_every_hole() -> None:
    request = RequestFactory().get("/")
    shown = filled(request, f"<input value='{CSRF_HOLE}'><input value='{CSRF_HOLE}'>")
    assert CSRF_HOLE not in shown
    assert shown.count(request.META["CSRF_COOKIE"]) == 0  # masked, never the secret itself
    assert len(set(shown.split("'")[1::2])) == 1


def test_the_dog_pages_kept_flag_form_marks_the_flag_handled_with_csrf_checked(owner, dog) -> None:
    """The flags' forms come from the kept part: each view must carry a token that is its own."""
    knocked_someone_over(dog)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    cache.clear()
    client.get(f"/dogs/{dog.pk}/")  # made and kept
    page = client.get(f"/dogs/{dog.pk}/")  # from what was kept
    assert CSRF_HOLE not in page.content.decode()
    (form,) = [f for f in select(page, "form") if "/flags/" in (f.get("action") or "")]
    (token,) = [i.get("value") for i in form.select("input") if i.get("name") == "csrfmiddlewaretoken"]
    answer = client.post(form.get("action"), {"csrfmiddlewaretoken": token, "note": "Vet saw her"})
    assert answer.status_code == 302
    assert FlagAcknowledgement.objects.filter(dog=dog, code="knock_over", note="Vet saw her").exists()


def test_two_views_of_the_kept_dog_page_carry_different_masks(owner_client, dog) -> None:
    knocked_someone_over(dog)

    def token() -> str:
        page = owner_client.get(f"/dogs/{dog.pk}/")
        (form,) = [f for f in select(page, "form") if "/flags/" in (f.get("action") or "")]
        return next(i.get("value") for i in form.select("input") if i.get("name") == "csrfmiddlewaretoken")

    assert token() != token()


def test_a_later_view_of_the_dog_page_reads_the_session_the_person_and_the_dog_only(
    owner_client, dog, django_assert_num_queries
) -> None:
    """The kept page's key (the journal stamp) and whether the vet left notes come with the dog."""
    knocked_someone_over(dog)
    owner_client.get(f"/dogs/{dog.pk}/")  # made and kept
    with django_assert_num_queries(3):
        page = owner_client.get(f"/dogs/{dog.pk}/")
    assert select(page, "[data-flag=knock_over]")


def test_the_kept_dog_page_names_whoever_checked_in_as_they_are_called_now(client, owner, dog) -> None:
    sam = make_owner("sam")
    add_member(dog, sam, "carer")
    client.force_login(sam)
    client.post(reverse("journal:checkin-create", args=[dog.pk]))
    client.force_login(owner)
    assert "sam checked in today" in client.get(f"/dogs/{dog.pk}/").content.decode()
    # A new name is not a write to the journal: the kept page stays, the name is read anew.
    Owner.objects.filter(pk=sam.pk).update(first_name="Samira")
    page = client.get(f"/dogs/{dog.pk}/").content.decode()
    assert "Samira checked in today" in page
    assert "sam checked in" not in page


def test_the_kept_dog_page_shows_a_vet_note_left_after_it_was_kept(owner_client, dog) -> None:
    owner_client.get(f"/dogs/{dog.pk}/")  # made and kept, no note yet
    link, _token = make_share(dog)
    VetNote.objects.create(share=link, dog=dog, author="Dr Okafor", text="Start the joint supplement.")
    page = owner_client.get(f"/dogs/{dog.pk}/")
    assert select(page, "[data-vet-notes-new]")
    assert "Start the joint supplement." in page.content.decode()
