"""The owner's choices for a vet link, and the vet's note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sharing.models import (
    DEFAULT_EXPIRES_IN_DAYS,
    DEFAULT_SHARE_DAYS,
    MAX_EXPIRES_IN_DAYS,
    SHARE_DAYS_CHOICES,
    VetNote,
)


def _period_words(days: int) -> str:
    """A choice of period in the page's language: read each time the form is drawn."""
    if days == 365:
        return gettext("a year")
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


class ShareForm(forms.Form):
    days = forms.TypedChoiceField(
        # Translators: followed by the choice: "Report of the last" 90 days / a year.
        label=_("Report of the last"),
        choices=lambda: [(days, _period_words(days)) for days in SHARE_DAYS_CHOICES],
        coerce=int,
        initial=DEFAULT_SHARE_DAYS,
    )
    expires_in_days = forms.IntegerField(
        label=_("Link works for (days)"),
        min_value=1,
        max_value=MAX_EXPIRES_IN_DAYS,
        initial=DEFAULT_EXPIRES_IN_DAYS,
        error_messages={
            "min_value": _("Choose between 1 and 90 days."),
            "max_value": _("Choose between 1 and 90 days."),
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
        # Translators: the vet fills these in, on the vet's copy of the report.
        labels = {"author": _("Your name"), "text": _("Your note for the family")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
