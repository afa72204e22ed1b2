"""Who may reach a dog's pages: its owner, and nobody else learns that it exists."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from dogs.models import Dog
from journal.models import Incident


def owner_scoped(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Another owner's dog or lean is 404 for every method, so this runs before the method check.

    It goes between @login_required and @require_http_methods, and hands the view the dog
    (and the lean) instead of their ids. It reads the URL's own names: `/dogs/<pk>/...` is
    the dog; `/dogs/<dog_id>/...` is the dog and an optional `<pk>` is one of its leans.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, dog_id: int | None = None, pk: int | None = None) -> HttpResponse:
        if dog_id is None:
            return view(request, get_object_or_404(Dog, pk=pk, owner=request.user))
        if pk is None:
            return view(request, get_object_or_404(Dog, pk=dog_id, owner=request.user))
        # One query for both: the lean must belong to this dog, and the dog to this owner.
        incident = get_object_or_404(
            Incident.objects.select_related("dog"), pk=pk, dog__pk=dog_id, dog__owner=request.user
        )
        return view(request, incident.dog, incident)

    return wrapper
