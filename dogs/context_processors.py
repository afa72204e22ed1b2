"""Values every template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def leanlog(request: HttpRequest) -> dict[str, object]:
    return {"allow_signup": settings.LEANLOG_ALLOW_SIGNUP}
