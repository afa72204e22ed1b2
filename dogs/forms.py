"""Forms for owners (sign-up, settings) and their dogs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.reminders import NIGHT_ENDS, NIGHT_STARTS, is_night
from config.saving.edits import refuse_overwrite, watch_for_changes
from config.saving.once import add_client_id
from dogs.models import EARLIEST_DATE, Dog, Owner, known_time_zones, validate_time_zone
from journal.report.weights import kg_text

TIME_ZONE_INVALID = _("Choose a time zone from the list, such as Europe/London.")


# The regions of the places people live in; the database's other names ("Factory",
# "localtime", "GB-Eire", "US/Eastern", "Etc/GMT+5") are aliases or tools, not places.
PLACE_REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)


# The groups' names as the list shows them, in the reader's language (the zones' own names, the
# time zone database's, stay as they are). "Other" holds UTC and any zone from outside the regions.
REGION_LABELS = {
    "Africa": pgettext_lazy("time zone region", "Africa"),
    "America": pgettext_lazy("time zone region", "America"),
    "Antarctica": pgettext_lazy("time zone region", "Antarctica"),
    "Arctic": pgettext_lazy("time zone region", "Arctic"),
    "Asia": pgettext_lazy("time zone region", "Asia"),
    "Atlantic": pgettext_lazy("time zone region", "Atlantic"),
    "Australia": pgettext_lazy("time zone region", "Australia"),
    "Europe": pgettext_lazy("time zone region", "Europe"),
    "Indian": pgettext_lazy("time zone region", "Indian Ocean"),
    "Pacific": pgettext_lazy("time zone region", "Pacific"),
    "Other": pgettext_lazy("time zone region", "Other"),
}


def is_listed_zone(name: str) -> bool:
    return name == "UTC" or ("/" in name and name.split("/", 1)[0] in PLACE_REGIONS)


def place_label(place: str) -> str:
    """A zone's place as people write it: "Argentina/Buenos_Aires" is "Buenos Aires, Argentina"."""
    return ", ".join(reversed(place.replace("_", " ").split("/")))


@cache
def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The zones of places, and UTC, sorted and grouped by region so the list is easy to scan.

    Any other IANA name is still accepted (an owner may have one from before): the form then
    lists it too, so that saving the page never changes a zone nobody touched.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(filter(is_listed_zone, known_time_zones())):
        region, _, place = name.partition("/") if "/" in name else ("Other", "", name)
        groups.setdefault(region, []).append((name, place_label(place)))
    return sorted(groups.items())


class TimeZoneSelect(forms.Select):
    """The zone list drawn in one pass: a template per option made these pages ten times slower."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = format_html_join(
            "",
            '<optgroup label="{}">{}</optgroup>',
            (
                (
                    # Named when drawn: the list itself is made once, for every language.
                    REGION_LABELS.get(label, label),
                    format_html_join(
                        "",
                        '<option value="{}"{}>{}</option>',
                        (
                            (option["value"], " selected" if option["selected"] else "", option["label"])
                            for option in options
                        ),
                    ),
                )
                for label, options, _index in widget["optgroups"]
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), groups)


class TimeZoneField(forms.ChoiceField):
    """A select of every IANA zone; an empty value means the server's default."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault("help_text", _("Every time in Leanlog is shown and entered in this zone."))
        super().__init__(
            choices=time_zone_choices,
            widget=TimeZoneSelect,
            validators=[validate_time_zone],
            error_messages={"invalid_choice": TIME_ZONE_INVALID},
            **kwargs,
        )

    def clean(self, value: str) -> str:
        # A form posted without the field (a script, an old page) keeps the server's zone.
        return super().clean(value or settings.TIME_ZONE)

    def valid_value(self, value: str) -> bool:
        # Every IANA name is valid (validate_time_zone); the list shows the places.
        return value in known_time_zones()

    def keep_listed(self, current: str | None) -> None:
        """List a zone the owner already has even if the list leaves it out."""
        if current and not is_listed_zone(current):
            self.choices = [*time_zone_choices(), ("Other", [(current, current.replace("_", " "))])]


