"""Owners and their dogs: sign-up, settings, the home page and each dog's page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_http_methods

from dogs.access import owner_scoped
from dogs.forms import AccountSettingsForm, DogForm, SignupForm
from dogs.models import SENIOR_FROM_YEARS, Dog
from journal.report import DEFAULT_DAYS, Period, current_flags

RECENT_LEANS_ON_DOG_PAGE = 5
WEEK = dt.timedelta(days=7)


def ago(moment: dt.datetime, now: dt.datetime) -> str:
    """A short relative time ("3 hours ago"): one unit is enough at a glance."""
    if now - moment < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, now, depth=1)} ago"


def flag_period_bounds(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period current flags read: the report's default days, whole days in the owner's zone."""
    return Period.last(DEFAULT_DAYS, today).bounds(timezone.get_current_timezone())


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Anyone may open an account, unless the server has switched sign-up off."""
    if not settings.LEANLOG_ALLOW_SIGNUP:
        raise Http404("Sign-up is closed on this server.")
    if request.user.is_authenticated:
        return redirect("dogs:home")
    form = SignupForm(request.POST or None)
    if form.is_valid():
        owner = form.save()
        # Axes is the first backend, so name the one that really checked the password.
        login(request, owner, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Leanlog, {owner.username}! Start by adding your dog.")
        return redirect("dogs:home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """Only the signed-in owner's own settings."""
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, f"Saved. Times are now shown in {request.user.time_zone}.")
        return redirect("dogs:account-settings")
    return render(request, "dogs/owner_settings.html", {"form": form})


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
@owner_scoped
@require_http_methods(["GET", "HEAD"])
def dog_detail(request: HttpRequest, dog: Dog) -> HttpResponse:
    """Only the owner sees a dog, with its most serious current flag first."""
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
    }
    return render(request, "dogs/dog_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dog_create(request: HttpRequest) -> HttpResponse:
    """A new dog always belongs to whoever is signed in."""
    form = DogForm(request.POST or None, instance=Dog(owner=request.user))
    if form.is_valid():
        dog = form.save()
        messages.success(request, f"{dog.name} is in. Log a lean whenever it happens.")
        return redirect("dogs:dog-detail", pk=dog.pk)
    return render(request, "dogs/dog_form.html", {"form": form, "dog": None})


@login_required
@owner_scoped
@require_http_methods(["GET", "HEAD", "POST"])
def dog_edit(request: HttpRequest, dog: Dog) -> HttpResponse:
    """Only the owner can edit."""
    # Validation copies the typed values onto the instance; the heading keeps the saved name.
    saved_name = dog.name
    form = DogForm(request.POST or None, instance=dog)
    if form.is_valid():
        # The report shows the dog's details and reads its size and age: saved in the same row.
        dog.journal_changed_at = timezone.now()
        form.save()
        messages.success(request, f"Saved the changes to {dog.name}.")
        return redirect("dogs:dog-detail", pk=dog.pk)
    return render(request, "dogs/dog_form.html", {"form": form, "dog": dog, "saved_name": saved_name})


@login_required
@owner_scoped
@require_http_methods(["GET", "HEAD", "POST"])
def dog_delete(request: HttpRequest, dog: Dog) -> HttpResponse:
    """Only the owner can delete; the journal goes with the dog, so ask first."""
    if request.method == "POST":
        name = dog.name
        dog.delete()
        messages.success(request, f"{name} and their journal were deleted.")
        return redirect("dogs:home")
    leans = dog.incidents.count()
    return render(request, "dogs/dog_confirm_delete.html", {"dog": dog, "leans": leans})
