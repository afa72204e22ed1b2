"""Show and read every time in the signed-in owner's time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class OwnerTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            timezone.activate(user.zone())
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


# Features Leanlog never uses. Only names Chromium and Firefox know are listed: an unknown
# name makes the browser log an error on every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PrivacyHeadersMiddleware:
    """Signed-in answers are never stored by a browser or a shared cache; sign-out empties the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Read before the view runs: signing out replaces request.user with an anonymous one.
        was_signed_in = request.user.is_authenticated
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if was_signed_in or request.user.is_authenticated:
            # Without this the Back button shows the previous person's journal after sign-out.
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        match = request.resolver_match
        if request.method == "POST" and match and match.view_name == "logout":
            response.headers["Clear-Site-Data"] = '"cache"'
        return response
