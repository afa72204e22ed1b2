"""Fixtures for the trust tests: an owner's journal and a stranger's, side by side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dogs.models import Dog, Owner
from tests.helpers import make_dog, make_event, make_incident, make_invitation, make_share, make_weight
from tests.trust.support import INCIDENT_FIELDS, Journals


@pytest.fixture
def journals(owner: Owner, stranger: Owner, dog: Dog) -> Journals:
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    stranger_dog = make_dog(stranger, name="Rex", size="large")
    # Something behind every household URL, so that the walker's ids point at real rows.
    make_invitation(dog)
    make_invitation(stranger_dog)
    make_share(dog)
    make_share(stranger_dog)
    make_event(dog, dt.date(2024, 1, 2), created_by=owner)
    make_event(stranger_dog, dt.date(2024, 1, 2), created_by=stranger)
    make_weight(dog, dt.date(2024, 1, 3), "20", created_by=owner)
    make_weight(stranger_dog, dt.date(2024, 1, 3), "40", created_by=stranger)
    return Journals(
        owner=owner,
        stranger=stranger,
        dog=dog,
        incident=make_incident(dog, an_hour_ago, **INCIDENT_FIELDS),
        stranger_dog=stranger_dog,
        stranger_incident=make_incident(stranger_dog, an_hour_ago),
    )
