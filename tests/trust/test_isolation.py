"""Isolation, exhaustively: every URL of the project, every method, against another owner's data.

The walker reads the project's URL map itself, so a view added tomorrow is tested tomorrow
without anyone remembering to: if it takes arguments the walker cannot fill, these tests fail
and say what to add.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLResolver, path, reverse
from django.urls.resolvers import RoutePattern

from config.log_filters import HideTokens
from dogs.models import Dog
from journal.models import CheckIn, FlagAcknowledgement, Incident
from tests.helpers import make_dog, make_incident
from tests.trust.support import (
    METHODS,
    PUBLIC_NAMES,
    Journals,
    Route,
    UnfillableRoute,
    form_body,
    routes_with_ids,
    send,
    signed_in_routes,
    snapshot,
    url_for,
    walk,
)

ID_ROUTES = routes_with_ids()
SIGNED_IN_ROUTES = signed_in_routes()


def assert_not_found(response, method: str, path: str) -> None:
    """404, or 405 for a method the view never takes; never 403, never a success."""
    if response.status_code == 405:
        assert method not in response.headers["Allow"], f"{method} {path}: 405 for an allowed method"
        return
    assert response.status_code == 404, f"{method} {path} answered {response.status_code}, not 404"


def test_a_snapshot_sees_a_change_to_any_row(journals: Journals) -> None:
    before = snapshot()
    Incident.objects.filter(pk=journals.incident.pk).update(notes="changed")
    changed = snapshot()
    Incident.objects.filter(pk=journals.incident.pk).delete()

    assert changed != before
    assert snapshot() not in (before, changed)


def test_it_walks_every_route_of_the_project() -> None:
    names = {route.name for route in walk()}

    # A sample from each app and from Django's auth URLs: proof that the walk goes deep.
    assert {
        "dogs:home",
        "dogs:dog-edit",
        "journal:incident-edit",
        "journal:report-json",
        "login",
        "password_change",
        "admin:index",
    } <= names
    assert {route.name for route in ID_ROUTES} >= {
        "dogs:dog-detail",
        "dogs:dog-edit",
        "dogs:dog-delete",
        "journal:incident-list",
        "journal:incident-create",
        "journal:incident-export",
        "journal:incident-import",
        "journal:incident-import-confirm",
        "journal:incident-edit",
        "journal:incident-delete",
        "journal:report",
        "journal:report-json",
        "journal:checkin-create",
        "journal:flag-acknowledge",
        "api:token-revoke",
    }


def test_it_refuses_a_route_it_cannot_fill() -> None:
    def view(request):
        raise AssertionError("never called")

    resolver = URLResolver(
        RoutePattern(""), [path("flags/<int:flag_id>/dismiss/", view, name="flag-dismiss")]
    )
    (route,) = walk(resolver)

    with pytest.raises(UnfillableRoute, match="flag_id"):
        url_for(route, Dog(pk=1), Incident(pk=1))


def test_it_refuses_a_route_without_a_name() -> None:
    def view(request):
        raise AssertionError("never called")

    (route,) = walk(URLResolver(RoutePattern(""), [path("dogs/<int:pk>/share/", view)]))

    with pytest.raises(UnfillableRoute, match="no name"):
        url_for(route, Dog(pk=1), Incident(pk=1))


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_it_shows_the_owner_what_the_walker_points_at(owner_client, journals: Journals, route: Route) -> None:
    # The control group: with the owner's own ids the route works, so the strangers' 404s
    # below come from scoping, not from ids that point at nothing.
    response = owner_client.get(url_for(route, journals.dog, journals.incident))

    assert response.status_code in {200, 405}, f"{route} answered {response.status_code} to its owner"


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_it_answers_404_to_a_stranger_for_every_method(
    stranger_client, journals: Journals, route: Route
) -> None:
    target = url_for(route, journals.dog, journals.incident)
    before = snapshot()

    for method in METHODS:
        response = send(stranger_client, method, target, form_body())

        assert_not_found(response, method, target)
        assert snapshot() == before, f"{method} {target} changed the database"


@pytest.mark.parametrize("route", [r for r in ID_ROUTES if set(r.kwargs) == {"dog_id", "pk"}], ids=str)
def test_it_answers_404_for_an_owners_lean_under_the_strangers_dog(
    stranger_client, journals: Journals, route: Route
) -> None:
    # The stranger's own dog passes the dog check; the lean in the same URL must be checked too.
    target = url_for(route, journals.stranger_dog, journals.incident)
    before = snapshot()

    for method in METHODS:
        response = send(stranger_client, method, target, form_body())

        assert_not_found(response, method, target)
        assert snapshot() == before, f"{method} {target} changed the database"


@pytest.mark.parametrize("route", [r for r in ID_ROUTES if set(r.kwargs) == {"dog_id", "pk"}], ids=str)
def test_it_answers_404_for_a_lean_under_another_of_the_owners_dogs(
    owner_client, journals: Journals, route: Route
) -> None:
    # A lean only lives under its own dog, even when both dogs are the owner's.
    other_dog = make_dog(journals.owner, name="Pip", size="toy")
    make_incident(other_dog)
    target = url_for(route, other_dog, journals.incident)
    before = snapshot()

    for method in METHODS:
        response = send(owner_client, method, target, form_body())

        assert_not_found(response, method, target)
        assert snapshot() == before, f"{method} {target} changed the database"


@pytest.mark.parametrize("route", SIGNED_IN_ROUTES, ids=str)
def test_it_sends_anonymous_visitors_to_sign_in(client, journals: Journals, route: Route) -> None:
    target = url_for(route, journals.dog, journals.incident) if route.kwargs else reverse(route.name)
    before = snapshot()

    for method in METHODS:
        response = send(client, method, target, form_body())

        assert response.status_code == 302, f"{method} {target} answered {response.status_code}"
        location = urlsplit(response.url)
        assert location.path == reverse("login")
        assert parse_qs(location.query)["next"] == [target]
        assert snapshot() == before


def test_it_leaves_only_sign_in_sign_up_password_reset_and_token_links_open() -> None:
    # Adding a public page is a decision: it has to be written down in PUBLIC_NAMES.
    assert {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "dogs:signup",
        # The code after the password, for a session with a pending sign-in only.
        "two-factor-sign-in",
        # Signing in with a passkey: alone (nobody signed in yet), or at the code step, where
        # only the session's pending sign-in may use it (tests/accounts/test_passkeys.py).
        "passkey-sign-in-begin",
        "passkey-sign-in-complete",
        "two-factor-passkey-begin",
        "two-factor-passkey-complete",
        "invitation",
        "shared-report",
        "shared-report-json",
        "shared-note",
        "dogs:email-confirm",
        # The welcome page for visitors (signed-in owners see their dogs) and what a phone
        # fetches before anyone signs in: the service worker, the manifest, the offline page.
        "dogs:home",
        "dogs:service-worker",
        "dogs:manifest",
        "dogs:offline",
        "javascript-catalog",
    } == PUBLIC_NAMES


def test_it_keeps_owners_out_of_the_admin(owner_client) -> None:
    response = owner_client.get(reverse("admin:dogs_dog_changelist"))

    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("admin:login")


@pytest.mark.parametrize("route", SIGNED_IN_ROUTES, ids=str)
def test_it_never_takes_the_owner_or_the_dog_from_the_form(
    stranger_client, journals: Journals, route: Route
) -> None:
    # The stranger posts to their OWN pages, naming the owner's dog and account in the body.
    if route.kwargs:
        target = url_for(route, journals.stranger_dog, journals.stranger_incident)
    else:
        target = reverse(route.name)
    owners_rows = {
        "dog": list(Dog.objects.filter(pk=journals.dog.pk).values()),
        "incidents": list(Incident.objects.filter(dog=journals.dog).values()),
        "checkins": list(CheckIn.objects.filter(dog=journals.dog).values()),
        "acknowledgements": list(FlagAcknowledgement.objects.filter(dog=journals.dog).values()),
    }

    send(stranger_client, "POST", target, form_body(dog=journals.dog.pk, owner=journals.owner.pk))

    assert list(Dog.objects.filter(pk=journals.dog.pk).values()) == owners_rows["dog"]
    assert list(Incident.objects.filter(dog=journals.dog).values()) == owners_rows["incidents"]
    assert list(CheckIn.objects.filter(dog=journals.dog).values()) == owners_rows["checkins"]
    assert (
        list(FlagAcknowledgement.objects.filter(dog=journals.dog).values()) == owners_rows["acknowledgements"]
    )
    assert Dog.objects.filter(owner=journals.owner).count() == 1


def test_it_answers_404_for_ids_that_do_not_exist(owner_client, journals: Journals) -> None:
    missing_dog = Dog(pk=journals.stranger_dog.pk + 1000)
    missing_incident = Incident(pk=journals.stranger_incident.pk + 1000)

    for route in ID_ROUTES:
        target = url_for(route, missing_dog, missing_incident)
        assert owner_client.get(target).status_code == 404, target


TOKEN_ROUTES = [r for r in walk() if r.kwargs == ("token",)]


def test_it_walks_every_token_route() -> None:
    assert {r.name for r in TOKEN_ROUTES} == {
        "invitation",
        "shared-report",
        "shared-report-json",
        "shared-note",
        "dogs:email-confirm",
    }


@pytest.mark.parametrize("route", TOKEN_ROUTES, ids=str)
def test_it_answers_404_for_an_unknown_token_for_every_method(
    stranger_client, client, journals: Journals, route: Route
) -> None:
    # journals holds a live invitation and vet link; a made-up token reaches neither.
    target = reverse(route.name, kwargs={"token": "x" * 43})
    before = snapshot()

    for who in (client, stranger_client):
        for method in METHODS:
            response = send(who, method, target, form_body(author="Mallory", text="hello"))

            assert response.status_code == 404, f"{method} {target} answered {response.status_code}"
            assert snapshot() == before


def test_it_keeps_tokens_out_of_the_log() -> None:
    record = logging.LogRecord(
        "django.request", logging.WARNING, "", 0, "Not Found: %s", ("/share/abc123/notes/",), None
    )
    HideTokens().filter(record)

    assert record.getMessage() == "Not Found: /share/***/notes/"


@pytest.mark.parametrize("route", ID_ROUTES, ids=str)
def test_it_answers_404_for_an_id_too_large_for_the_database(
    owner_client, journals: Journals, route: Route
) -> None:
    # 20 digits overflow a 64-bit id: no page, rather than a database error.
    target = re.sub(r"/[0-9]+/", "/99999999999999999999/", url_for(route, journals.dog, journals.incident))

    assert owner_client.get(target).status_code == 404
