"""The second factor's small forms: a code, and the password with a code to turn it off."""

from __future__ import annotations

from django import forms

from dogs.models import validate_one_line

CODE_HELP = "The 6 digits your authenticator app shows now, or one of your recovery codes."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text=CODE_HELP,
        error_messages={"required": "Type the code from your authenticator app."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )


class TurnOffForm(CodeForm):
    password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Type your password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=60,
        help_text="Say where it lives, for example “Sam’s phone”.",
        validators=[validate_one_line],
        error_messages={"required": "Give the passkey a name."},
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Type your password."},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
