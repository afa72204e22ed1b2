from __future__ import annotations

from django.urls import path

from dogs import views

# The "dogs" namespace is put together in config/urls.py: the home page and the dog's page
# show leans, so their views live in the journal app (journal.urls.dog_pages).

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/settings/", views.account_settings, name="account-settings"),
    path("dogs/new/", views.dog_create, name="dog-create"),
    path("dogs/<int:dog_id>/edit/", views.dog_edit, name="dog-edit"),
    path("dogs/<int:dog_id>/delete/", views.dog_delete, name="dog-delete"),
]
