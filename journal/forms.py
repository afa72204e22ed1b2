"""The lean form, the journal's filters and the report's period."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.boundfield import BoundField
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy, pgettext

from config.saving.edits import refuse_overwrite, watch_for_changes
from config.saving.once import add_client_id
from dogs.models import EARLIEST_DATE, validate_one_line
from journal.models import (
    ACK_NOTE_MAX_LENGTH,
    EVENT_TITLE_MAX_LENGTH,
    LEAN_FIELDS,
    LEAN_TIME_MESSAGES,
    NOTES_MAX_LENGTH,
    WEIGHT_MAX_KG,
    WEIGHT_MIN_KG,
    Event,
    Incident,
    Weight,
    filled_lazy,
    validate_lean_time,
)
from journal.report.numbers import DEFAULT_DAYS, PRESET_DAYS, Period
from journal.report.period import period_name
from journal.vocabulary import (
    INTENSITY_WORDS,
    SIGN_GROUPS,
    Intensity,
    Location,
    OwnerActivity,
    Sign,
    SignGroup,
    Trigger,
)

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
# Radios drawn as big tappable buttons (Bootstrap's .btn-check); autocomplete off stops
# Firefox from restoring a stale choice after a reload.
BUTTON_RADIO = {"class": "btn-check", "autocomplete": "off"}
MAX_IDS_IN_FILTER = 1000
# No lean is older than the earliest birth date a dog may have (EARLIEST_DATE); the bounds
# also keep date arithmetic clear of Python's year 1 and year 9999 limits.
LATEST_FILTER_DAY = dt.date(2100, 12, 31)
# About five years: "the same day five years ago" to today always fits, whatever the leap days.
MAX_PERIOD_DAYS = 5 * 366
ISO_DATE = "%Y-%m-%d"
DATE_HINT = gettext_lazy("Enter a real date as YYYY-MM-DD.")


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time typed in the owner's zone; a time the clocks skipped is refused.

    Django's own field refuses both skipped and repeated times. A lean at 01:30 on the
    night the clocks go back did happen, so a repeated time means its first pass (fold 0);
    only a time that never existed gets an error.
    """

    widget = forms.DateTimeInput(format=DATETIME_LOCAL_FORMAT, attrs={"type": "datetime-local"})
    # The one rule for a lean's time, also for an aware time the API hands over.
    default_validators = [validate_lean_time]
    input_formats = [DATETIME_LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
    default_error_messages = {
        "invalid": gettext_lazy("Enter a date and time like 2026-03-01T08:15."),
        "too_early": LEAN_TIME_MESSAGES["too_early"],
        "future": LEAN_TIME_MESSAGES["future"],
        # Translators: %(time)s is a date and time, %(zone)s a time zone's name such as Europe/Berlin.
        "nonexistent": gettext_lazy(
            "%(time)s did not happen in %(zone)s: the clocks jumped forward that night. "
            "Pick a time just before or after the jump."
        ),
    }

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            naive = value
        else:
            # BaseTemporalField tries each input format; DateTimeField.to_python would
            # also apply Django's stricter time zone handling, which is skipped on purpose.
            naive = forms.fields.BaseTemporalField.to_python(self, str(value).strip())
        if timezone.is_aware(naive):
            return naive
        # Checked before the zone is applied: year 1 east of UTC runs off the calendar.
        if naive.date() < EARLIEST_DATE:
            raise ValidationError(self.error_messages["too_early"], code="too_early")
        zone = timezone.get_current_timezone()
        aware = naive.replace(tzinfo=zone)
        try:
            round_trip = aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
        except OverflowError:
            # Only the last hours of year 9999 overflow: far in the future anyway.
            raise ValidationError(self.error_messages["future"], code="future") from None
        # A wall-clock time inside a skipped hour does not survive a trip through UTC.
        if round_trip != naive:
            raise ValidationError(
                self.error_messages["nonexistent"],
                code="nonexistent",
                params={
                    "time": date_format(naive, pgettext("date and time in a sentence", "d F Y, H:i")),
                    "zone": str(zone),
                },
            )
        return aware


# The lean form names what to save again; the other "add" forms use config.saving.once's words.
CLIENT_ID_INVALID = gettext_lazy(
    "This form lost its label on the way. Reload the page and save the lean again."
)


# Translators: %(value)s is the code that was sent, in each of these "is not ... Leanlog knows" messages.
UNKNOWN_TRIGGER = gettext_lazy("“%(value)s” is not a trigger Leanlog knows. Pick one from the list.")
UNKNOWN_SIGN = gettext_lazy("“%(value)s” is not a sign Leanlog knows. Pick one from the list.")
UNKNOWN_PLACE = gettext_lazy("“%(value)s” is not a place Leanlog knows. Pick one from the list.")
UNKNOWN_ACTIVITY = gettext_lazy("“%(value)s” is not an activity Leanlog knows. Pick one from the list.")


class IncidentForm(forms.ModelForm):
    """One lean: only the time is needed; every choice left alone is stored as not noted."""

    occurred_at = LocalDateTimeField(
        label=gettext_lazy("When"),
        error_messages={"required": gettext_lazy("Enter when the dog leaned on you.")},
    )
    triggers = forms.MultipleChoiceField(
        label=gettext_lazy("Anything going on?"),
        choices=Trigger.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check", "autocomplete": "off"}),
        error_messages={"invalid_choice": UNKNOWN_TRIGGER},
    )
    signs = forms.MultipleChoiceField(
        label=gettext_lazy("How did the dog look?"),
        choices=Sign.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": UNKNOWN_SIGN},
    )

    # The choices that may stay "not noted" (blank), each with a "Not noted" button.
    OPTIONAL_CHOICES = (
        "intensity",
        "duration",
        "posture",
        "location",
        "owner_activity",
        "owner_response",
        "outcome",
    )
    # What "Same as last time" copies from the previous lean: its context (where, what its person
    # was doing, what was going on), which a habit repeats. Never what was seen of this lean (its
    # strength, length, posture, signs) nor how it went (the answer, what happened next), nor its
    # time or notes: a copy saved unchanged would claim them as seen, and the rules count them.
    SAME_AS_LAST_TIME = ("location", "owner_activity", "triggers")
    # The rarely used fields, folded into "More details".
    DETAIL_FIELDS = ("posture", "owner_response", "outcome", "notes")

    class Meta:
        model = Incident
        fields = list(LEAN_FIELDS)
        labels = {
            "intensity": gettext_lazy("Intensity: how strong?"),
            "duration": gettext_lazy("How long?"),
            "posture": gettext_lazy("Which part of the dog leaned?"),
            "location": gettext_lazy("Where?"),
            "owner_activity": gettext_lazy("What were you doing just before?"),
            "owner_response": gettext_lazy("How did you respond?"),
            "outcome": gettext_lazy("What happened next?"),
            "notes": gettext_lazy("Notes"),
        }
        widgets = {
            "intensity": forms.RadioSelect(attrs=BUTTON_RADIO),
            "duration": forms.RadioSelect(attrs=BUTTON_RADIO),
            "posture": forms.RadioSelect(attrs=BUTTON_RADIO),
            "location": forms.RadioSelect(attrs=BUTTON_RADIO),
            "owner_activity": forms.RadioSelect(attrs=BUTTON_RADIO),
            "owner_response": forms.RadioSelect(attrs=BUTTON_RADIO),
            "outcome": forms.RadioSelect(attrs=BUTTON_RADIO),
            "notes": forms.Textarea(
                attrs={"rows": 4, "placeholder": gettext_lazy("Anything else worth remembering (optional)")}
            ),
        }
        error_messages = {
            "intensity": {
                "invalid_choice": gettext_lazy(
                    "“%(value)s” is not on the scale. Choose an intensity from 1 to 5."
                )
            },
            "duration": {
                "invalid_choice": gettext_lazy(
                    "“%(value)s” is not a duration Leanlog knows. Pick one from the list."
                )
            },
            "posture": {
                "invalid_choice": gettext_lazy(
                    "“%(value)s” is not a posture Leanlog knows. Pick one from the list."
                )
            },
            "location": {"invalid_choice": UNKNOWN_PLACE},
            "owner_activity": {"invalid_choice": UNKNOWN_ACTIVITY},
            "owner_response": {
                "invalid_choice": gettext_lazy(
                    "“%(value)s” is not a response Leanlog knows. Pick one from the list."
                )
            },
            "outcome": {
                "invalid_choice": gettext_lazy(
                    "“%(value)s” is not an outcome Leanlog knows. Pick one from the list."
                )
            },
        }

    clean_seen = refuse_overwrite

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # Not a model field of the form: log_lean stores it (journal/leans.py). offline.js
            # also gives a fresh form the time now when the page came from the cache.
            add_client_id(self, CLIENT_ID_INVALID)
        else:
            watch_for_changes(
                self,
                gettext(
                    "This lean was changed elsewhere while you were editing it: by someone else in "
                    "the household, or in another tab. What you typed is still below: save again to "
                    "put it in place of that change, or cancel to keep the lean as it is now."
                ),
            )
        zone = timezone.get_current_timezone()
        # Translators: %(zone)s is a time zone's name such as Europe/Berlin.
        self.fields["occurred_at"].help_text = gettext("Your time zone: %(zone)s.") % {"zone": zone}
        if self.instance.pk is None and "occurred_at" not in self.initial:
            # A new lean happened just now; seconds would only clutter the picker.
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)
        for name in self.OPTIONAL_CHOICES:
            self.fields[name].required = False
            self.fields[name].choices = [("", gettext("Not noted")), *self.fields[name].choices[1:]]
        # Short words on the intensity buttons; the number sits beside them.
        self.fields["intensity"].choices = [
            ("", gettext("Not noted")),
            *((value, INTENSITY_WORDS[value]) for value in Intensity.values),
        ]
        notes = self.fields["notes"]
        # Translators: %(max)s is the most characters a note holds (2,000), %(show_value)s how many it has.
        notes.error_messages["max_length"] = ngettext(
            "Notes can hold up to %(max)s character; these have %(show_value)s. Please shorten them.",
            "Notes can hold up to %(max)s characters; these have %(show_value)s. Please shorten them.",
            NOTES_MAX_LENGTH,
        ) % {"max": number_format(NOTES_MAX_LENGTH, force_grouping=True), "show_value": "%(show_value)s"}

    def clean_occurred_at(self) -> dt.datetime:
        value = self.cleaned_data["occurred_at"]
        stored = self.instance.occurred_at if self.instance.pk else None
        # The picker shows local wall-clock minutes only: an edit that leaves the time as shown
        # keeps the stored moment, its seconds, and which side of a clock change it was on.
        if stored and self._wall_clock(stored) == self._wall_clock(value):
            return stored
        return value

    @staticmethod
    def _wall_clock(moment: dt.datetime) -> dt.datetime:
        return timezone.localtime(moment).replace(tzinfo=None, second=0, microsecond=0)

    # Template helpers ------------------------------------------------------------------

    @classmethod
    def same_as(cls, previous: Incident | None) -> dict[str, Any]:
        """The initial values that repeat the previous lean's context (not its time or notes)."""
        if previous is None:
            return {}
        return {name: getattr(previous, name) for name in cls.SAME_AS_LAST_TIME}

    def sign_groups(self) -> list[tuple[str, str, list[Any]]]:
        """The sign checkboxes by group: (group code, group label, checkboxes)."""
        by_code = {widget.data["value"]: widget for widget in self["signs"]}
        return [
            (group, SignGroup(group).label, [by_code[code] for code in codes])
            for group, codes in SIGN_GROUPS.items()
        ]

    def more_details_open(self) -> bool:
        """Open "More details" when one of its fields has an error or holds something."""
        if any(name in self.errors for name in self.DETAIL_FIELDS):
            return True
        bound: dict[str, BoundField] = {name: self[name] for name in self.DETAIL_FIELDS}
        return bool(
            bound["notes"].value()
            or bound["owner_response"].value()
            or bound["outcome"].value()
            or bound["posture"].value()
        )


