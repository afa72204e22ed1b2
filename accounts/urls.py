"""Every /accounts/ page, in one place.

The names are older than this app and stay as pages, tests and saved links know them: Django's
own pages have no namespace, the rest keep the namespace they were first named in ("dogs:signup",
"journal:account-export", "api:token-list"). config/urls.py puts each list into its namespace.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import data_views, phone_views, views
from accounts.two_factor import passkey_views
from accounts.two_factor import views as two_factor_views
from api import views as token_views
from dogs import views as dog_views

# Django's account pages, listed one by one so that sign-in, password change and password
# reset go through Leanlog's throttles (accounts/views.py).
urlpatterns = [
    path("accounts/login/", views.sign_in, name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/password_change/", views.password_change, name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password_reset/", views.password_reset, name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        # Never signed in by the reset itself: the next sign-in still asks for the second factor.
        auth_views.PasswordResetConfirmView.as_view(post_reset_login=False),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The second factor (accounts/two_factor/second_factor.py).
    path("accounts/two-factor/", two_factor_views.two_factor, name="two-factor"),
    path(
        "accounts/two-factor/recovery-codes.txt",
        two_factor_views.two_factor_codes_download,
        name="two-factor-codes-download",
    ),
    path("accounts/two-factor/code/", two_factor_views.two_factor_sign_in, name="two-factor-sign-in"),
    # Passkeys (accounts/two_factor/passkey_views.py): JSON for static/js/passkeys.js. Adding one needs a
    # signed-in person; signing in with one alone, or at the code step, needs nobody signed in.
    path(
        "accounts/two-factor/passkeys/add/begin/",
        passkey_views.register_begin,
        name="passkey-register-begin",
    ),
    path(
        "accounts/two-factor/passkeys/add/complete/",
        passkey_views.register_complete,
        name="passkey-register-complete",
    ),
    path("accounts/passkey/begin/", passkey_views.sign_in_begin, name="passkey-sign-in-begin"),
    path("accounts/passkey/complete/", passkey_views.sign_in_complete, name="passkey-sign-in-complete"),
    path(
        "accounts/two-factor/code/passkey/begin/",
        passkey_views.code_begin,
        name="two-factor-passkey-begin",
    ),
    path(
        "accounts/two-factor/code/passkey/complete/",
        passkey_views.code_complete,
        name="two-factor-passkey-complete",
    ),
]

# In the "dogs" namespace. The phone's worker, manifest and offline page sit at the root
# because a service worker only controls the paths below its own.
dogs_names = [
    path("accounts/signup/", dog_views.signup, name="signup"),
    path("accounts/settings/", dog_views.account_settings, name="account-settings"),
    path("accounts/settings/email/<str:token>/", views.email_confirm, name="email-confirm"),
    path("accounts/push/", phone_views.push_subscribe, name="push-subscribe"),
    path("accounts/push/remove/", phone_views.push_unsubscribe, name="push-unsubscribe"),
    path("sw.js", phone_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", phone_views.manifest, name="manifest"),
    path("offline/", phone_views.offline, name="offline"),
]

# In the "journal" namespace: everything the account holds, as one zip, and closing it.
journal_names = [
    path("accounts/export/", data_views.account_export, name="account-export"),
    path("accounts/delete/", data_views.account_delete, name="account-delete"),
]

# In the "api" namespace: the personal access tokens the REST API takes.
api_names = [
    path("accounts/tokens/", token_views.token_list, name="token-list"),
    path("accounts/tokens/<id:token_id>/revoke/", token_views.token_revoke, name="token-revoke"),
]
