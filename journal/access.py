"""Who may reach a lean, an event or a weighing: only through a dog the person may reach (dogs.access)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from dogs.access import Action, may
from dogs.models import Dog, Membership, Role
from journal.models import Event, Incident, Weight


def get_lean_for(user, dog: Dog, lean_id: int, action: Action = Action.READ) -> Incident:
    """A lean of `dog`, which get_dog_for has already checked; a carer changes only the leans they logged."""
    incident = get_object_or_404(Incident, pk=lean_id, dog=dog)
    role = getattr(dog, "role", None)
    if role is None:
        role = Membership.objects.filter(dog=dog, person=user).values_list("role", flat=True).first()
    if not may(role, action):
        raise PermissionDenied("Your role does not allow this.")
    if action != Action.READ and role == Role.CARER and incident.logged_by_id != user.pk:
        raise PermissionDenied("A carer changes only the leans they logged.")
    return incident


def may_change_added(dog: Dog, added_by_id: int | None, user) -> bool:
    """Owners change any event or weighing; a carer only what they added; viewers none."""
    role = getattr(dog, "role", None)
    return may(role, Action.LOG) and (role != Role.CARER or added_by_id == user.pk)


def may_change_event(dog: Dog, event: Event, user) -> bool:
    return may_change_added(dog, event.created_by_id, user)


def get_event_for(user, dog: Dog, event_id: int) -> Event:
    """An event of `dog` (get_dog_for has checked the dog) that `user` may change: else 404 or 403."""
    event = get_object_or_404(Event, pk=event_id, dog=dog)
    if not may_change_event(dog, event, user):
        raise PermissionDenied("A carer changes only the events they added.")
    return event


def get_weight_for(user, dog: Dog, weight_id: int) -> Weight:
    """A weighing of `dog` (get_dog_for has checked the dog) that `user` may change: else 404 or 403."""
    weight = get_object_or_404(Weight, pk=weight_id, dog=dog)
    if not may_change_added(dog, weight.created_by_id, user):
        raise PermissionDenied("A carer changes only the weighings they added.")
    return weight
