from __future__ import annotations

from django.urls import path

from dogs import people_views, views

# The "dogs" namespace is put together in config/urls.py: the home page and the dog's page
# show leans, so their views live in the journal app (journal.urls.dog_pages); the account pages
# named in it are in accounts/urls.py.

urlpatterns = [
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
