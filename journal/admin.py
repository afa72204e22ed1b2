"""Leans in the admin, for support and debugging; owners use the journal itself."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from dogs.models import Dog
from journal.models import Incident


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "dog", "intensity", "duration", "location", "owner_activity", "outcome")
    list_filter = ("intensity", "duration", "location", "owner_activity", "outcome", "occurred_at")
    list_select_related = ("dog",)
    # A raw id rather than a drop-down of every dog on the server; autocomplete would need
    # a search-enabled Dog admin, which lives in the dogs app.
    raw_id_fields = ("dog",)
    search_fields = ("dog__name", "dog__owner__username", "notes")
    date_hierarchy = "occurred_at"
    readonly_fields = ("created_at", "updated_at")

    # Every change here must mark the dogs' reports out of date (Dog.journal_changed_at), or
    # a cached report would go on showing the lean as it was. The admin's add, change and
    # delete views already run in a transaction; the bulk delete action does not.

    def save_model(self, request: HttpRequest, obj: Incident, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Staff can move a lean to another dog: both reports change.
        dog_ids = {obj.dog_id, form.initial.get("dog")} - {None}
        Dog.objects.filter(pk__in=dog_ids).touch_journal()

    def delete_model(self, request: HttpRequest, obj: Incident) -> None:
        super().delete_model(request, obj)
        Dog.objects.filter(pk=obj.dog_id).touch_journal()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Incident]) -> None:
        with transaction.atomic():
            dog_ids = list(queryset.order_by().values_list("dog_id", flat=True).distinct())
            super().delete_queryset(request, queryset)
            Dog.objects.filter(pk__in=dog_ids).touch_journal()
