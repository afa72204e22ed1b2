"""Leanlog's URL map; the paths are part of the interface contract (DOMAIN.md)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from api import urls as api_urls
from api.api import api
from dogs import urls as dog_urls
from journal import urls as journal_urls
from sharing import urls as sharing_urls

urlpatterns = [
    # One "dogs" namespace: the dogs app's pages and the two dog pages that show leans.
    path("", include(([*journal_urls.dog_pages, *dog_urls.urlpatterns], "dogs"))),
    path("", include("journal.urls")),
    path("", include(dog_urls.public_urlpatterns)),
    path("", include("sharing.urls")),
    path("", include(sharing_urls.public_urlpatterns)),
    path("", include(api_urls)),
    path("api/", api.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
