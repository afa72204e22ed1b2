"""Django's sign-in and password views with Leanlog's throttles, and the email confirmation link."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import throttle
from accounts.confirm_email import owner_for_token
from dogs.access import refuse_other_methods
from dogs.forms import ConfirmedPasswordResetForm, SignInForm


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Each attempt costs a password hash: one address gets a bounded number, whatever the usernames."""
    if request.method == "POST" and not throttle.allow(
        throttle.SIGN_IN_PER_ADDRESS, throttle.address_key(request)
    ):
        return throttle.too_many(request, throttle.SIGN_IN_PER_ADDRESS, "sign-in attempts")
    return auth_views.LoginView.as_view(authentication_form=SignInForm)(request)


@require_http_methods(["GET", "HEAD", "POST"])
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in shares Leanlog's per-address limit; axes locks a username there too."""
    if request.method == "POST" and not throttle.allow(
        throttle.SIGN_IN_PER_ADDRESS, throttle.address_key(request)
    ):
        return throttle.too_many(request, throttle.SIGN_IN_PER_ADDRESS, "sign-in attempts")
    return admin.site.login(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """Guessing the current password here is guessing a sign-in: the same lockout applies."""
    if request.method == "POST" and (response := throttle.password_prompt_refused(request, request.user)):
        return response
    response = auth_views.PasswordChangeView.as_view()(request)
    form = getattr(response, "context_data", {}).get("form")
    if form is not None and form.has_error("old_password", "password_incorrect"):
        throttle.count_wrong_password(request, request.user)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Reset mail is throttled per address and per email, and goes only to confirmed addresses."""
    if request.method == "POST":
        if not throttle.allow(throttle.PASSWORD_RESET_PER_ADDRESS, throttle.address_key(request)):
            return throttle.too_many(request, throttle.PASSWORD_RESET_PER_ADDRESS, "password reset requests")
        email = request.POST.get("email", "")
        if email and not throttle.allow(throttle.PASSWORD_RESET_PER_EMAIL, email):
            # The same answer as when a link went out: the page never tells who has an account.
            return redirect("password_reset_done")
    return auth_views.PasswordResetView.as_view(form_class=ConfirmedPasswordResetForm)(request)


def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Only the mailed link confirms an address, and only with a tap: mail scanners confirm nothing."""
    owner = owner_for_token(token)
    # Like every token link: an unknown token is 404 whatever the method, and says nothing more.
    if owner is None:
        return render(request, "dogs/owner_email_confirm.html", {"owner": None}, status=404)
    if refused := refuse_other_methods(request, "GET", "HEAD", "POST"):
        return refused
    if request.method == "POST":
        if not owner.email_confirmed:
            owner.email_confirmed = True
            owner.save(update_fields=["email_confirmed"])
        messages.success(request, f"Thank you: {owner.email} is confirmed.")
        if request.user.is_authenticated:
            return redirect("dogs:account-settings")
        return redirect("login")
    return render(request, "dogs/owner_email_confirm.html", {"owner": owner})
