"""Every operation of the API's own OpenAPI document, with a stranger's token: 404, nothing changed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from api.api import api
from api.models import ApiToken
from journal.models import Event, Incident, Weight
from tests.helpers import make_dog, make_event, make_incident, make_weight

# A body every write accepts (a lean, an event, a weighing: each reads its own fields), so
# that the answer comes from the access check, not validation.
VALID_BODY = json.dumps(
    {
        "occurred_at": "2026-03-01T08:15:00+00:00",
        "notes": "mine now",
        "kind": "diet",
        "title": "mine now",
        "started_on": "2026-03-01",
        "weight_kg": 30,
    }
)
OPERATIONS = [
    (method.upper(), path) for path, item in api.get_openapi_schema()["paths"].items() for method in item
]


def fill(path: str, dog_id: int, lean_id: int) -> str:
    return path.replace("{dog_id}", str(dog_id)).replace("{lean_id}", str(lean_id))


def test_it_knows_every_operation() -> None:
    assert ("DELETE", "/api/dogs/{dog_id}/leans/{lean_id}") in OPERATIONS
    assert all("{" not in fill(path, 1, 1) for _, path in OPERATIONS), (
        "a path argument the walker cannot fill"
    )


@pytest.mark.parametrize(("method", "path"), [op for op in OPERATIONS if "{dog_id}" in op[1]])
def test_it_answers_404_to_a_stranger(owner, stranger, method: str, path: str) -> None:
    dog = make_dog(owner)
    lean = make_incident(dog)
    theirs = make_dog(stranger, "Rex")
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(stranger, 'x')[1]}"})
    make_event(dog, dt.date(2026, 2, 1))
    make_weight(dog, dt.date(2026, 2, 1), "30")

    def rows() -> list[list[dict]]:
        return [list(model.objects.values()) for model in (Incident, Event, Weight)]

    before = rows()

    for dog_id in (dog.pk, theirs.pk):
        if "{lean_id}" not in path and dog_id == theirs.pk:
            continue  # the stranger's own dog is theirs to use
        response = client.generic(method, fill(path, dog_id, lean.pk), VALID_BODY, "application/json")
        assert response.status_code == 404, f"{method} {path} with dog {dog_id}: {response.status_code}"

    assert rows() == before
