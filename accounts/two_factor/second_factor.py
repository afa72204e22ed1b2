"""The second factor: an authenticator app (TOTP) plus single-use recovery codes, on django-otp.

A person has the factor on when they own a confirmed TOTP device or a passkey
(accounts/two_factor/passkeys.py). Between the right password and the right code, the session holds only a
signed, short-lived "pending" user id; nobody is signed in, so no signed-in page can be served
in between.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

if TYPE_CHECKING:
    from dogs.models import Owner

RECOVERY_CODE_COUNT = 10
# Long enough to find the phone and type a code, short enough that a forgotten half-signed
# session on a shared computer is gone soon.
PENDING_SECONDS = 5 * 60
PENDING_KEY = "two_factor_pending"
PENDING_SALT = "accounts.second_factor.pending"
# The freshly made recovery codes may be downloaded from the same session for this long.
FRESH_CODES_KEY = "two_factor_fresh_codes"
FRESH_CODES_SALT = "accounts.second_factor.fresh-codes"
FRESH_CODES_SECONDS = 15 * 60
# A setup left half done keeps its secret for a day (the QR code stays the one already scanned),
# then a new secret replaces it: a secret shown on some screen long ago is never turned on.
SETUP_KEPT_FOR = dt.timedelta(days=1)


def is_on(owner: Owner) -> bool:
    """The factor is on with an authenticator app confirmed by a first code, or with a passkey."""
    return app_is_on(owner) or WebAuthnCredential.objects.filter(user=owner, confirmed=True).exists()


def app_is_on(owner: Owner) -> bool:
    return TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


def setup_device(owner: Owner) -> TOTPDevice:
    """The one unconfirmed authenticator being set up: kept across reloads for a day, then renewed."""
    unconfirmed = TOTPDevice.objects.filter(user=owner, confirmed=False)
    unconfirmed.filter(created_at__lt=timezone.now() - SETUP_KEPT_FOR).delete()
    device = unconfirmed.order_by("-pk").first()
    if device is None:
        return TOTPDevice.objects.create(user=owner, name="Authenticator app", confirmed=False)
    # Two tabs opened at once may each have made one: only the newest stays.
    unconfirmed.exclude(pk=device.pk).delete()
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it typed in: base32 without padding."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (the CSP allows data: images only)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def clean_code(code: str) -> str:
    """What people type: spaces and dashes between groups are allowed; case does not matter."""
    return "".join(code.split()).replace("-", "").lower()


def device_for_code(owner: Owner, code: str) -> Device | None:
    """The confirmed device that accepts the code (a recovery code is used up), else None."""
    code = clean_code(code)
    if not code:
        return None
    # Six digits go to the app, anything else to the recovery codes: a typo then counts against
    # one device's own throttle only.
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=owner, confirmed=True):
            if device.verify_token(code):
                return device
    return None


def confirm_setup(owner: Owner, code: str) -> bool:
    """The first right code from the app turns the factor on; a wrong one changes nothing."""
    device = TOTPDevice.objects.filter(user=owner, confirmed=False).order_by("-pk").first()
    if device is None or not device.verify_token(clean_code(code)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator per person: whatever else was half set up goes.
    TOTPDevice.objects.filter(user=owner).exclude(pk=device.pk).delete()
    return True


def new_recovery_codes(owner: Owner) -> list[str]:
    """Ten fresh single-use codes; the old ones stop working."""
    StaticDevice.objects.filter(user=owner).delete()
    device = StaticDevice.objects.create(user=owner, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def unused_recovery_codes(owner: Owner) -> list[str]:
    return list(
        StaticToken.objects.filter(device__user=owner, device__confirmed=True)
        .order_by("pk")
        .values_list("token", flat=True)
    )


def turn_off(owner: Owner) -> None:
    """The app, the recovery codes and the passkeys go together: signing in takes the password only."""
    TOTPDevice.objects.filter(user=owner).delete()
    StaticDevice.objects.filter(user=owner).delete()
    WebAuthnCredential.objects.filter(user=owner).delete()


# --- the half-signed session -----------------------------------------------------------------


def remember_pending(request: HttpRequest, owner: Owner, backend: str, next_url: str) -> None:
    """The right password was typed: remember who, signed and dated, until the code comes."""
    request.session[PENDING_KEY] = signing.dumps(
        {"id": owner.pk, "backend": backend, "next": next_url}, salt=PENDING_SALT
    )


def pending(request: HttpRequest) -> dict | None:
    """The pending sign-in of this session, or None when there is none or it is too old."""
    value = request.session.get(PENDING_KEY)
    if not value:
        return None
    try:
        return signing.loads(value, salt=PENDING_SALT, max_age=PENDING_SECONDS)
    except signing.BadSignature:
        request.session.pop(PENDING_KEY, None)
        return None


def forget_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def is_verified(request: HttpRequest) -> bool:
    """This session signed in with a code from one of the person's own confirmed devices."""
    user = request.user
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
    if not user.is_authenticated or not persistent_id:
        return False
    device = Device.from_persistent_id(persistent_id)
    return device is not None and device.user_id == user.pk and device.confirmed


def mark_fresh_codes(request: HttpRequest) -> None:
    """This session was just shown new recovery codes and may download them for a while."""
    request.session[FRESH_CODES_KEY] = signing.dumps(request.user.pk, salt=FRESH_CODES_SALT)


def may_download_codes(request: HttpRequest) -> bool:
    try:
        user_id = signing.loads(
            request.session.get(FRESH_CODES_KEY, ""), salt=FRESH_CODES_SALT, max_age=FRESH_CODES_SECONDS
        )
    except signing.BadSignature:
        return False
    return user_id == request.user.pk


# --- mail ------------------------------------------------------------------------------------


def send_changed_mail(owner: Owner, turned_on: bool) -> None:
    """Tell the owner the factor changed, so a change they did not make does not go unnoticed."""
    # Like every mail but the confirmation link: only to an address its owner confirmed.
    if not owner.email or not owner.email_confirmed:
        return
    state = "on" if turned_on else "off"
    if turned_on:
        subject = _("A second factor was turned on on your Leanlog account")
    else:
        subject = _("A second factor was turned off on your Leanlog account")
    send_mail(
        subject=subject,
        message=render_to_string("accounts/two_factor_changed_mail.txt", {"owner": owner, "state": state}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[owner.email],
    )