def _parse_ids(value: str) -> list[int]:
    ids = [part.strip() for part in value.split(",") if part.strip()]
    if not ids or not all(re.fullmatch(r"[0-9]{1,18}", part) for part in ids):
        raise ValidationError(
            gettext("List lean numbers separated by commas, such as 12,15,40."), code="invalid"
        )
    if len(ids) > MAX_IDS_IN_FILTER:
        raise ValidationError(
            ngettext(
                "That is too many leans to show at once (at most %(max)s).",
                "That is too many leans to show at once (at most %(max)s).",
                MAX_IDS_IN_FILTER,
            ),
            code="too_many",
            params={"max": MAX_IDS_IN_FILTER},
        )
    return sorted({int(part) for part in ids})


class JournalFilterForm(forms.Form):
    """The journal's GET filters; an invalid one is reported beside it and left out."""

    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date like 2026-03-01.")},
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter a date like 2026-03-31.")},
    )
    sign = forms.ChoiceField(
        label=gettext_lazy("Sign"),
        required=False,
        choices=[
            ("", gettext_lazy("Any sign")),
            *[
                (SignGroup(group).label, [(code, Sign(code).label) for code in codes])
                for group, codes in SIGN_GROUPS.items()
            ],
        ],
        error_messages={"invalid_choice": UNKNOWN_SIGN},
    )
    group = forms.ChoiceField(
        label=gettext_lazy("Kind of sign"),
        required=False,
        choices=[("", gettext_lazy("Any kind")), *SignGroup.choices],
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a kind of sign Leanlog knows. Pick one from the list."
            )
        },
    )
    location = forms.ChoiceField(
        label=gettext_lazy("Where"),
        required=False,
        choices=[("", gettext_lazy("Anywhere")), *Location.choices],
        error_messages={"invalid_choice": UNKNOWN_PLACE},
    )
    activity = forms.ChoiceField(
        label=gettext_lazy("What you were doing"),
        required=False,
        choices=[("", gettext_lazy("Anything")), *OwnerActivity.choices],
        error_messages={"invalid_choice": UNKNOWN_ACTIVITY},
    )
    trigger = forms.ChoiceField(
        label=gettext_lazy("Trigger"),
        required=False,
        choices=[("", gettext_lazy("Any or none")), *Trigger.choices],
        error_messages={"invalid_choice": UNKNOWN_TRIGGER},
    )
    ids = forms.CharField(required=False, widget=forms.HiddenInput)

    FIELDS = ("start", "end", "sign", "group", "location", "activity", "trigger", "ids")

    def _clean_day(self, name: str) -> dt.date | None:
        day = self.cleaned_data[name]
        if day and not EARLIEST_DATE <= day <= LATEST_FILTER_DAY:
            raise ValidationError(
                gettext("Pick a date between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": EARLIEST_DATE.year, "last": LATEST_FILTER_DAY.year},
            )
        return day

    def clean_start(self) -> dt.date | None:
        return self._clean_day("start")

    def clean_end(self) -> dt.date | None:
        return self._clean_day("end")

    def clean_ids(self) -> list[int]:
        value = self.cleaned_data["ids"]
        return _parse_ids(value) if value else []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", gettext("The end date is before the start date."))
        return cleaned

    def active(self) -> dict[str, Any]:
        """The filters that are set and valid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", [])}

    def is_filtering(self) -> bool:
        """Whether the owner asked for any filter at all, valid or not."""
        return any(self.data.get(name) for name in self.FIELDS)

    def querystring(self) -> str:
        """The valid filters as a query string, for the export link."""
        query = QueryDict(mutable=True)
        for name, value in self.active().items():
            if name == "ids":
                query[name] = ",".join(str(pk) for pk in value)
            elif isinstance(value, dt.date):
                query[name] = value.isoformat()
            else:
                query[name] = value
        return query.urlencode()

    def label_of(self, name: str) -> str:
        """The label of a filter's chosen value, for the summary line."""
        value = self.active().get(name)
        for key, label in self.fields[name].choices:
            if isinstance(label, list | tuple):
                for sub_key, sub_label in label:
                    if sub_key == value:
                        return sub_label
            elif key == value:
                return label
        return str(value)

    def filter(self, incidents: QuerySet[Incident]) -> QuerySet[Incident]:
        """Apply the valid filters; dates are whole days in the owner's zone, both included."""
        active = self.active()
        zone = timezone.get_current_timezone()
        if "start" in active:
            incidents = incidents.filter(occurred_at__gte=_start_of_day(active["start"], zone))
        if "end" in active:
            incidents = incidents.filter(
                occurred_at__lt=_start_of_day(active["end"] + dt.timedelta(days=1), zone)
            )
        if "sign" in active:
            incidents = incidents.filter(signs__has=active["sign"])
        if "group" in active:
            any_sign = Q()
            for code in SIGN_GROUPS[active["group"]]:
                any_sign |= Q(signs__has=code)
            incidents = incidents.filter(any_sign)
        if "location" in active:
            incidents = incidents.filter(location=active["location"])
        if "activity" in active:
            incidents = incidents.filter(owner_activity=active["activity"])
        if "trigger" in active:
            incidents = incidents.filter(triggers__has=active["trigger"])
        if "ids" in active:
            incidents = incidents.filter(pk__in=active["ids"])
        return incidents


