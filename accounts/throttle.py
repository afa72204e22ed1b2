"""Throttles: how many times one address, account or email may do a costly thing in a window.

Counts live in the cache (Redis when REDIS_URL is set, so every app server shares them).
A fixed window is enough here: the aim is to stop floods, and an honest person never gets
near a limit. When the cache is down, hit() lets the request through: a throttle that
failed shut would lock everyone out.

The sign-in lockout (django-axes) is here too, for the signed-in pages that ask for a password.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from dogs.models import Owner


@dataclass(frozen=True)
class Rule:
    """At most `limit` hits per `window` seconds for one key of this scope."""

    scope: str
    limit: int
    window: int


# The policy, in one place (the README's Security section says the same). Sign-in costs a
# password hash per attempt; axes also locks one username from one address after 5 failures.
SIGN_IN_PER_ADDRESS = Rule("sign-in-address", limit=30, window=10 * 60)
SIGN_UP_PER_ADDRESS = Rule("sign-up-address", limit=10, window=60 * 60)
PASSWORD_RESET_PER_ADDRESS = Rule("reset-address", limit=10, window=60 * 60)
# Past this the reset page still says "check your email", but no more mail goes out.
PASSWORD_RESET_PER_EMAIL = Rule("reset-email", limit=3, window=60 * 60)
CONFIRMATION_MAIL_PER_OWNER = Rule("confirm-owner", limit=5, window=60 * 60)


def is_proxy(peer: str) -> bool:
    """True when the direct peer is one of LEANLOG_PROXY_IPS (addresses or networks)."""
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        # Not an IP at all: gunicorn on a UNIX socket, which only this machine's processes
        # (the local proxy) can reach; gunicorn trusts such a peer too.
        return peer == ""
    return any(
        address in ipaddress.ip_network(network, strict=False) for network in settings.LEANLOG_PROXY_IPS
    )


def client_address(request: HttpRequest) -> str | None:
    """The visitor's address, for the sign-in lockout and every throttle: forwarded only by our proxies."""
    peer = request.META.get("REMOTE_ADDR", "")
    count = settings.LEANLOG_PROXY_COUNT
    if not count or not is_proxy(peer):
        # Reached directly: whatever X-Forwarded-For says was written by the visitor.
        return peer or None
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return peer or None
    # Each of our `count` proxies appended the address it saw; entries further left were
    # written by the visitor. A hop in between that is not one of ours is as far as trust reaches.
    for position, entry in enumerate(reversed(forwarded[-count:]), start=1):
        try:
            # Axes stores the address in an inet column on PostgreSQL: only a real one may pass.
            address = str(ipaddress.ip_address(entry))
        except ValueError:
            return peer or None
        if position == count or not is_proxy(address):
            return address
    return peer or None


def address_key(request: HttpRequest) -> str:
    """client_address() as a throttle key: requests whose address is unknown share one count."""
    return client_address(request) or "unknown"


def cache_key(scope: str, key: str, window: int, now: float) -> str:
    # Hashed, so that an email address or a username never sits in the cache in clear.
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{int(now // window)}"


def hit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit; True while the key has made at most `limit` in the current window."""
    name = cache_key(scope, key, window, time.time())
    # add() only writes a missing key, so the first hit of a window starts the count at 0.
    cache.add(name, 0, timeout=window + 1)
    try:
        count = cache.incr(name)
    except ValueError:
        # The key expired (or the cache lost it) between add() and incr(): this is hit one.
        cache.set(name, 1, timeout=window + 1)
        count = 1
    return count <= limit


def allow(rule: Rule, key: str) -> bool:
    """hit() with a rule from the table above."""
    return hit(rule.scope, key, rule.limit, rule.window)


def seconds_left(rule: Rule) -> int:
    """Seconds until the rule's current window ends and its counts start again."""
    return rule.window - int(time.time()) % rule.window


def sign_ins_paused() -> str:
    """The 429 page's first sentence when sign-ins from an address are paused."""
    return _(
        "There have been a lot of sign-in attempts from your connection in a short time, "
        "so Leanlog is pausing them for a while."
    )


def too_many(request: HttpRequest, rule: Rule, paused: str) -> HttpResponse:
    """The friendly 429 page: what was paused (`paused`, one sentence) and roughly when to try again."""
    seconds = seconds_left(rule)
    minutes = max(1, round(seconds / 60))
    wait = ngettext("Please try again in a minute.", "Please try again in %(count)s minutes.", minutes) % {
        "count": minutes
    }
    response = render(request, "429.html", {"paused": paused, "wait": wait}, status=429)
    response.headers["Retry-After"] = str(seconds)
    return response


# --- password prompts ---------------------------------------------------------------------
# Every page that asks for a password (sign-in, the admin's sign-in, password and email change,
# account deletion) is a place to guess it: each counts and is limited like sign-in.


def count_wrong_password(request: HttpRequest, owner: Owner) -> None:
    """A wrong password at a prompt counts as a failed sign-in for that username from this address."""
    # Axes listens to Django's own signal; at its limit it marks the request, and its
    # middleware answers with the lockout page.
    user_login_failed.send(sender=__name__, credentials={"username": owner.get_username()}, request=request)


def locked_out(request: HttpRequest, owner: Owner) -> HttpResponse | None:
    """The lockout page while this username is locked from this address, else None."""
    credentials = {"username": owner.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    return None


def password_prompt_refused(request: HttpRequest, owner: Owner) -> HttpResponse | None:
    """A typed password is a sign-in attempt: paused past the per-address limit, refused while locked."""
    if not allow(SIGN_IN_PER_ADDRESS, address_key(request)):
        # Translators: fills the 429 page's "There have been a lot of … from your connection".
        return too_many(request, SIGN_IN_PER_ADDRESS, sign_ins_paused())
    return locked_out(request, owner)
