from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": _("Name")}
        help_texts = {"name": _("Something to tell it apart later, such as “my laptop script”.")}
        error_messages = {"name": {"required": _("Give the token a name.")}}
