"""The admin lists and opens leans for staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dogs.models import Owner
from tests.helpers import PASSWORD, make_incident, with_second_factor


@pytest.fixture
def admin_client(db) -> Client:
    admin = Owner.objects.create_superuser(username="staff", password=PASSWORD, email="staff@example.com")
    # The admin asks staff for a second factor.
    return with_second_factor(Client(), admin)


def test_it_lists_leans_with_their_dog(admin_client, dog):
    make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=dt.UTC), location="vet")
    response = admin_client.get(reverse("admin:journal_incident_changelist"))
    assert response.status_code == 200
    assert "Biscuit" in response.content.decode()


def test_it_filters_leans_by_location(admin_client, dog):
    make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=dt.UTC), location="vet")
    response = admin_client.get(reverse("admin:journal_incident_changelist"), {"location__exact": "home"})
    assert "0 incidents" in response.content.decode()


def test_it_opens_a_lean_with_the_dog_as_a_raw_id(admin_client, dog):
    incident = make_incident(dog, dt.datetime(2026, 3, 1, 8, 15, tzinfo=dt.UTC))
    response = admin_client.get(reverse("admin:journal_incident_change", args=[incident.pk]))
    assert response.status_code == 200
    assert 'class="vForeignKeyRawIdAdminField"' in response.content.decode()


def test_it_keeps_the_admin_away_from_owners(owner_client):
    response = owner_client.get(reverse("admin:journal_incident_changelist"))
    assert response.status_code == 302