def _start_of_day(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


class PeriodForm(forms.Form):
    """?days=7|30|90|365 or ?start=YYYY-MM-DD&end=YYYY-MM-DD; the dates win when both come."""

    days = forms.TypedChoiceField(
        # Named when shown, in the reader's language (the form class is made once, at import).
        choices=[(days, lazy(period_name, str)(days)) for days in PRESET_DAYS],
        coerce=int,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose 7, 30, 90 or 365 days.")},
    )
    start = forms.DateField(required=False, input_formats=[ISO_DATE], error_messages={"invalid": DATE_HINT})
    end = forms.DateField(required=False, input_formats=[ISO_DATE], error_messages={"invalid": DATE_HINT})

    def __init__(self, data, today: dt.date) -> None:
        super().__init__(data)
        self.today = today

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors:
            return data
        if start and not end:
            self.add_error("end", gettext("Pick an end date too."))
        elif end and not start:
            self.add_error("start", gettext("Pick a start date too."))
        elif start and end:
            if start > end:
                self.add_error("start", gettext("The start date is after the end date."))
            elif start < EARLIEST_DATE:
                self.add_error("start", gettext("Pick a start date in 1990 or later."))
            elif end > self.today:
                self.add_error("end", gettext("The end date is in the future. Pick today or earlier."))
            elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error("start", gettext("Pick a period of at most five years."))
        return data

    @property
    def is_custom(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data.get("start"))

    def period(self) -> Period:
        """The period asked for, or the default one when the request was not valid."""
        if not self.is_valid():
            return Period.last(DEFAULT_DAYS, self.today)
        if self.cleaned_data.get("start"):
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return Period.last(self.cleaned_data.get("days") or DEFAULT_DAYS, self.today)


class CheckInForm(forms.Form):
    """A day someone was with the dog: today by default, never in the future or before the journal."""

    date = forms.DateField(
        label=gettext_lazy("Day"),
        required=False,
        input_formats=[ISO_DATE],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": DATE_HINT},
    )

    def __init__(self, data=None, *, dog, today: dt.date, journal_start: dt.date | None = None) -> None:
        super().__init__(data)
        self.today = today
        self.journal_start = journal_start
        self.dog_name = dog.name
        # The picker offers exactly the days the server accepts.
        self.fields["date"].widget.attrs["max"] = today.isoformat()
        if journal_start:
            self.fields["date"].widget.attrs["min"] = journal_start.isoformat()

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"] or self.today
        if day > self.today:
            raise ValidationError(
                gettext("That day hasn’t come yet. Pick today or an earlier day."), code="future"
            )
        if self.journal_start and day < self.journal_start:
            raise ValidationError(
                # Translators: %(name)s is the dog's name, %(start)s the date of its first lean.
                gettext("%(name)s’s journal starts on %(start)s. Pick that day or a later one."),
                code="before_journal",
                params={
                    "name": self.dog_name,
                    "start": date_format(self.journal_start, pgettext("date in a sentence", "j F Y")),
                },
            )
        return day


class AcknowledgeForm(forms.Form):
    """The optional note with which an owner marks a flag as handled."""

    note = forms.CharField(
        label=gettext_lazy("What was done (optional)"),
        required=False,
        max_length=ACK_NOTE_MAX_LENGTH,
        validators=[validate_one_line],
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. the vet saw us on 3 March")}),
        error_messages={
            # Translators: %(max)s is the most characters the note holds, %(show_value)s how many it has.
            "max_length": filled_lazy(
                ngettext_lazy(
                    "Keep the note to %(max)s character or fewer (this one has %(show_value)s).",
                    "Keep the note to %(max)s characters or fewer (this one has %(show_value)s).",
                    ACK_NOTE_MAX_LENGTH,
                ),
                {"max": ACK_NOTE_MAX_LENGTH, "show_value": "%(show_value)s"},
            )
        },
    )


def _date_input(today: dt.date) -> forms.DateInput:
    """A phone's date picker that offers no day after today."""
    return forms.DateInput(attrs={"type": "date", "max": today.isoformat()}, format=ISO_DATE)


class EventForm(forms.ModelForm):
    """Something started or happened: the dog comes from the URL and the adder from the session."""

    class Meta:
        model = Event
        fields = ["kind", "title", "started_on", "ended_on", "notes"]
        labels = {
            "kind": gettext_lazy("What kind of thing"),
            "title": gettext_lazy("What it is"),
            "notes": gettext_lazy("Notes (optional)"),
            "ended_on": gettext_lazy("Ended on (optional)"),
        }
        help_texts = {"title": gettext_lazy("One line, e.g. “Carprofen 50 mg twice a day”.")}
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {
                "required": gettext_lazy("Give it a short name, e.g. “Carprofen 50 mg”."),
                # Translators: %(max)s is the most characters the name holds, %(show_value)s how many it has.
                "max_length": filled_lazy(
                    ngettext_lazy(
                        "Keep the name to %(max)s character or fewer (this one has %(show_value)s).",
                        "Keep the name to %(max)s characters or fewer (this one has %(show_value)s).",
                        EVENT_TITLE_MAX_LENGTH,
                    ),
                    {"max": EVENT_TITLE_MAX_LENGTH, "show_value": "%(show_value)s"},
                ),
            },
            "started_on": {"required": gettext_lazy("Say on which day it started."), "invalid": DATE_HINT},
            "ended_on": {"invalid": DATE_HINT},
            "kind": {"required": gettext_lazy("Pick what kind of thing it is.")},
            "notes": {
                # Translators: %(max)s is the most the notes hold, %(show_value)s how many they have.
                "max_length": filled_lazy(
                    ngettext_lazy(
                        "Keep the notes to %(max)s character or fewer (these have %(show_value)s).",
                        "Keep the notes to %(max)s characters or fewer (these have %(show_value)s).",
                        NOTES_MAX_LENGTH,
                    ),
                    {"max": NOTES_MAX_LENGTH, "show_value": "%(show_value)s"},
                )
            },
        }

    clean_seen = refuse_overwrite

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("started_on", "ended_on"):
            self.fields[name].widget = _date_input(today)
            self.fields[name].input_formats = [ISO_DATE]
        self.fields["ended_on"].widget.attrs.pop("max")
        self.fields["kind"].choices = [("", gettext("Choose one")), *self.fields["kind"].choices[1:]]
        if self.instance.pk is not None:
            watch_for_changes(
                self,
                gettext(
                    "This was changed elsewhere while you were editing it: by someone else in the "
                    "household, or in another tab. What you typed is still below: save again to put "
                    "it in place of that change, or cancel to keep it as it is now."
                ),
            )
        if not self.instance.pk and self.initial.get("started_on") is None:
            # The new event's own blank start is in self.initial, which wins over a field's initial.
            self.initial["started_on"] = today
        if not self.instance.pk:
            # A new event is added once, however often its form is sent (config.saving.once).
            add_client_id(self)


