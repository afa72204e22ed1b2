"""The second factor's small forms: a code, and the password with a code to turn it off."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dogs.models import validate_one_line

CODE_HELP = _("The 6 digits your authenticator app shows now, or one of your recovery codes.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=CODE_HELP,
        error_messages={"required": _("Type the code from your authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class TurnOffForm(CodeForm):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        error_messages={"required": _("Type your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        help_text=_("Say where it lives, for example “Sam’s phone”."),
        validators=[validate_one_line],
        error_messages={"required": _("Give the passkey a name.")},
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        error_messages={"required": _("Type your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
