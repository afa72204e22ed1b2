"""Per-request rules: the owner's time zone, private pages kept private, a full disk explained."""

from __future__ import annotations

import gzip
import logging
import secrets
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from accounts import throttle

# The answers worth compressing: pages and JSON. Static files come compressed already
# (whitenoise's .gz and .br copies), and images or zips would not shrink.
COMPRESSED_TYPES = ("text/html", "application/json", "text/csv")


class PageCompressionMiddleware(GZipMiddleware):
    """Pages and JSON sent gzipped to browsers that accept it: a journal page shrinks about sixfold.

    Against BREACH (guessing a secret from the compressed size of pages that also echo what an
    attacker sent): the session cookie is SameSite=Lax, so another site cannot make the browser
    fetch a signed-in page in the background; Django's gzip adds up to 100 random bytes to each
    answer; and the CSRF token is masked anew in every page (README: Security).
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not response.get("Content-Type", "").startswith(COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)


# Django's gzip level, and its padding: up to this many random bytes in each answer's header.
GZIP_LEVEL = 6
GZIP_PADDING_BYTES = 100


@dataclass(frozen=True)
class Deflated:
    """A part of a page compressed once, to be spliced into many answers (gzipped_page).

    The part is raw deflate flushed to a byte boundary, so that it can follow and precede
    other deflate blocks: a cached report body is compressed once per report, not per view.
    """

    raw: bytes
    deflated: bytes

    @classmethod
    def of(cls, text: str) -> Deflated:
        raw = text.encode()
        packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        return cls(raw, packer.compress(raw) + packer.flush(zlib.Z_FULL_FLUSH))


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def spliced_page(request: HttpRequest, head: str, middle: Deflated, tail: str) -> HttpResponse:
    """An HTML answer of head, middle and tail: gzipped (the middle as it was compressed) if accepted.

    Only head and tail are compressed per answer. The gzip header carries random padding, as
    PageCompressionMiddleware's does (BREACH).
    """
    head_raw, tail_raw = head.encode(), tail.encode()
    if not accepts_gzip(request):
        response = HttpResponse(head_raw + middle.raw + tail_raw)
        patch_vary_headers(response, ("Accept-Encoding",))
        return response
    first = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    last = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
    checksum = zlib.crc32(tail_raw, zlib.crc32(middle.raw, zlib.crc32(head_raw)))
    size = len(head_raw) + len(middle.raw) + len(tail_raw)
    padding = secrets.token_hex(GZIP_PADDING_BYTES)[: secrets.randbelow(GZIP_PADDING_BYTES)].encode()
    body = b"".join(
        (
            # Magic, deflate, a file name (the padding) follows, no time, no flags, unknown OS.
            b"\x1f\x8b\x08" + bytes([gzip.FNAME]) + b"\x00\x00\x00\x00\x00\xff",
            padding + b"\x00",
            first.compress(head_raw) + first.flush(zlib.Z_FULL_FLUSH),
            middle.deflated,
            last.compress(tail_raw) + last.flush(),
            struct.pack("<II", checksum, size & 0xFFFFFFFF),
        )
    )
    response = HttpResponse(body)
    response.headers["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


class ForwardedHeadersMiddleware:
    """X-Forwarded-For and X-Forwarded-Proto count only when the direct peer is one of our proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Django's SECURE_PROXY_SSL_HEADER reads the header from anyone: a visitor who reaches
        # the app server directly could claim HTTPS and skip the redirect to it.
        if not throttle.is_proxy(request.META.get("REMOTE_ADDR", "")):
            for name in [name for name in request.META if name.startswith("HTTP_X_FORWARDED_")]:
                del request.META[name]
        return self.get_response(request)


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


class OwnerLanguageMiddleware:
    """A signed-in person's own language over the browser's (LocaleMiddleware chose that one).

    Not undone after the response: LocaleMiddleware, outside this one, names the language in the
    response's Content-Language and activates afresh on the next request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# Features Leanlog never uses. Only names Chromium and Firefox know are listed: an unknown
# name makes the browser log an error on every page. Passkeys need publickey-credentials-get
# (accounts/two_factor/passkeys.py), so it is not here.
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


class MethodNotAllowedPageMiddleware:
    """A page, not an empty answer, for a 405: an address that only takes a form, opened as a link.

    Signing out is the one a person meets (a bookmarked or typed /accounts/logout/, which must be
    a POST): that page offers the button. The API keeps its own JSON answers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/api/"):
            return response
        match = request.resolver_match
        sign_out = bool(match and match.view_name == "logout" and request.user.is_authenticated)
        page = render(request, "405.html", {"sign_out": sign_out}, status=405)
        page.headers["Allow"] = response.headers.get("Allow", "")
        return page


# What SQLite and PostgreSQL say when the disk is full or cannot be written.
STORAGE_FAILURE_WORDS = (
    "database or disk is full",
    "disk i/o error",
    "readonly database",
    "read-only",
    "no space left on device",
    "could not extend file",
)
# PostgreSQL's codes for the same: disk full (53100), a read-only transaction or server (25006).
STORAGE_FAILURE_SQLSTATES = {"53100", "25006"}

logger = logging.getLogger(__name__)


def is_storage_failure(error: BaseException | None) -> bool:
    """True for a database error that says the disk is full or cannot be written to."""
    if not isinstance(error, DatabaseError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in STORAGE_FAILURE_SQLSTATES:
        return True
    message = str(error).lower()
    return any(words in message for words in STORAGE_FAILURE_WORDS)


def storage_failure_response(error: BaseException) -> HttpResponse:
    """The "can't save right now" page: 503, so browsers and proxies know to come back later."""
    logger.error("The database cannot write: %s", error)
    # No request context: the page must render even when the session cannot be read.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response.headers["Retry-After"] = "120"
    return response


class StorageFailureMiddleware:
    """A full or read-only disk answers a clear 503 page instead of a bare 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A failed write changes nothing: each one runs in a transaction that the database
        # rolls back, so everything saved before stays as it was.
        if is_storage_failure(exception):
            return storage_failure_response(exception)
        return None
