"""The scripts' words: Django's JavaScript catalogue in the language the page named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
_catalogue = JavaScriptCatalog.as_view()


def catalogues_changed(request: HttpRequest) -> dt.datetime | None:
    """When the compiled catalogues last changed: the same on every server of one deployment."""
    compiled = Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.mo")
    latest = max((path.stat().st_mtime for path in compiled), default=None)
    return dt.datetime.fromtimestamp(latest, dt.UTC) if latest else None


@last_modified(catalogues_changed)
def javascript_catalog(request: HttpRequest) -> HttpResponse:
    """The catalogue of `?lang=` (the page's own language, so that a copy kept by its URL is
    right), else of the request's. Browsers ask again on each use (no-cache) and get a 304 until
    a deployment changes the catalogues."""
    language = request.GET.get("lang", "")
    if language in LANGUAGE_CODES:
        with translation.override(language):
            response = _catalogue(request)
        response.headers["Content-Language"] = language
    else:
        response = _catalogue(request)
    patch_cache_control(response, no_cache=True)
    return response
