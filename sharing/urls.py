from __future__ import annotations

from django.urls import path

from sharing import views

app_name = "sharing"

urlpatterns = [
    path("dogs/<id:dog_id>/shares/", views.share_list, name="share-list"),
    path("dogs/<id:dog_id>/shares/new/", views.share_new, name="share-new"),
    path("dogs/<id:dog_id>/shares/<id:share_id>/revoke/", views.share_revoke, name="share-revoke"),
]

# Outside the namespace: the vet's pages, opened by whoever holds the token.
public_urlpatterns = [
    path("share/<str:token>/", views.shared_report, name="shared-report"),
    path("share/<str:token>/report.json", views.shared_report_json, name="shared-report-json"),
    path("share/<str:token>/notes/", views.shared_note, name="shared-note"),
]
