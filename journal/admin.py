"""Leans in the admin, for support and debugging; owners use the journal itself."""

from __future__ import annotations

from django.contrib import admin

from dogs.households import name_of
from journal.models import Event, Incident, Weight


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


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("started_on", "ended_on", "dog", "kind", "title", "created_by_name")
    list_filter = ("kind", "started_on")
    list_select_related = ("dog", "created_by")
    raw_id_fields = ("dog", "created_by")
    search_fields = ("dog__name", "title", "notes")
    date_hierarchy = "started_on"
    readonly_fields = ("created_at",)

    @admin.display(description="added by", ordering="created_by__username")
    def created_by_name(self, event: Event) -> str:
        return name_of(event.created_by)


@admin.register(Weight)
class WeightAdmin(admin.ModelAdmin):
    list_display = ("measured_on", "dog", "weight_kg", "created_by_name")
    list_select_related = ("dog", "created_by")
    raw_id_fields = ("dog", "created_by")
    search_fields = ("dog__name",)
    date_hierarchy = "measured_on"
    readonly_fields = ("created_at",)

    @admin.display(description="added by", ordering="created_by__username")
    def created_by_name(self, weight: Weight) -> str:
        return name_of(weight.created_by)
