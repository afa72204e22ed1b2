from __future__ import annotations

from django import forms

from api.models import ApiToken


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        labels = {"name": "Name"}
        help_texts = {"name": "Something to tell it apart later, such as “my laptop script”."}
        error_messages = {"name": {"required": "Give the token a name."}}
