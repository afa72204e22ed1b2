"""Logging a lean, once per client_id: the one write rule the lean form and the API share."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from journal.models import Incident

if TYPE_CHECKING:
    from dogs.models import Dog
    from journal.forms import IncidentForm


def lean_with_client_id(dog: Dog, client_id: object) -> Incident | None:
    """This dog's lean with the client_id, if any; another dog's lean with it is never looked at."""
    try:
        value = uuid.UUID(str(client_id))
    except ValueError:
        return None
    return dog.incidents.filter(client_id=value).first()


def log_lean(form: IncidentForm, client_id: object) -> tuple[Incident | None, bool]:
    """A lean is stored once per dog and client_id; sending it again answers with the stored one.

    Returns (the lean, True) when this call stored it, (the stored lean, False) for a double tap,
    a retry or a replayed offline lean, and (None, False) when the form is invalid.
    """
    dog = form.instance.dog
    # Looked up before validating: a lean stored earlier is answered as it was, whatever comes now.
    if earlier := lean_with_client_id(dog, client_id):
        return earlier, False
    if not form.is_valid():
        return None, False
    form.instance.client_id = form.cleaned_data.get("client_id")
    try:
        # A savepoint, so that a refused twin leaves the request's transaction usable.
        with transaction.atomic():
            return form.save(), True
    except IntegrityError:
        # Two copies raced past the lookup above: the other one is stored, answer with it.
        earlier = lean_with_client_id(dog, form.instance.client_id)
        if earlier is None:
            raise
        return earlier, False
