"""The error pages: friendly words and a way home (the test runner renders them with DEBUG off)."""

from __future__ import annotations

import html

import pytest
from django.template.loader import render_to_string
from django.test import Client

from tests.helpers import make_owner


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_it_shows_a_stranger_the_friendly_404_for_another_owners_dog(stranger_client, dog) -> None:
    response = stranger_client.get(f"/dogs/{dog.pk}/")
    assert response.status_code == 404
    page = text(response)
    assert "We couldn’t find that page" in page
    assert "Biscuit" not in page


@pytest.mark.django_db
def test_it_links_the_404_page_back_to_the_owners_dogs(stranger_client, dog) -> None:
    page = stranger_client.get(f"/dogs/{dog.pk}/edit/").content.decode()
    assert 'href="/"><svg class="bi"' in page
    assert '#house-heart"></use></svg> Back to my dogs</a>' in page


@pytest.mark.django_db
def test_it_shows_the_friendly_404_for_an_unknown_address(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn’t find that page" in text(response)
    assert "Go to the home page" in text(response)


def test_it_renders_the_500_page_without_a_request_or_the_database() -> None:
    # No django_db mark: any query here would fail the test.
    page = html.unescape(render_to_string("500.html"))
    assert "Sorry, something went wrong on our side" in page
    assert '<a class="btn btn-primary" href="/">Back to the home page</a>' in page
    assert "/static/css/leanlog.css" in page


@pytest.mark.django_db
def test_it_explains_a_refused_form_without_a_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_owner())
    response = client.post("/dogs/new/", {"name": "Rex"})
    assert response.status_code == 403
    assert "This form had gone stale" in text(response)


# --- 405: an address that only takes a form, opened as a link ------------------------------


def test_it_offers_the_sign_out_button_to_whoever_opens_the_sign_out_address(owner_client) -> None:
    from tests.helpers import select_one

    response = owner_client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    form = select_one(response, 'form[action="/accounts/logout/"]')
    assert form is not None and form.get("method") == "post"
    assert form.select_one('input[name="csrfmiddlewaretoken"]') is not None
    assert "Sign out" in form.text
    # The button does what it says.
    owner_client.post("/accounts/logout/")
    assert owner_client.get("/accounts/settings/").status_code == 302


def test_it_explains_a_form_only_address_opened_as_a_link_and_changes_nothing(owner_client, dog) -> None:
    from journal.models import Weight

    response = owner_client.get(f"/dogs/{dog.pk}/weights/new/")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    page = text(response)
    assert "Nothing to open here" in page
    assert "Nothing was changed." in page
    assert 'action="/accounts/logout/"' not in page.split("<main", 1)[-1]
    assert not Weight.objects.exists()


@pytest.mark.django_db
def test_it_gives_a_visitor_the_page_without_a_sign_out_button() -> None:
    response = Client().get("/accounts/logout/")
    assert response.status_code == 405
    page = text(response)
    assert "Nothing to open here" in page
    assert "Go to the home page" in page


def test_it_leaves_the_apis_405_to_the_api(owner_client) -> None:
    response = owner_client.delete("/api/dogs")
    assert response.status_code == 405
    assert "Nothing to open here" not in response.content.decode()