class SignupForm(UserCreationForm):
    """Username, password twice and a time zone guessed by the browser."""

    time_zone = TimeZoneField(required=False)
    error_messages = {
        **UserCreationForm.error_messages,
        "password_mismatch": _("The two passwords are not the same. Type the same one twice."),
    }

    class Meta(UserCreationForm.Meta):
        model = Owner
        fields = ("username", "time_zone")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["username", "password1", "password2", "time_zone"])
        self.fields["password2"].label = _("Password again")
        self.fields["password2"].help_text = _("Type it once more, so that a typo cannot lock you out.")
        self.fields["username"].help_text = _("Letters, digits and @ . + - _ only. You sign in with it.")
        # Django's own wording, in Leanlog's voice.
        self.fields["username"].error_messages.update(
            {
                "required": _("Choose a username: you sign in with it."),
                "max_length": _(
                    "Keep the username to %(limit_value)d characters or fewer (this one has %(show_value)d)."
                ),
                "unique": _("That username is taken. Try another one."),
            }
        )
        self.fields["time_zone"].initial = settings.TIME_ZONE
        self.fields["time_zone"].help_text = _(
            "We took it from your browser; change it if it is wrong. Every time is shown in this zone."
        )
        # leanlog.js replaces the server's default with the browser's zone on a fresh form only:
        # after an error the owner's own choice must survive.
        self.fields["time_zone"].widget.attrs["data-browser-time-zone"] = "" if self.is_bound else "replace"
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "autocomplete": "username"})

    def validate_password_for_user(self, user, **kwargs) -> None:
        """A weak password is marked on the first field, where it was chosen; Django marks the second."""
        # After a mismatch (password2 dropped from cleaned_data) that error is the one to fix first.
        if "password2" in self.cleaned_data:
            super().validate_password_for_user(user, password_field_name="password1")

    def full_clean(self) -> None:
        """The page comes back with the cursor in the first field to fix, not in the username."""
        super().full_clean()
        wrong = [name for name in self.fields if name in self.errors]
        if wrong:
            for field in self.fields.values():
                field.widget.attrs.pop("autofocus", None)
            self.fields[wrong[0]].widget.attrs["autofocus"] = True


LAST_DAY_MINUTE = (dt.datetime.combine(dt.date(2000, 1, 1), NIGHT_STARTS) - dt.timedelta(minutes=1)).time()
REMINDER_TIME_INVALID = _("Enter a time like 19:30 (hours and minutes), or leave it empty for no reminder.")


class AccountSettingsForm(forms.ModelForm):
    """The owner's time zone, email, daily reminder and colour theme; a new address needs the password."""

    time_zone = TimeZoneField()
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Only needed when you change your email address."),
    )
    reminder_time = forms.TimeField(
        label=_("Daily reminder (optional)"),
        required=False,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        error_messages={"invalid": REMINDER_TIME_INVALID},
    )

    class Meta:
        model = Owner
        fields = ["time_zone", "language", "email", "reminder_time", "theme"]
        labels = {"email": _("Email address (optional)"), "theme": _("Colours")}
        help_texts = {
            "email": _(
                "For password reset links and reminders. We send a link to confirm a new address "
                "first, and nothing else goes there until you open it."
            ),
            "theme": _("“Follow this device” turns dark when your phone or computer does."),
        }
        widgets = {"theme": forms.RadioSelect}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].keep_listed(self.instance.time_zone)
        self.fields["reminder_time"].help_text = _(
            "Once a day at this time, in your time zone, unless every dog already has a lean or a "
            "check-in that day. Leave it empty for none."
        )
        # A form posted without it (an older page, a script) keeps the owner's choice.
        self.fields["theme"].required = False
        # Each language by its own name, so that a person who cannot read the page still finds theirs.
        self.fields["language"].choices = [("", _("Follow this browser")), *settings.LANGUAGES]
        self.fields["language"].label = _("Language")
        self.fields["language"].help_text = _("Pages, mail, reminders and reports are written in it.")

    def clean_language(self) -> str:
        # Absent (an older page, a script) is not "follow the browser": the choice stays.
        if "language" not in self.data:
            return self.instance.language
        return self.cleaned_data["language"]

    def clean_theme(self) -> str:
        return self.cleaned_data["theme"] or self.instance.theme

    def clean_reminder_time(self) -> dt.time | None:
        value = self.cleaned_data["reminder_time"]
        if value and is_night(value):
            raise forms.ValidationError(
                _("Leanlog sends nothing at night: pick a time from %(start)s to %(end)s."),
                code="night",
                params={"start": NIGHT_ENDS.strftime("%H:%M"), "end": LAST_DAY_MINUTE.strftime("%H:%M")},
            )
        return value.replace(second=0, microsecond=0) if value else None

    def email_changed(self) -> bool:
        return "email" in self.changed_data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.email_changed():
            password = cleaned.get("current_password", "")
            if not password:
                self.add_error(
                    "current_password", _("Type your current password to change your email address.")
                )
            elif not self.instance.check_password(password):
                self.add_error("current_password", WRONG_CURRENT_PASSWORD)
        return cleaned

    def wrong_password(self) -> bool:
        """True when a password was typed and it was not the owner's: it counts as a failed sign-in."""
        return WRONG_CURRENT_PASSWORD in self.errors.get("current_password", [])


