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
