from __future__ import annotations

from django.urls import path

from accounts import phone_views
from accounts import views as account_views
from dogs import people_views, views

# The "dogs" namespace is put together in config/urls.py: the home page and the dog's page
# show leans, so their views live in the journal app (journal.urls.dog_pages).

urlpatterns = [
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/settings/", views.account_settings, name="account-settings"),
    path("accounts/settings/email/<str:token>/", account_views.email_confirm, name="email-confirm"),
    path("accounts/push/", phone_views.push_subscribe, name="push-subscribe"),
    path("accounts/push/remove/", phone_views.push_unsubscribe, name="push-unsubscribe"),
    path("sw.js", phone_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", phone_views.manifest, name="manifest"),
    path("offline/", phone_views.offline, name="offline"),
    path("dogs/new/", views.dog_create, name="dog-create"),
    path("dogs/<id:dog_id>/edit/", views.dog_edit, name="dog-edit"),
    path("dogs/<id:dog_id>/delete/", views.dog_delete, name="dog-delete"),
    path("dogs/<id:dog_id>/people/", people_views.people, name="people"),
    path("dogs/<id:dog_id>/people/invite/", people_views.invite, name="people-invite"),
    path(
        "dogs/<id:dog_id>/people/invitations/<id:invitation_id>/cancel/",
        people_views.cancel_invitation,
        name="invitation-cancel",
    ),
    path("dogs/<id:dog_id>/people/<id:member_id>/role/", people_views.change_role, name="people-role"),
    path("dogs/<id:dog_id>/people/<id:member_id>/remove/", people_views.remove_member, name="people-remove"),
]

# Outside the "dogs" namespace: the link a new member opens (config/urls.py).
public_urlpatterns = [
    path("invites/<str:token>/", people_views.invitation, name="invitation"),
]
