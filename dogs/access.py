"""Who may reach a dog: the one place that decides, called at the top of every view.

A person who is not a member of a dog's household learns nothing about it: 404 for every
method, the same as a dog that does not exist. So a view of a dog fetches it first and only
then refuses a method it never takes (refuse_other_methods) instead of @require_http_methods.
Today every dog has one member, its owner, who may do everything.
"""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from dogs.models import Dog


class Action(models.TextChoices):
    """What a view is about to do with a dog; roles decide which of these a member may do."""

    READ = "read", "see the dog, its journal and its report"
    LOG = "log", "log leans and check-ins"
    MANAGE = "manage", "change or delete the dog and its people"


def get_dog_for(user, dog_id: int, action: Action = Action.READ) -> Dog:
    """The dog if `user` may do `action` with it; a dog that is not theirs is 404."""
    # Scoped in the query itself: there is no moment at which a stranger's dog is in memory.
    return get_object_or_404(Dog, pk=dog_id, owner=user)


def refuse_other_methods(request: HttpRequest, *allowed: str) -> HttpResponseNotAllowed | None:
    """405 for a method the view never takes; called after get_dog_for, so strangers get 404 first."""
    if request.method in allowed:
        return None
    return HttpResponseNotAllowed(allowed)
