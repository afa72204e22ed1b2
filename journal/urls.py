from __future__ import annotations

from django.urls import path

from journal.imports import views as import_views
from journal.report import views as report_views
from journal.views import dashboard, events, leans, observations

# The "journal" namespace is put together in config/urls.py, with the account's zip and deletion
# (accounts/urls.py).

# Named in the "dogs" namespace (config/urls.py): "dogs:home" and "dogs:dog-detail".
dog_pages = [
    path("", dashboard.home, name="home"),
    path("dogs/<id:dog_id>/", dashboard.dog_detail, name="dog-detail"),
    path("dogs/<id:dog_id>/vet-notes/read/", dashboard.vet_notes_read, name="vet-notes-read"),
]

urlpatterns = [
    path("dogs/<id:dog_id>/incidents/", leans.incident_list, name="incident-list"),
    path("dogs/<id:dog_id>/incidents/new/", leans.incident_create, name="incident-create"),
    path("dogs/<id:dog_id>/incidents/export.csv", leans.incident_export, name="incident-export"),
    path("dogs/<id:dog_id>/incidents/import/", import_views.incident_import, name="incident-import"),
    path(
        "dogs/<id:dog_id>/incidents/import/confirm/",
        import_views.incident_import_confirm,
        name="incident-import-confirm",
    ),
    path("dogs/<id:dog_id>/incidents/<id:pk>/edit/", leans.incident_edit, name="incident-edit"),
    path("dogs/<id:dog_id>/incidents/<id:pk>/delete/", leans.incident_delete, name="incident-delete"),
    path("dogs/<id:dog_id>/report/", report_views.report_page, name="report"),
    path("dogs/<id:dog_id>/report.json", report_views.report_json, name="report-json"),
    path("dogs/<id:dog_id>/checkins/", observations.checkin_create, name="checkin-create"),
    path(
        "dogs/<id:dog_id>/flags/<slug:code>/ack/",
        observations.flag_acknowledge,
        name="flag-acknowledge",
    ),
    path("dogs/<id:dog_id>/events/", events.event_list, name="event-list"),
    path("dogs/<id:dog_id>/events/new/", events.event_create, name="event-create"),
    path("dogs/<id:dog_id>/events/export.csv", events.event_export, name="event-export"),
    path("dogs/<id:dog_id>/events/<id:event_id>/edit/", events.event_edit, name="event-edit"),
    path("dogs/<id:dog_id>/events/<id:event_id>/delete/", events.event_delete, name="event-delete"),
    path("dogs/<id:dog_id>/weights/", events.weight_list, name="weight-list"),
    path("dogs/<id:dog_id>/weights/new/", events.weight_create, name="weight-create"),
    path("dogs/<id:dog_id>/weights/<id:weight_id>/delete/", events.weight_delete, name="weight-delete"),
]
