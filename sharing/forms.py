"""The owner's choices for a vet link, and the vet's note."""

from __future__ import annotations

from django import forms

from sharing.models import (
    DEFAULT_EXPIRES_IN_DAYS,
    DEFAULT_SHARE_DAYS,
    MAX_EXPIRES_IN_DAYS,
    SHARE_DAYS_CHOICES,
    VetNote,
)


class ShareForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Report of the last",
        choices=[(days, "a year" if days == 365 else f"{days} days") for days in SHARE_DAYS_CHOICES],
        coerce=int,
        initial=DEFAULT_SHARE_DAYS,
    )
    expires_in_days = forms.IntegerField(
        label="Link works for (days)",
        min_value=1,
        max_value=MAX_EXPIRES_IN_DAYS,
        initial=DEFAULT_EXPIRES_IN_DAYS,
        error_messages={
            "min_value": "Choose between 1 and 90 days.",
            "max_value": "Choose between 1 and 90 days.",
        },
    )

    def __init__(self, data=None, **kwargs) -> None:
        # Both fields have defaults: a bare POST makes the usual link.
        if data is not None:
            data = data.copy()
            data.setdefault("days", str(DEFAULT_SHARE_DAYS))
            data.setdefault("expires_in_days", str(DEFAULT_EXPIRES_IN_DAYS))
        super().__init__(data, **kwargs)


class VetNoteForm(forms.ModelForm):
    class Meta:
        model = VetNote
        fields = ["author", "text"]
        labels = {"author": "Your name", "text": "Your note for the family"}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
