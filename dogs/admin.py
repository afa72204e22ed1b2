"""Admin for owners and dogs: support work, not day-to-day use."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from dogs.models import Dog, Owner


class OwnerCreationForm(AdminUserCreationForm):
    # Django's forms name auth.User; a swapped user model needs its own Meta.
    class Meta(AdminUserCreationForm.Meta):
        model = Owner
        fields = ("username", "time_zone")


class OwnerChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = Owner


@admin.register(Owner)
class OwnerAdmin(UserAdmin):
    form = OwnerChangeForm
    add_form = OwnerCreationForm
    fieldsets = (*UserAdmin.fieldsets, ("Leanlog", {"fields": ("time_zone",)}))
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        ("Leanlog", {"fields": ("time_zone",)}),
    )
    list_display = ("username", "email", "time_zone", "date_joined", "last_login", "is_staff")


@admin.register(Dog)
class DogAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "breed", "size", "birth_date", "created_at")
    list_filter = ("size", "sex")
    search_fields = ("name", "breed", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    readonly_fields = ("created_at",)
