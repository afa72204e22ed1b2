"""Parts of a page rendered once and kept, with the viewer's CSRF token filled in on each view.

A kept part is rendered without the request, so nothing of a session can be kept in it. A form
in it still needs the token of the page it is shown on: `kept_part` renders {% csrf_token %} as
a hole (a fixed, harmless text) and `filled` puts the request's token there, masked anew on
every view as Django's own tag does.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

# What {% csrf_token %} writes into a kept part instead of a token: no token has its letters.
CSRF_HOLE = "csrf-token-of-the-view"


def kept_part(template_name: str, context: dict[str, Any]) -> str:
    """The template rendered to be kept: without the request, each CSRF token a hole."""
    return render_to_string(template_name, {**context, "csrf_token": CSRF_HOLE})


def filled(request: HttpRequest, part: str) -> SafeString:
    """A kept part, ready to show: the request's CSRF token in its holes (if it has any)."""
    if CSRF_HOLE in part:
        part = part.replace(CSRF_HOLE, get_token(request))
    return mark_safe(part)
