"""Leans in the admin, for support and debugging; owners use the journal itself."""

from __future__ import annotations

from django.contrib import admin

from dogs.households import name_of
from journal.models import Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "dog",
        "intensity",
        "duration",
        "location",
        "owner_activity",
        "outcome",
        "logged_by_name",
    )
    list_filter = ("intensity", "duration", "location", "owner_activity", "outcome", "occurred_at")
    list_select_related = ("dog", "logged_by")
    # A raw id rather than a drop-down of every dog on the server; autocomplete would need
    # a search-enabled Dog admin, which lives in the dogs app.
    raw_id_fields = ("dog", "logged_by")
    search_fields = ("dog__name", "dog__owner__username", "notes")
    date_hierarchy = "occurred_at"
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description="logged by", ordering="logged_by__username")
    def logged_by_name(self, incident: Incident) -> str:
        return name_of(incident.logged_by)
