"""Who may reach a lean: only through a dog the person may reach (dogs.access)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from dogs.access import Action
from dogs.models import Dog
from journal.models import Incident


def get_lean_for(user, dog: Dog, lean_id: int, action: Action = Action.READ) -> Incident:
    """A lean of `dog`, which get_dog_for has already checked; a lean of another dog is 404."""
    return get_object_or_404(Incident, pk=lean_id, dog=dog)
