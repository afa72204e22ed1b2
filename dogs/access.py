"""Who may reach a dog: the one place that decides, called at the top of every view.

A person who is not a member of a dog's household learns nothing about it: 404 for every
method, the same as a dog that does not exist. So a view of a dog fetches it first and only
then refuses a method it never takes (refuse_other_methods) instead of @require_http_methods.
A member whose role does not allow the action gets 403 (PermissionDenied): they know the dog.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponseNotAllowed

from dogs.models import Dog, Membership, Role


class Action(models.TextChoices):
    """What a view is about to do with a dog; roles decide which of these a member may do."""

    READ = "read", "see the dog, its journal and its report"
    LOG = "log", "log leans and check-ins"
    MANAGE = "manage", "change or delete the dog and its people"


# The household's rules in one table; a carer's own leans are checked in journal.access.
ALLOWED: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(Action.values),
    Role.CARER: frozenset({Action.READ, Action.LOG}),
    Role.VIEWER: frozenset({Action.READ}),
}


def may(role: str | None, action: str) -> bool:
    """Whether a member with `role` may do `action`."""
    return role is not None and action in ALLOWED.get(role, frozenset())


def get_dog_for(user, dog_id: int, action: Action = Action.READ, **extra: models.Expression) -> Dog:
    """The dog if `user` may do `action` with it: 404 for a stranger, 403 for a member without the right.

    The dog comes back with `role`, the user's role, for the templates to offer only what is allowed.
    `extra` names subqueries about the dog (OuterRef("dog_id")) read in the same query and set
    on the dog under their names: a page that needs them pays no query of its own.
    """
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such dog.")
    # Scoped in the query itself: there is no moment at which a stranger's dog is in memory.
    memberships = Membership.objects.select_related("dog").filter(dog_id=dog_id, person=user)
    membership = (memberships.annotate(**extra) if extra else memberships).first()
    if membership is None:
        raise Http404("No such dog.")
    if not may(membership.role, action):
        raise PermissionDenied("Your role does not allow this.")
    dog = membership.dog
    dog.role = membership.role
    # The dog page shows which of the vet's notes this member has not read yet.
    dog.vet_notes_read_at = membership.vet_notes_read_at
    for name in extra:
        setattr(dog, name, getattr(membership, name))
    return dog


def refuse_other_methods(request: HttpRequest, *allowed: str) -> HttpResponseNotAllowed | None:
    """405 for a method the view never takes; called after get_dog_for, so strangers get 404 first."""
    if request.method in allowed:
        return None
    return HttpResponseNotAllowed(allowed)
