"""Django's sign-in and password views with Leanlog's throttles, and the email confirmation link."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import throttle
from accounts.confirm_email import owner_for_token
from accounts.two_factor import second_factor
from dogs.access import refuse_other_methods
from dogs.forms import ConfirmedPasswordResetForm, SignInForm


class ResetForm(ConfirmedPasswordResetForm):
    """The reset mail in the account's own language; blank, in the language of the page that asked."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        with translation.override(context["user"].language or translation.get_language()):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class SignInView(auth_views.LoginView):
    """Django's sign-in, stopping after the password when the account has a second factor."""

    def form_valid(self, form):
        owner = form.get_user()
        if not second_factor.is_on(owner):
            return super().form_valid(form)
        # Not signed in yet: only the code page may use what the right password earned.
        second_factor.remember_pending(self.request, owner, owner.backend, self.get_success_url())
        return redirect("two-factor-sign-in")


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Each attempt costs a password hash: one address gets a bounded number, whatever the usernames."""
    if request.method == "POST" and not throttle.allow(
        throttle.SIGN_IN_PER_ADDRESS, throttle.address_key(request)
    ):
        # Translators: fills the 429 page's "There have been a lot of … from your connection".
        return throttle.too_many(request, throttle.SIGN_IN_PER_ADDRESS, throttle.sign_ins_paused())
    return SignInView.as_view(authentication_form=SignInForm)(request)


class SignOutView(auth_views.LogoutView):
    """Django's sign-out, and the sign-in page it leads to says it happened."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if signed_in:
            messages.success(request, _("You have signed out."))
        return response


@require_http_methods(["GET", "HEAD", "POST"])
def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin's sign-in shares Leanlog's limits and asks staff for their second factor."""
    if request.method == "POST" and not throttle.allow(
        throttle.SIGN_IN_PER_ADDRESS, throttle.address_key(request)
    ):
        # Translators: fills the 429 page's "There have been a lot of … from your connection".
        return throttle.too_many(request, throttle.SIGN_IN_PER_ADDRESS, throttle.sign_ins_paused())
    user = request.user
    if user.is_authenticated and user.is_staff and not second_factor.is_on(user):
        messages.info(request, _("The admin asks staff for a second factor: set one up here first."))
        return redirect("two-factor")
    # admin.site.login() with Leanlog's sign-in view, so that the admin asks for the code too.
    if request.method == "GET" and admin.site.has_permission(request):
        return redirect("admin:index")
    context = {
        **admin.site.each_context(request),
        "title": "Log in",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index")
    request.current_app = admin.site.name
    return SignInView.as_view(
        extra_context=context,
        authentication_form=AdminAuthenticationForm,
        template_name="admin/login.html",
    )(request)


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
            paused = _(
                "There have been a lot of password reset requests from your connection in a short "
                "time, so Leanlog is pausing them for a while."
            )
            return throttle.too_many(request, throttle.PASSWORD_RESET_PER_ADDRESS, paused)
        email = request.POST.get("email", "")
        if email and not throttle.allow(throttle.PASSWORD_RESET_PER_EMAIL, email):
            # The same answer as when a link went out: the page never tells who has an account.
            return redirect("password_reset_done")
    return auth_views.PasswordResetView.as_view(form_class=ResetForm)(request)


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
        # Translators: %(email)s is the email address just confirmed.
        messages.success(request, _("Thank you: %(email)s is confirmed.") % {"email": owner.email})
        if request.user.is_authenticated:
            return redirect("dogs:account-settings")
        return redirect("login")
    return render(request, "dogs/owner_email_confirm.html", {"owner": owner})
