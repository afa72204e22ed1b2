from __future__ import annotations

from django.urls import path

from dogs import views

app_name = "dogs"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/settings/", views.account_settings, name="account-settings"),
    path("dogs/new/", views.dog_create, name="dog-create"),
    path("dogs/<int:pk>/", views.dog_detail, name="dog-detail"),
    path("dogs/<int:pk>/edit/", views.dog_edit, name="dog-edit"),
    path("dogs/<int:pk>/delete/", views.dog_delete, name="dog-delete"),
]
