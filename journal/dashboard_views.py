"""The pages that open on a dog's leans: the home page's cards and each dog's page."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_http_methods

from dogs.access import get_dog_for, refuse_other_methods
from dogs.models import SENIOR_FROM_YEARS, Dog
from journal.report import DEFAULT_DAYS, Period, current_flags

RECENT_LEANS_ON_DOG_PAGE = 5
VET_NOTES_ON_DOG_PAGE = 5
WEEK = dt.timedelta(days=7)


def ago(moment: dt.datetime, now: dt.datetime) -> str:
    """A short relative time ("3 hours ago"): one unit is enough at a glance."""
    if now - moment < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, now, depth=1)} ago"


def flag_period_bounds(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period current flags read: the report's default days, whole days in the owner's zone."""
    return Period.last(DEFAULT_DAYS, today).bounds(timezone.get_current_timezone())


@login_required
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    """The owner's dogs with their last lean, this week's count and most serious current flag."""
    now = timezone.now()
    week_ago = now - WEEK
    dogs = list(
        Dog.objects.for_owner(request.user).annotate(
            last_lean_at=Max("incidents__occurred_at"),
            leans_this_week=Count("incidents", filter=Q(incidents__occurred_at__gte=week_ago)),
        )
    )
    today = timezone.localdate()
    since, _ = flag_period_bounds(today)
    # A fixed few queries for all the dogs together; a dog without leans in the period has no flag.
    flags = current_flags([dog for dog in dogs if dog.last_lean_at and dog.last_lean_at >= since], today)
    for dog in dogs:
        dog.last_lean_ago = ago(dog.last_lean_at, now) if dog.last_lean_at else ""
        dog.current_flag = flags.get(dog.pk)
    return render(request, "dogs/dog_list.html", {"dogs": dogs})


@login_required
def dog_detail(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Members see a dog, with its most serious current flag first and the vet's notes."""
    dog = get_dog_for(request.user, dog_id)
    if refused := refuse_other_methods(request, "GET", "HEAD"):
        return refused
    today = timezone.localdate()
    period_start, period_end = flag_period_bounds(today)
    counts = dog.incidents.aggregate(
        total=Count("id"),
        this_week=Count("id", filter=Q(occurred_at__gte=timezone.now() - WEEK)),
        in_period=Count("id", filter=Q(occurred_at__gte=period_start, occurred_at__lt=period_end)),
    )
    recent = list(dog.incidents.all()[:RECENT_LEANS_ON_DOG_PAGE])
    # Without leans in the period no rule can fire: skip the report's queries.
    flag = current_flags([dog], today)[dog.pk] if counts["in_period"] else None
    context = {
        "dog": dog,
        "recent": recent,
        "counts": counts,
        "flag": flag,
        "period_days": DEFAULT_DAYS,
        "senior_from_years": SENIOR_FROM_YEARS[dog.size],
        "vet_notes": list(dog.vet_notes.all()[:VET_NOTES_ON_DOG_PAGE]),
    }
    return render(request, "dogs/dog_detail.html", context)
