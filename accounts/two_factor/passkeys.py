"""Passkeys (WebAuthn, through django-otp-webauthn): a second factor, and a sign-in of their own.

A passkey proves two things at once when the browser checks the person (a fingerprint, a face,
the phone's PIN): something they have and something they are or know. So a passkey alone signs
in; at the code step after a password, it stands in for the authenticator app's code.
Passkeys join an authenticator app that is already on, so that whoever has one also has
recovery codes for the day the phone is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from dogs.models import Owner

# Where a developer's browser opens Leanlog (make run, the browser tests, at any port): passkeys
# made there belong to it. Browsers refuse passkeys on a bare IP address such as 127.0.0.1.
LOOPBACK_HOSTS = frozenset({"localhost"})
NAME_MAX_LENGTH = 60


def _request_host(request: HttpRequest) -> str:
    # get_host() has already been checked against ALLOWED_HOSTS.
    host, _port = split_domain_port(request.get_host())
    return host


def relying_party_id(request: HttpRequest) -> str:
    """The host name passkeys belong to: LEANLOG_SITE_URL's, or the loopback address in use."""
    host = _request_host(request)
    if host in LOOPBACK_HOSTS:
        return host
    return settings.OTP_WEBAUTHN_RP_ID


def allowed_origins(request: HttpRequest) -> list[str]:
    """The pages a passkey may be used from: LEANLOG_SITE_URL's origin, or the loopback one in use."""
    if _request_host(request) in LOOPBACK_HOSTS:
        return [f"{request.scheme}://{request.get_host()}"]
    return list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)


class PasskeyHelper(WebAuthnHelper):
    """The library's WebAuthn steps with Leanlog's relying party."""

    def get_relying_party_domain(self) -> str:
        return relying_party_id(self.request)

    def get_allowed_origins(self) -> list[str]:
        return allowed_origins(self.request)


def passkeys_of(owner: Owner) -> QuerySet[WebAuthnCredential]:
    """The person's own passkeys, the newest first."""
    return WebAuthnCredential.objects.filter(user=owner, confirmed=True).order_by("-created_at", "-pk")


def has_passkeys(owner: Owner) -> bool:
    return passkeys_of(owner).exists()


def owner_of_credential(raw_id: object) -> Owner | None:
    """Whose passkey a sign-in attempt names, for counting a failed one against that account."""
    from webauthn import base64url_to_bytes

    if not isinstance(raw_id, str) or not raw_id or len(raw_id) > 1400:
        return None
    try:
        credential_id = base64url_to_bytes(raw_id)
    except ValueError:
        return None
    credential = (
        WebAuthnCredential.objects.filter(
            credential_id_sha256=WebAuthnCredential.get_credential_id_sha256(credential_id)
        )
        .select_related("user")
        .first()
    )
    return credential.user if credential else None


def default_name(owner: Owner) -> str:
    """A name that tells a new passkey from the others until the person names it."""
    # Translators: a new passkey's name until the person gives it one: "Passkey 2".
    return _("Passkey %(number)s") % {"number": passkeys_of(owner).count() + 1}


def send_passkey_mail(owner: Owner, name: str, added: bool) -> None:
    """Tell the owner a passkey came or went, so a change they did not make does not go unnoticed."""
    if not owner.email or not owner.email_confirmed:
        return
    if added:
        subject = _("A passkey was added to your Leanlog account")
    else:
        subject = _("A passkey was removed from your Leanlog account")
    send_mail(
        subject=subject,
        message=render_to_string(
            "accounts/passkey_changed_mail.txt", {"owner": owner, "name": name, "added": added}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[owner.email],
    )
