"""Django's admin site, reachable by staff only with a second factor."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accounts.two_factor import second_factor


class LeanlogAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        """Staff who signed in with a code from their own authenticator or a recovery code."""
        return super().has_permission(request) and second_factor.is_verified(request)
