"""Roles, exhaustively: every dog URL, for each role, is either allowed or a kind 403.

ACTION_OF names what each route does with a dog; a route missing from it fails
test_it_knows_the_action_of_every_dog_route, so a new view cannot skip the role check.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dogs.access import Action, may
from dogs.models import Role
from tests.helpers import add_member, make_event, make_incident, make_owner, make_weight
from tests.trust.support import METHODS, Journals, Route, form_body, routes_with_ids, send, snapshot, url_for

# What each dog route needs; "self-or-manage" is a member removing themselves or an owner.
ACTION_OF: dict[str, str] = {
    "dogs:dog-detail": Action.READ,
    # Marking the vet's notes as read changes only the reader's own membership: any member may.
    "dogs:vet-notes-read": Action.READ,
    "dogs:dog-edit": Action.MANAGE,
    "dogs:dog-delete": Action.MANAGE,
    "dogs:people": Action.READ,
    "dogs:people-invite": Action.MANAGE,
    "dogs:invitation-cancel": Action.MANAGE,
    "dogs:people-role": Action.MANAGE,
    "dogs:people-remove": Action.MANAGE,
    "journal:incident-list": Action.READ,
    "journal:incident-create": Action.LOG,
    "journal:checkin-create": Action.LOG,
    "journal:flag-acknowledge": Action.LOG,
    "journal:incident-export": Action.READ,
    "journal:incident-import": Action.LOG,
    "journal:incident-import-confirm": Action.LOG,
    "journal:incident-edit": Action.LOG,
    "journal:incident-delete": Action.LOG,
    "journal:report": Action.READ,
    "journal:report-json": Action.READ,
    "journal:event-list": Action.READ,
    "journal:event-create": Action.LOG,
    "journal:event-export": Action.READ,
    "journal:event-edit": Action.LOG,
    "journal:event-delete": Action.LOG,
    "journal:weight-list": Action.READ,
    "journal:weight-create": Action.LOG,
    "journal:weight-delete": Action.LOG,
    "sharing:share-list": Action.MANAGE,
    "sharing:share-new": Action.MANAGE,
    "sharing:share-revoke": Action.MANAGE,
}
# Routes that change one lean: a carer may only for the leans they logged.
LEAN_ROUTES = {"journal:incident-edit", "journal:incident-delete"}
# Routes that change one event: a carer may only for the events they added.
EVENT_ROUTES = {"journal:event-edit", "journal:event-delete"}
# The same for one weighing.
WEIGHT_ROUTES = {"journal:weight-delete"}

DOG_ROUTES = [r for r in routes_with_ids() if "dog_id" in r.kwargs]
CASES = [(role, route) for role in Role.values for route in DOG_ROUTES]


def allowed_to(role: str, route: Route) -> bool:
    """Whether the role may use the route on the walker's lean, which the owner logged."""
    if role == Role.CARER and route.name in LEAN_ROUTES | EVENT_ROUTES | WEIGHT_ROUTES:
        return False
    return may(role, ACTION_OF.get(route.name, Action.MANAGE))


REFUSED = [(role, route) for role, route in CASES if not allowed_to(role, route)]


@pytest.fixture
def member_of(journals: Journals):
    def make(role: str) -> Client:
        person = make_owner(f"member-{role}")
        add_member(journals.dog, person, role)
        client = Client()
        client.force_login(person)
        client.person = person
        return client

    return make


def test_it_knows_the_action_of_every_dog_route() -> None:
    assert {r.name for r in DOG_ROUTES} <= set(ACTION_OF), "add the new route to ACTION_OF"


@pytest.mark.parametrize(("role", "route"), CASES, ids=lambda v: str(v))
def test_it_allows_or_refuses_each_role_each_action(
    member_of, journals: Journals, role: str, route: Route
) -> None:
    client = member_of(role)
    target = url_for(route, journals.dog, journals.incident)
    # Removing: the walker points at the first member, the owner, so only an owner may.
    allowed = allowed_to(role, route)

    response = client.get(target)

    if allowed:
        assert response.status_code in {200, 405}, f"{role} {route}: {response.status_code}"
    else:
        assert response.status_code in {403, 405}, f"{role} {route}: {response.status_code}"
        if response.status_code == 403:
            assert "That isn" in response.content.decode()


@pytest.mark.parametrize(("role", "route"), REFUSED, ids=lambda v: str(v))
def test_it_changes_nothing_for_a_member_without_the_right(
    member_of, journals: Journals, role: str, route: Route
) -> None:
    client = member_of(role)
    target = url_for(route, journals.dog, journals.incident)
    before = snapshot()

    for method in METHODS:
        response = send(client, method, target, form_body(role="viewer"))

        assert response.status_code in {403, 405}, f"{method} {target}: {response.status_code}"
        assert snapshot() == before, f"{method} {target} changed the database"


@pytest.mark.parametrize("route", sorted(LEAN_ROUTES))
def test_it_lets_a_carer_change_a_lean_they_logged(member_of, journals: Journals, route: str) -> None:
    client = member_of(Role.CARER)
    own = make_incident(journals.dog, logged_by=client.person)

    response = client.get(url_for(Route(route, "", ("dog_id", "pk")), journals.dog, own))

    assert response.status_code == 200


def test_it_lets_a_carer_log_a_lean(member_of, journals: Journals) -> None:
    client = member_of(Role.CARER)
    before = journals.dog.incidents.count()

    send(client, "POST", f"/dogs/{journals.dog.pk}/incidents/new/", form_body())

    assert journals.dog.incidents.count() == before + 1


def test_it_lets_a_carer_edit_an_event_they_added(member_of, journals: Journals) -> None:
    client = member_of(Role.CARER)
    own = make_event(journals.dog, dt.date(2024, 2, 1), created_by=client.person)

    response = send(
        client,
        "POST",
        reverse("journal:event-edit", args=[journals.dog.pk, own.pk]),
        form_body(title="Renamed"),
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Renamed"


def test_it_lets_a_carer_delete_an_event_they_added(member_of, journals: Journals) -> None:
    client = member_of(Role.CARER)
    own = make_event(journals.dog, dt.date(2024, 2, 1), created_by=client.person)

    response = client.post(reverse("journal:event-delete", args=[journals.dog.pk, own.pk]))

    assert response.status_code == 302
    assert not journals.dog.events.filter(pk=own.pk).exists()


def test_it_lets_a_carer_delete_a_weighing_they_added(member_of, journals: Journals) -> None:
    client = member_of(Role.CARER)
    own = make_weight(journals.dog, dt.date(2024, 2, 1), "21", created_by=client.person)

    assert client.get(reverse("journal:weight-delete", args=[journals.dog.pk, own.pk])).status_code == 200
    response = client.post(reverse("journal:weight-delete", args=[journals.dog.pk, own.pk]))

    assert response.status_code == 302
    assert not journals.dog.weights.filter(pk=own.pk).exists()


def test_it_lets_a_carer_add_an_event_and_a_weight(member_of, journals: Journals) -> None:
    client = member_of(Role.CARER)

    send(client, "POST", reverse("journal:event-create", args=[journals.dog.pk]), form_body())
    send(client, "POST", reverse("journal:weight-create", args=[journals.dog.pk]), form_body())

    assert journals.dog.events.filter(created_by=client.person).count() == 1
    assert journals.dog.weights.filter(created_by=client.person).count() == 1
