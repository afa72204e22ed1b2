"""Shared test helpers: owners, dogs and incidents built explicitly, never at random."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from dogs.models import Dog, Owner
from journal.models import Incident

PASSWORD = "walkies-and-biscuits-42"


def a_lean(**overrides) -> dict[str, object]:
    """What the browser posts for a plain lean on 1 March 2026, with the given fields changed."""
    data: dict[str, object] = {
        "occurred_at": "2026-03-01T08:15",
        "intensity": "3",
        "duration": "short",
        "posture": "backside",
        "location": "home",
        "owner_activity": "",
        "owner_response": "",
        "outcome": "",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: a report cached by one test never shows in another."""
    cache.clear()


def make_owner(username: str = "alice", time_zone: str = "Europe/London") -> Owner:
    return Owner.objects.create_user(username=username, password=PASSWORD, time_zone=time_zone)


def make_dog(owner: Owner, name: str = "Biscuit", **fields) -> Dog:
    fields.setdefault("size", "medium")
    fields.setdefault("birth_date", dt.date(2021, 3, 14))
    return Dog.objects.create(owner=owner, name=name, **fields)


def make_incident(dog: Dog, occurred_at: dt.datetime | None = None, **fields) -> Incident:
    return Incident.objects.create(dog=dog, occurred_at=occurred_at or timezone.now(), **fields)


@pytest.fixture
def owner(db) -> Owner:
    return make_owner("alice")


@pytest.fixture
def stranger(db) -> Owner:
    return make_owner("mallory", time_zone="America/New_York")


@pytest.fixture
def dog(owner) -> Dog:
    return make_dog(owner)


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(stranger) -> Client:
    client = Client()
    client.force_login(stranger)
    return client