WRONG_CURRENT_PASSWORD = _("That is not your current password. Type it again.")


class SignInForm(AuthenticationForm):
    """A username longer than any account's is refused by its field, before anyone counts the attempt."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django sets max_length here but adds no validator for it, so a 100 kB name went on to
        # the lockout's record (a 255-character column) and PostgreSQL refused it with a 500.
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
        field.error_messages["max_length"] = _(
            "No username is that long: usernames have at most %(limit_value)d characters."
        )


class ConfirmedPasswordResetForm(PasswordResetForm):
    """Reset links go only to addresses their owners have confirmed."""

    def get_users(self, email: str) -> Iterator[Owner]:
        return (owner for owner in super().get_users(email) if owner.email_confirmed)


class DogForm(forms.ModelForm):
    """A dog's profile; the owner comes from the signed-in person, never from the form."""

    class Meta:
        model = Dog
        fields = ["name", "breed", "size", "birth_date", "sex", "weight_kg", "notes"]
        labels = {
            "name": _("Name"),
            "breed": _("Breed"),
            "size": _("Size class"),
            "birth_date": _("Birth date"),
            "sex": _("Sex (optional)"),
            "weight_kg": _("Weight in kg (optional)"),
            "notes": _("Notes (optional)"),
        }
        help_texts = {
            "breed": _("Mixed breeds are welcome: write what you know."),
            "size": _("By adult weight. It decides when your dog counts as a senior."),
            "birth_date": _("An estimate is fine for a rescue."),
            "notes": _("Health, history, anything a vet or trainer should know. Up to 2,000 characters."),
        }
        error_messages = {
            "name": {
                "required": _("Give your dog a name."),
                "max_length": _(
                    "Keep the name to %(limit_value)d characters or fewer (this one has %(show_value)d)."
                ),
            },
            "breed": {
                "max_length": _(
                    "Keep the breed to %(limit_value)d characters or fewer (this one has %(show_value)d)."
                ),
            },
            "notes": {
                "max_length": _(
                    "The notes can hold up to %(limit_value)d characters; "
                    "these have %(show_value)d. Please shorten them."
                ),
            },
            "size": {"invalid_choice": _("Choose one of the size classes in the list.")},
            "sex": {"invalid_choice": _("Choose female, male or leave it empty.")},
            "birth_date": {
                "required": _("Enter a birth date; a guess is fine."),
                "invalid": _("Enter the date as YYYY-MM-DD."),
            },
            "weight_kg": {
                "invalid": _("Enter the weight as a number of kilograms, such as 12.5."),
                "min_value": _("That is lighter than any dog: enter at least 0.5 kg."),
                "max_value": _("That is heavier than any dog: enter at most 150 kg."),
            },
        }
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "weight_kg": forms.NumberInput(attrs={"step": "0.1", "min": "0.5", "max": "150"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    clean_seen = refuse_overwrite

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", _("Not saying")), *self.fields["sex"].choices[1:]]
        # The browser's date picker stops at today, in the owner's zone; the server checks again.
        self.fields["birth_date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["birth_date"].widget.attrs["min"] = EARLIEST_DATE.isoformat()
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk is None:
            # A new dog is added once, however often its form is sent (config.saving.once).
            add_client_id(self)
        else:
            watch_for_changes(
                self,
                gettext(
                    "%(name)s’s details were changed elsewhere while you were editing them: by "
                    "another owner, or in another tab. What you typed is still below: save again to "
                    "put it in place of those changes, or cancel to keep them."
                )
                % {"name": self.instance.name},
            )
            self._offer_the_weight_now()

    def _offer_the_weight_now(self) -> None:
        """An existing dog's form names its latest weighing beside its own weight.

        Every page gives the latest weighing as the dog's weight; the form holds the one given on
        the form (the senior's age by weight reads it), which a weighing never overwrites. A
        weight changed here is noted as today's weighing too (the view), so the change shows on
        every page.
        """
        latest = (
            self.instance.weights.order_by("-measured_on", "-id")
            .values_list("measured_on", "weight_kg")
            .first()
        )
        if latest is None:
            self.fields["weight_kg"].help_text = gettext(
                "A different weight here is noted as today’s weighing."
            )
            return
        day, kg = latest
        self.fields["weight_kg"].help_text = gettext(
            # Translators: %(kg)s is a weight such as 31.5, %(day)s a date in words ("28 November 2026").
            "The latest weighing is %(kg)s kg, on %(day)s. "
            "A different weight here is noted as today’s weighing."
        ) % {"kg": kg_text(kg), "day": date_format(day, pgettext("date in a sentence", "j F Y"))}