# A number as the reader's language writes it ("0.5", "0,5"), worked out when it is shown.
lazy_number = lazy(number_format, str)
# Translators: %(min)s and %(max)s are weights in kilograms (0.5 and 150).
WEIGHT_AT_LEAST = filled_lazy(
    gettext_lazy("A weight is at least %(min)s kg."), {"min": lazy_number(WEIGHT_MIN_KG)}
)
WEIGHT_AT_MOST = filled_lazy(
    gettext_lazy("A weight is at most %(max)s kg."), {"max": lazy_number(WEIGHT_MAX_KG)}
)


class WeightForm(forms.ModelForm):
    """A weighing: today unless another day is given."""

    # The quick entry's bounds (journal/_weight_quick_form.html), as the browser checks them first.
    min_kg = f"{WEIGHT_MIN_KG:f}"
    max_kg = f"{WEIGHT_MAX_KG:f}"

    class Meta:
        model = Weight
        # In the dog page's order: the weight, then the day.
        fields = ["weight_kg", "measured_on"]
        error_messages = {
            "weight_kg": {
                "required": gettext_lazy("Enter the weight in kilograms, e.g. 31.5."),
                "invalid": gettext_lazy("Enter the weight in kilograms as a number, e.g. 31.5."),
                "min_value": WEIGHT_AT_LEAST,
                "max_value": WEIGHT_AT_MOST,
                "max_decimal_places": gettext_lazy("Give at most two decimals, e.g. 31.25."),
                "max_digits": WEIGHT_AT_MOST,
                "max_whole_digits": WEIGHT_AT_MOST,
            },
            "measured_on": {"invalid": DATE_HINT},
        }

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["measured_on"].widget = _date_input(today)
        self.fields["measured_on"].input_formats = [ISO_DATE]
        self.fields["measured_on"].required = False
        self.fields["measured_on"].initial = today
        self.fields["weight_kg"].widget.attrs.update({"inputmode": "decimal", "step": "0.1"})
        # A weighing is added once, however often its form is sent (config.saving.once).
        add_client_id(self)

    def clean_measured_on(self) -> dt.date:
        return self.cleaned_data["measured_on"] or self.today
