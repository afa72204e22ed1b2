from __future__ import annotations

from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("accounts/tokens/", views.token_list, name="token-list"),
    path("accounts/tokens/<id:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
