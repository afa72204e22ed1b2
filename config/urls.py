"""Leanlog's URL map; the paths are part of the interface contract (DOMAIN.md)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from api import urls as api_urls
from api.api import api
from dogs import urls as dog_urls
from journal import urls as journal_urls
from sharing import urls as sharing_urls

# Django's account pages, listed one by one so that sign-in, password change and password
# reset go through Leanlog's throttles (accounts/views.py).
accounts = [
    path("login/", account_views.sign_in, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", account_views.password_change, name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password_reset/", account_views.password_reset, name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    # One "dogs" namespace: the dogs app's pages and the two dog pages that show leans.
    path("", include(([*journal_urls.dog_pages, *dog_urls.urlpatterns], "dogs"))),
    path("", include("journal.urls")),
    path("", include(dog_urls.public_urlpatterns)),
    path("", include("sharing.urls")),
    path("", include(sharing_urls.public_urlpatterns)),
    path("", include(api_urls)),
    path("api/", api.urls),
    path("accounts/", include(accounts)),
    path("admin/", admin.site.urls),
]

# A full or read-only disk gets its own page even when the write failed outside a view.
handler500 = "dogs.views.server_error"
