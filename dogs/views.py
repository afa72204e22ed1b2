"""Owners and their dogs: sign-up, settings, adding, editing and deleting a dog.

The pages that show a dog's leans (the home page, the dog's page) live in journal/views/dashboard.py.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import defaults
from django.views.decorators.http import require_http_methods

from accounts import throttle
from accounts.confirm_email import send_confirmation
from config.middleware import is_storage_failure, storage_failure_response
from config.saving.edits import edit_of
from config.saving.once import save_once
from dogs.access import Action, get_dog_for, refuse_other_methods
from dogs.forms import AccountSettingsForm, DogForm, SignupForm
from dogs.models import Dog, Membership, Role, Size
from journal.models import Weight
from journal.report.weights import kg_text, weighing_noted


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, except for a full or read-only disk, which gets the 503 "can't save" page."""
    # Catches what StorageFailureMiddleware cannot see: a write outside a view (a session save).
    error = sys.exc_info()[1]
    if is_storage_failure(error):
        return storage_failure_response(error)
    return defaults.server_error(request)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Anyone may open an account, unless the server has switched sign-up off."""
    if not settings.LEANLOG_ALLOW_SIGNUP:
        raise Http404("Sign-up is closed on this server.")
    # An invitation sends newcomers here and expects them back: only a path on this site.
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    # A path, never a bare word: redirect() would look "-1" or "NaN" up as a URL name and fail.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=False
    ):
        next_url = ""
    if request.user.is_authenticated:
        return redirect(next_url or "dogs:home")
    if request.method == "POST" and not throttle.allow(
        throttle.SIGN_UP_PER_ADDRESS, throttle.address_key(request)
    ):
        paused = _(
            "There have been a lot of new accounts from your connection in a short time, so Leanlog "
            "is pausing them for a while."
        )
        return throttle.too_many(request, throttle.SIGN_UP_PER_ADDRESS, paused)
    form = SignupForm(request.POST or None)
    if form.is_valid():
        owner = form.save()
        # Axes is the first backend, so name the one that really checked the password.
        login(request, owner, backend="django.contrib.auth.backends.ModelBackend")
        if next_url:
            messages.success(request, _("Welcome to Leanlog, %(username)s!") % {"username": owner.username})
            return redirect(next_url)
        messages.success(
            request,
            _("Welcome to Leanlog, %(username)s! Start by adding your dog.") % {"username": owner.username},
        )
        return redirect("dogs:home")
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """Only the signed-in owner's own settings; a new email address waits for its link."""
    owner = request.user
    if request.method == "POST":
        # A typed current password is a guess like any other; without one only the lockout applies.
        typed = bool(request.POST.get("current_password"))
        check = throttle.password_prompt_refused if typed else throttle.locked_out
        if response := check(request, owner):
            return response
    # Validation copies the typed address onto the owner: the page must speak of the saved one.
    saved_email = {"address": owner.email, "confirmed": owner.email_confirmed}
    # A time with no way to arrive is a promise the page must not seem to make.
    reminder_unreachable = bool(
        owner.reminder_time
        and not (owner.email and owner.email_confirmed)
        and not owner.push_subscriptions.exists()
    )
    form = AccountSettingsForm(request.POST or None, instance=owner)
    if form.is_valid():
        email_changed = form.email_changed()
        owner = form.save(commit=False)
        if email_changed:
            owner.email_confirmed = False
        owner.save()
        # The next page speaks the language just chosen: so must its message, and any mail sent now.
        translation.activate(owner.language or translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
        if email_changed and owner.email:
            if throttle.allow(throttle.CONFIRMATION_MAIL_PER_OWNER, str(owner.pk)):
                send_confirmation(request, owner)
                messages.success(
                    request,
                    _("Saved. We sent a link to %(email)s: open it to confirm the address.")
                    % {"email": owner.email},
                )
            else:
                messages.warning(
                    request,
                    _("Saved, but we’ve sent a lot of links lately. Try again in an hour for a new one."),
                )
        elif "time_zone" in form.changed_data:
            messages.success(
                request, _("Saved. Times are now shown in %(zone)s.") % {"zone": owner.time_zone}
            )
        else:
            # A new language, reminder time or colours: the next page shows them.
            messages.success(request, _("Your settings are saved."))
        return redirect("dogs:account-settings")
    if form.wrong_password():
        throttle.count_wrong_password(request, owner)
    return render(
        request,
        "dogs/owner_settings.html",
        {
            "form": form,
            # The page's "on Monday 7 December", in the page's language.
            "now_here": timezone.localtime(),
            "saved_email": saved_email,
            "reminder_unreachable": reminder_unreachable,
            "vapid_public_key": settings.LEANLOG_VAPID_PUBLIC_KEY,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dog_create(request: HttpRequest) -> HttpResponse:
    """A new dog always belongs to whoever is signed in."""
    form = DogForm(request.POST or None, instance=Dog(owner=request.user))

    def save() -> Dog:
        dog = form.save()
        Membership.objects.create(dog=dog, person=request.user, role=Role.OWNER)
        return dog

    dog = None
    if request.method == "POST":
        # Sent twice (a double tap, a retry), the dog is added once: the repeat is answered the same.
        added = Dog.objects.filter(owner=request.user)
        dog, _stored = save_once(form, added, request.POST.get("client_id"), save)
    if dog is not None:
        messages.success(request, _("%(name)s is in. Log a lean whenever it happens.") % {"name": dog.name})
        _say_if_the_weight_points_elsewhere(request, dog)
        return redirect(dog)
    return render(request, "dogs/dog_form.html", {"form": form, "dog": None})


@login_required
def dog_edit(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Only the owner can edit."""
    dog = get_dog_for(request.user, dog_id, Action.MANAGE)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    # Validation copies the typed values onto the instance; the heading keeps the saved name.
    saved_name = dog.name
    with edit_of(dog, saving=request.method == "POST"):
        form = DogForm(request.POST or None, instance=dog)
        saved = form.is_valid()
        if saved:
            # A weight changed on the form is today's weighing as well (DogForm names the latest).
            weighed = "weight_kg" in form.changed_data and form.cleaned_data["weight_kg"] is not None
            form.save()
            if weighed:
                weight = Weight.objects.create(
                    dog=dog,
                    measured_on=timezone.localdate(),
                    weight_kg=dog.weight_kg,
                    created_by=request.user,
                )
    if saved:
        messages.success(request, _("Saved the changes to %(name)s.") % {"name": dog.name})
        if weighed:
            messages.success(request, weighing_noted(dog.name, weight.measured_on, weight.weight_kg))
        _say_if_the_weight_points_elsewhere(request, dog)
        return redirect(dog)
    return render(request, "dogs/dog_form.html", {"form": form, "dog": dog, "saved_name": saved_name})


def _say_if_the_weight_points_elsewhere(request: HttpRequest, dog: Dog) -> None:
    """A grown dog whose weight is outside its size class: saved as chosen, with a word on why it matters."""
    suggested = dog.size_by_weight()
    if suggested is None:
        return
    said = _(
        # Translators: %(chosen)s and %(suggested)s are size classes as the form lists them,
        # such as "Medium (10–25 kg)"; %(kg)s is a weight such as 28.5.
        "%(name)s weighs %(kg)s kg, outside “%(chosen)s”. The size class decides when %(name)s "
        "counts as a senior, and so how soon Leanlog suggests a vet check: if %(name)s is fully "
        "grown, “%(suggested)s” may fit better."
    ) % {
        "name": dog.name,
        "kg": kg_text(dog.weight_kg),
        "chosen": Size(dog.size).label,
        "suggested": Size(suggested).label,
    }
    if dog.senior_by_weight():
        years = dog.senior_from_years()
        # A weight of a bigger class already brings the senior's age forward (senior_from_years).
        said += " " + ngettext(
            "Meanwhile Leanlog counts %(name)s as a senior from %(years)s year, "
            "as it would a dog of that weight.",
            "Meanwhile Leanlog counts %(name)s as a senior from %(years)s years, "
            "as it would a dog of that weight.",
            years,
        ) % {"name": dog.name, "years": years}
    messages.warning(request, said)


@login_required
def dog_delete(request: HttpRequest, dog_id: int) -> HttpResponse:
    """Only the owner can delete; the journal goes with the dog, so ask first."""
    dog = get_dog_for(request.user, dog_id, Action.MANAGE)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    if request.method == "POST":
        name = dog.name
        dog.delete()
        messages.success(request, _("%(name)s and their journal were deleted.") % {"name": name})
        return redirect("dogs:home")
    leans = dog.incidents.count()
    return render(request, "dogs/dog_confirm_delete.html", {"dog": dog, "leans": leans})
