"""The passkey ceremonies: django-otp-webauthn's JSON endpoints with Leanlog's rules.

static/js/passkeys.js calls them: begin answers the options for the browser, complete checks
what the browser signed. Adding a passkey needs a signed-in person with the authenticator app
on (and, as the library insists, a session that signed in with a second factor). Signing in
comes in two kinds: a passkey alone on the sign-in page, and a passkey at the code step after
the password, which must belong to the person who typed it. Every signing-in attempt counts
against the address like a password does, and a failed one counts as a failed sign-in.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from django.contrib import messages as notices
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp_webauthn import exceptions
from django_otp_webauthn.models import AbstractWebAuthnCredential, WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from accounts import throttle
from accounts.two_factor import passkeys, second_factor
from dogs.models import Owner, validate_one_line

PASSKEY_BACKEND = "django_otp_webauthn.backends.WebAuthnBackend"


class AppFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "app_first"
    default_detail = _("Turn on the authenticator app first: its recovery codes are your way back in.")


class SignInAgain(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "sign_in_again"
    default_detail = _("Sign in again: the time to finish signing in ran out.")


class Paused(exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_code = "paused"
    default_detail = _("Too many sign-in attempts from here. Wait a few minutes, then try again.")


class LockedOut(exceptions.OTPWebAuthnApiError):
    # As axes answers a locked-out password sign-in.
    status_code = 429
    default_code = "locked_out"
    default_detail = _("This account is locked after too many failed sign-ins. Try again in 15 minutes.")


def _with_verified_check(request: HttpRequest) -> None:
    # The library asks request.user.is_verified(), which django-otp's middleware would add; Leanlog
    # answers it with the same rule the admin uses.
    request.user.is_verified = functools.partial(second_factor.is_verified, request)


# --- adding a passkey ----------------------------------------------------------------------

# What the library says to a session that signed in without its second factor, in our words.
NOT_VERIFIED = {
    "user_not_verified": _("Sign out and in again with your code or a passkey first, then add the passkey.")
}


class RegisterBegin(BeginCredentialRegistrationView):
    messages = NOT_VERIFIED

    def initial(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        _with_verified_check(request)
        super().initial(request, *args, **kwargs)

    def check_can_register(self) -> None:
        if not second_factor.app_is_on(self.request.user):
            raise AppFirst()


class RegisterComplete(CompleteCredentialRegistrationView):
    messages = NOT_VERIFIED

    def initial(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        _with_verified_check(request)
        super().initial(request, *args, **kwargs)

    def check_can_register(self) -> None:
        if not second_factor.app_is_on(self.request.user):
            raise AppFirst()

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        data = self.request.data
        # JSON from static/js/passkeys.js; a form post (a QueryDict, read-only) names nothing.
        name = data.pop("name", "") if type(data) is dict else ""
        name = " ".join(str(name).split())[: passkeys.NAME_MAX_LENGTH]
        try:
            validate_one_line(name)
        except ValidationError:
            name = ""
        owner = self.request.user
        name = name or passkeys.default_name(owner)
        response = super().post(*args, **kwargs)
        device = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"], user=owner)
        device.name = name
        device.save(update_fields=["name"])
        passkeys.send_passkey_mail(owner, device.name, added=True)
        # Translators: %(name)s is the passkey's name, such as "Sam's phone".
        added = gettext("“%(name)s” is added. You can sign in with it from now on.") % {"name": device.name}
        notices.success(self.request, added)
        return JsonResponse({"id": device.pk, "redirect_url": reverse("two-factor")})


# --- signing in with a passkey -------------------------------------------------------------


def _pending_owner(request: HttpRequest) -> tuple[dict, Owner] | None:
    pending = second_factor.pending(request)
    owner = Owner.objects.filter(pk=pending["id"], is_active=True).first() if pending else None
    return (pending, owner) if owner else None


class SignInBegin(BeginCredentialAuthenticationView):
    """Options for the browser: any passkey of this site alone, or at the code step the person's own."""

    second_step = False

    def get_user(self) -> Owner | None:
        if not self.second_step:
            # A passkey alone: the browser offers whichever passkeys it holds for Leanlog.
            return None
        found = _pending_owner(self.request)
        if found is None:
            raise SignInAgain()
        return found[1]

    def check_can_authenticate(self) -> None:
        self.get_user()


class SignInComplete(CompleteCredentialAuthenticationView):
    """A passkey that proves itself signs its owner in; a failed one counts as a failed sign-in."""

    second_step = False

    def initial(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        # Every attempt counts against the address, like a typed password.
        if not throttle.allow(throttle.SIGN_IN_PER_ADDRESS, throttle.address_key(request)):
            raise Paused()
        self.pending = None
        if self.second_step:
            found = _pending_owner(request)
            if found is None:
                raise SignInAgain()
            self.pending, owner = found
            if throttle.locked_out(request, owner):
                raise LockedOut()
        super().initial(request, *args, **kwargs)

    def get_user(self) -> Owner | None:
        return self.pending_owner() if self.second_step else None

    def pending_owner(self) -> Owner | None:
        found = _pending_owner(self.request)
        return found[1] if found else None

    def check_can_authenticate(self) -> None:
        """Checked in initial()."""

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(
            exc, (Paused, LockedOut, SignInAgain, exceptions.MalformedRequest)
        ):
            self.count_failure()
        return super().handle_exception(exc)

    def count_failure(self) -> None:
        """Whose sign-in failed: the person at the code step, or the owner of the passkey named."""
        owner = self.pending_owner() if self.second_step else None
        if owner is None:
            data = getattr(self.request, "data", None)
            owner = passkeys.owner_of_credential(data.get("rawId") if isinstance(data, dict) else None)
        if owner is not None:
            throttle.count_wrong_password(self.request, owner)

    def complete_auth(self, device: AbstractWebAuthnCredential) -> None:
        owner = device.user
        if throttle.locked_out(self.request, owner):
            raise LockedOut()
        backend = self.pending["backend"] if self.pending else PASSKEY_BACKEND
        self.next_url = self.pending["next"] if self.pending else None
        second_factor.forget_pending(self.request)
        login(self.request, owner, backend=backend)
        otp_login(self.request, device)

    def get_success_url(self) -> str:
        return getattr(self, "next_url", None) or super().get_success_url()


# POST only, refused before the library's checks run (they would answer a GET with 403).
register_begin = login_required(require_POST(RegisterBegin.as_view()))
register_complete = login_required(require_POST(RegisterComplete.as_view()))
sign_in_begin = require_POST(SignInBegin.as_view())
sign_in_complete = require_POST(SignInComplete.as_view())
code_begin = require_POST(SignInBegin.as_view(second_step=True))
code_complete = require_POST(SignInComplete.as_view(second_step=True))
