"""Leanlog's URL map; the paths are part of the interface contract (DOMAIN.md)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dogs.urls")),
    path("", include("journal.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
