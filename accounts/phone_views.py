"""Leanlog on a phone: the service worker, the web app manifest and the offline page."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from accounts.reminders import push_endpoint_problem
from dogs.models import Dog, PushSubscription, Role

# What the service worker keeps from the moment it installs, so that a page taken from its
# cache has its styles, icons and scripts with no connection at all.
PRECACHED_STATIC = (
    "vendor/bootstrap/bootstrap.subset.min.css",
    "img/icons.svg",
    "vendor/idb-keyval/idb-keyval.umd.js",
    "css/leanlog.css",
    "css/dark.css",
    "css/journal.css",
    "js/theme.js",
    "js/leanlog.js",
    "js/outbox.js",
    "js/offline.js",
    "img/favicon.svg",
    "img/icon-192.png",
)
# Android shows four shortcuts at most; more would only be cut off.
MAX_SHORTCUTS = 4


@cache
def _base_manifest() -> dict:
    """The static manifest's fields (name, colours, icons): one source for both."""
    return json.loads(Path(finders.find("manifest.webmanifest")).read_text(encoding="utf-8"))


@require_http_methods(["GET", "HEAD"])
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest; a signed-in person gets a "Log a lean" shortcut per dog they log for.

    In the person's language (the name is the brand's, the same in every language).
    """
    data = dict(_base_manifest())
    # Translators: the app's description when it is installed on a phone.
    data["description"] = gettext("A leaning journal for dogs and the people they lean on.")
    data["id"] = "/"
    data["icons"] = [{**icon, "src": static(icon["src"])} for icon in data["icons"]]
    if request.user.is_authenticated:
        # Only the dogs this person may log leans for: a viewer's shortcut would lead to a 403.
        loggable = Dog.objects.for_owner(request.user).exclude(role=Role.VIEWER)
        dogs = loggable.only("pk", "name")[:MAX_SHORTCUTS]
        data["shortcuts"] = [
            {
                # Translators: a phone's home-screen shortcut; %(name)s is the dog's name.
                "name": gettext("Log a lean for %(name)s") % {"name": dog.name},
                # Translators: the shortcut's short label (cut to 30 characters); %(name)s is the dog's name.
                "short_name": (gettext("Lean: %(name)s") % {"name": dog.name})[:30],
                "url": reverse("journal:incident-create", args=[dog.pk]),
                "icons": [{"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"}],
            }
            for dog in dogs
        ]
    response = JsonResponse(data, content_type="application/manifest+json")
    # The shortcuts name the owner's dogs: never stored by a shared cache.
    response["Cache-Control"] = "private, no-cache"
    return response


def _precache_urls() -> list[str]:
    return [reverse("dogs:offline"), *(static(name) for name in PRECACHED_STATIC)]


@require_http_methods(["GET", "HEAD"])
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site's root so that its scope is the whole site."""
    urls = _precache_urls()
    # A new list of files (new hashed names after a deploy) makes a new worker, which refreshes its cache.
    version = hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12]
    response = render(
        request,
        "sw.js",
        {"precache": json.dumps(urls), "version": json.dumps(version)},
        content_type="text/javascript; charset=utf-8",
    )
    # The browser must ask every time, or a fixed worker would reach phones only a day later.
    response["Cache-Control"] = "no-cache"
    return response


@require_http_methods(["GET", "HEAD"])
def offline(request: HttpRequest) -> HttpResponse:
    """What the service worker shows for a page it has not kept; the same for everyone."""
    response = render(request, "offline.html", {"offline_page": True})
    response["Cache-Control"] = "no-cache"
    return response


PUSH_KEY = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def _subscription_from(request: HttpRequest) -> tuple[dict[str, str] | None, str]:
    """The browser's subscription from a JSON body: (fields, "") or (None, what is wrong)."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None, gettext("Send the subscription as JSON.")
    if not isinstance(body, dict):
        return None, gettext("Send the subscription as a JSON object.")
    keys = body.get("keys") if isinstance(body.get("keys"), dict) else {}
    fields = {"endpoint": body.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")}
    if not all(isinstance(value, str) and value for value in fields.values()):
        return None, gettext("The subscription needs an endpoint and its p256dh and auth keys.")
    try:
        # http is still a web address: the push-service rule below says why it is refused.
        URLValidator(schemes=["https", "http"])(fields["endpoint"])
    except ValidationError:
        return None, gettext("The endpoint is not a web address.")
    # Only a browser's push service: anything else would make the server post to whatever
    # address a visitor names (itself, its database, the cloud's metadata service).
    if problem := push_endpoint_problem(fields["endpoint"]):
        # Translators: %(problem)s is a whole sentence saying where reminders may go.
        return None, gettext("%(problem)s This endpoint is not on a known push service.") % {
            "problem": problem
        }
    if len(fields["endpoint"]) > 2000 or len(fields["p256dh"]) > 200 or len(fields["auth"]) > 100:
        return None, gettext("The subscription is longer than any browser makes.")
    # Browsers send both keys base64url-encoded (RFC 8291); anything else (a NUL byte, a lone
    # surrogate) is no key, and PostgreSQL would refuse to store it.
    if not all(PUSH_KEY.fullmatch(fields[name]) for name in ("p256dh", "auth")):
        return None, gettext("The subscription's keys are not base64url text.")
    return fields, ""


@login_required
@require_http_methods(["POST"])
def push_subscribe(request: HttpRequest) -> HttpResponse:
    """Reminders by push to this browser, for the signed-in owner only; a browser has one owner."""
    fields, problem = _subscription_from(request)
    if fields is None:
        return JsonResponse({"error": problem}, status=400)
    existing = PushSubscription.objects.filter(endpoint=fields["endpoint"]).first()
    if existing and existing.owner_id != request.user.pk:
        return JsonResponse(
            {
                "error": gettext(
                    "This browser already gets reminders for another account. Turn them off there first."
                )
            },
            status=409,
        )
    _, created = PushSubscription.objects.update_or_create(
        endpoint=fields["endpoint"],
        owner=request.user,
        defaults={"p256dh": fields["p256dh"], "auth": fields["auth"]},
    )
    return JsonResponse({"subscribed": True}, status=201 if created else 200)


@login_required
@require_http_methods(["POST"])
def push_unsubscribe(request: HttpRequest) -> HttpResponse:
    """No more pushes to this browser; only the owner's own subscriptions can be removed."""
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": gettext("Send the endpoint as JSON.")}, status=400)
    endpoint = body.get("endpoint") if isinstance(body, dict) else None
    if not isinstance(endpoint, str) or not endpoint:
        return JsonResponse({"error": gettext("Name the endpoint to stop.")}, status=400)
    deleted, _ = PushSubscription.objects.filter(owner=request.user, endpoint=endpoint).delete()
    if not deleted:
        return JsonResponse({"error": gettext("This browser has no reminders on your account.")}, status=404)
    return JsonResponse({"subscribed": False})
