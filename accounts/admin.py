"""Passkeys in the admin, so that the operator can remove a lost phone's (README: "Lost phone?")."""

from __future__ import annotations

from django.contrib import admin
from django_otp_webauthn.admin import WebAuthnCredentialAdmin
from django_otp_webauthn.models import WebAuthnCredential

# The library ships the admin class but leaves registering it to the project.
admin.site.register(WebAuthnCredential, WebAuthnCredentialAdmin)
