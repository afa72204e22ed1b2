"""Leanlog's URL map; the paths and names are part of the interface contract (docs/report-rules.md)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts import urls as account_urls
from accounts import views as account_views
from api.api import api
from config import views as config_views
from dogs import urls as dog_urls
from journal import urls as journal_urls
from sharing import urls as sharing_urls

urlpatterns = [
    # One "dogs" namespace: the dogs app's pages, the two dog pages that show leans and the
    # account pages named there before accounts/ existed.
    path("", include(([*journal_urls.dog_pages, *dog_urls.urlpatterns, *account_urls.dogs_names], "dogs"))),
    path("", include(([*journal_urls.urlpatterns, *account_urls.journal_names], "journal"))),
    path("", include(dog_urls.public_urlpatterns)),
    path("", include("sharing.urls")),
    path("", include(sharing_urls.public_urlpatterns)),
    path("", include((account_urls.api_names, "api"))),
    path("api/", api.urls),
    # Every /accounts/ page is in accounts/urls.py; these are Django's own, without a namespace.
    path("", include(account_urls.urlpatterns)),
    # Before the admin's own pages: its sign-in goes through Leanlog's per-address limit.
    path("admin/login/", account_views.admin_sign_in),
    path("admin/", admin.site.urls),
    # The scripts' words (static/js/) in the page's language.
    path("jsi18n/", config_views.javascript_catalog, name="javascript-catalog"),
]

# A full or read-only disk gets its own page even when the write failed outside a view.
handler500 = "dogs.views.server_error"
