"""Values every template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from dogs.models import Theme


def leanlog(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    theme = user.theme if user is not None and user.is_authenticated else Theme.SYSTEM
    return {"allow_signup": settings.LEANLOG_ALLOW_SIGNUP, "theme_choice": theme}
