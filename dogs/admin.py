"""Admin for owners and dogs: support work, not day-to-day use."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from dogs.households import delete_account, name_of
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

    # The operator deletes by the person's own rule: only dogs they are the last owner of go.
    def delete_model(self, request, obj: Owner) -> None:
        delete_account(obj)

    def delete_queryset(self, request, queryset) -> None:
        for person in queryset:
            delete_account(person)


@admin.register(Dog)
class DogAdmin(admin.ModelAdmin):
    list_display = ("name", "added_by", "breed", "size", "birth_date", "created_at")
    list_filter = ("size", "sex")
    search_fields = ("name", "breed", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    readonly_fields = ("created_at",)

    @admin.display(description="added by", ordering="owner__username")
    def added_by(self, dog: Dog) -> str:
        return name_of(dog.owner)
