"""Leaning incidents: what came before, the lean, what followed."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, pgettext

from dogs.models import EARLIEST_DATE, Dog, validate_one_line, validate_plain_text
from journal.fields import CodeSetField
from journal.vocabulary import (
    GROUP_OF_SIGN,
    Duration,
    Intensity,
    Location,
    Outcome,
    OwnerActivity,
    OwnerResponse,
    Posture,
    Sign,
    Trigger,
)

FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# What a person records of a lean, in the order the form asks and the CSV writes it.
LEAN_FIELDS: tuple[str, ...] = (
    "occurred_at",
    "intensity",
    "duration",
    "posture",
    "location",
    "owner_activity",
    "triggers",
    "signs",
    "owner_response",
    "outcome",
    "notes",
)
NOTES_MAX_LENGTH = 2000


# Real zones run from UTC-12:00 to UTC+14:00; a larger offset is a typo (and PostgreSQL
# cannot even store one past ±15:59).
MAX_UTC_OFFSET = dt.timedelta(hours=14)
# What the database keeps (the constraint incident_time_in_range): the first moment of the
# journal's earliest date anywhere on Earth, and a last one far enough from year 9999 that no
# page's date arithmetic in any zone runs off the calendar.
EARLIEST_LEAN_MOMENT = dt.datetime.combine(EARLIEST_DATE, dt.time.min, tzinfo=dt.timezone(MAX_UTC_OFFSET))
LATEST_LEAN_MOMENT = dt.datetime(2100, 12, 31, 23, 59, tzinfo=dt.UTC)


def filled_lazy(message, values: dict) -> str:
    """`message` (a lazy translation) with `values` put in, translated when it is shown.

    For a message that Django fills in later with placeholders of its own (%(show_value)s):
    pass those as themselves, {"show_value": "%(show_value)s"}, and they stay for Django.
    """
    return lazy(lambda: message % values, str)()


LEAN_TIME_MESSAGES = {
    "naive": gettext_lazy("Give the time with its UTC offset, like 2026-03-01T08:15:00+01:00."),
    "offset": gettext_lazy(
        "The UTC offset %(offset)s is not one any place uses: offsets run from -14:00 to +14:00."
    ),
    # Translators: %(year)s is the first year a journal may reach back to (1990).
    "too_early": filled_lazy(
        gettext_lazy("That is before %(year)s; enter the date of the lean."), {"year": EARLIEST_DATE.year}
    ),
    "future": gettext_lazy("This time is in the future. Pick a time up to now."),
}


def validate_lean_time(value: dt.datetime, now: dt.datetime | None = None) -> None:
    """A lean's time: an offset within ±14:00, on or after EARLIEST_DATE, at most five minutes ahead."""
    # Every door calls this one rule: the lean form (so the API and the phone's outbox, which
    # post through it), the model's full_clean and the CSV import.
    offset = value.utcoffset()
    if offset is None:
        raise ValidationError(LEAN_TIME_MESSAGES["naive"], code="naive")
    if abs(offset) > MAX_UTC_OFFSET:
        sign = "-" if offset < dt.timedelta(0) else "+"
        hours, seconds = divmod(int(abs(offset).total_seconds()), 3600)
        raise ValidationError(
            LEAN_TIME_MESSAGES["offset"],
            code="offset",
            params={"offset": f"{sign}{hours:02d}:{seconds // 60:02d}"},
        )
    # The date as written, in its own offset, as the form reads a wall-clock time.
    if value.date() < EARLIEST_DATE:
        raise ValidationError(LEAN_TIME_MESSAGES["too_early"], code="too_early")
    if value > (now or timezone.now()) + FUTURE_TOLERANCE:
        raise ValidationError(LEAN_TIME_MESSAGES["future"], code="future")


def validate_not_in_future(value: dt.datetime) -> None:
    """An incident cannot be more than five minutes ahead of now (kept for migration 0001)."""
    if value > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError(LEAN_TIME_MESSAGES["future"])


class JournalStamp(models.Model):
    """A random number that changes with every write to a dog's journal: the report cache's key.

    Only the database writes these rows, through the triggers in journal/triggers.py, so no
    write path can forget to. Random rather than counted, so that a stamp never comes back
    after a rolled-back write. A dog whose journal was never written has no row: stamp 0.
    """

    # A plain column, not a foreign key: the triggers may stamp a dog that the same
    # transaction is deleting.
    dog_id = models.BigIntegerField(primary_key=True)
    stamp = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"dog {self.dog_id}: {self.stamp}"

    @classmethod
    def of(cls, dog_id: int) -> int:
        return cls.objects.filter(dog_id=dog_id).values_list("stamp", flat=True).first() or 0

    @classmethod
    def of_dogs(cls, dog_ids: list[int]) -> dict[int, int]:
        """Each dog's stamp, in one query; a dog without a row is missing (stamp 0)."""
        return dict(cls.objects.filter(dog_id__in=dog_ids).values_list("dog_id", "stamp"))


class Incident(models.Model):
    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(
        gettext_lazy("when"), default=timezone.now, validators=[validate_lean_time]
    )
    # Only the time is required: a choice left blank is "not noted" (NULL for the intensity),
    # never a guessed default that the report would count as seen.
    intensity = models.PositiveSmallIntegerField(
        choices=Intensity.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    duration = models.CharField(max_length=10, choices=Duration.choices, blank=True)
    posture = models.CharField(max_length=10, choices=Posture.choices, blank=True)
    location = models.CharField(max_length=20, choices=Location.choices, blank=True)
    owner_activity = models.CharField(
        gettext_lazy("what you were doing"), max_length=20, choices=OwnerActivity.choices, blank=True
    )
    triggers = CodeSetField(gettext_lazy("anything going on?"), codes=Trigger.values)
    signs = CodeSetField(gettext_lazy("how the dog looked"), codes=Sign.values)
    owner_response = models.CharField(
        gettext_lazy("how you answered"), max_length=20, choices=OwnerResponse.choices, blank=True
    )
    outcome = models.CharField(
        gettext_lazy("what happened next"), max_length=20, choices=Outcome.choices, blank=True
    )
    notes = models.TextField(blank=True, max_length=NOTES_MAX_LENGTH, validators=[validate_plain_text])
    # Who logged it, from the session, never from the form; blank for leans from before households.
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The id the lean form (or the phone's outbox) made for this lean: a double tap, a retry
    # or a replayed offline lean carries the same one, so it is stored once. Null for leans
    # logged before it existed, and for leans added without a form.
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The journal (newest first) and the report's period query, both per dog.
            models.Index(fields=["dog", "-occurred_at"], name="incident_dog_time"),
        ]
        constraints = [
            # One lean per client_id and dog; older leans without one are left out. Partial, so
            # SQLite adds it as an index instead of rebuilding the table (which would drop the
            # journal stamp's triggers, journal/triggers.py).
            models.UniqueConstraint(
                fields=["dog", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="incident_dog_client_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(intensity__gte=1, intensity__lte=5), name="incident_intensity_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(duration__in=[*Duration.values, ""]), name="incident_duration_known"
            ),
            models.CheckConstraint(
                condition=models.Q(posture__in=[*Posture.values, ""]), name="incident_posture_known"
            ),
            models.CheckConstraint(
                condition=models.Q(location__in=[*Location.values, ""]), name="incident_location_known"
            ),
            models.CheckConstraint(
                condition=models.Q(owner_activity__in=[*OwnerActivity.values, ""]),
                name="incident_activity_known",
            ),
            models.CheckConstraint(
                condition=models.Q(owner_response__in=[*OwnerResponse.values, ""]),
                name="incident_response_known",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=[*Outcome.values, ""]), name="incident_outcome_known"
            ),
            # Whatever writes a lean (a door, the admin, raw SQL), no page meets a time it cannot
            # show: year 1 in New York is before the calendar starts.
            models.CheckConstraint(
                condition=models.Q(
                    occurred_at__gte=EARLIEST_LEAN_MOMENT, occurred_at__lte=LATEST_LEAN_MOMENT
                ),
                name="incident_time_in_range",
                violation_error_message=filled_lazy(
                    gettext_lazy("A lean's time must fall between %(first)s and %(last)s."),
                    {"first": EARLIEST_DATE.year, "last": LATEST_LEAN_MOMENT.year},
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dog} leaned at {self.occurred_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("journal:incident-edit", args=[self.dog_id, self.pk])

    def sign_badges(self) -> list[tuple[str, str]]:
        """Each sign's label with its group, which colours its badge."""
        return [(Sign(code).label, GROUP_OF_SIGN[code]) for code in self.signs]

    @property
    def knocked_someone_over(self) -> bool:
        return self.outcome == Outcome.KNOCKED_OVER

    @property
    def usual_posture(self) -> bool:
        """The usual backside lean, or a posture nobody noted: neither needs a word in the list."""
        return self.posture in (Posture.BACKSIDE, "")

    @property
    def only_time_noted(self) -> bool:
        """A lean logged in two taps: nothing but its time, which the journal's row says as such."""
        return not any(
            (
                self.intensity,
                self.location,
                self.owner_activity,
                self.owner_response,
                self.outcome,
                self.triggers,
                self.signs,
                self.duration,
                self.posture,
                self.notes,
            )
        )

    def trigger_labels(self) -> list[str]:
        return [Trigger(code).label for code in self.triggers]

    @property
    def setting_names_place(self) -> bool:
        """Whether `setting` names the place: not home beside an activity, nor a place not noted."""
        return bool(self.location) and not (self.location == Location.HOME and self.owner_activity)

    @property
    def setting(self) -> list[str]:
        """Where and what you were doing, as the journal row says it: home goes without saying beside
        an activity, and nothing is said of a place nobody noted."""
        words = []
        if self.setting_names_place:
            words.append(self.get_location_display())
        if self.owner_activity:
            words.append(self.get_owner_activity_display())
        return words


ACK_NOTE_MAX_LENGTH = 300


class CheckIn(models.Model):
    """A day someone was with the dog: an observed day, even without a lean."""

    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            # One per dog and day: checking in twice is still one observed day.
            models.UniqueConstraint(fields=["dog", "date"], name="checkin_one_per_dog_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.dog} observed on {self.date:%Y-%m-%d}"


class FlagAcknowledgement(models.Model):
    """An owner marked a current flag as handled; only a newer lean behind it brings it back."""

    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="acknowledgements")
    code = models.CharField(max_length=30)
    note = models.CharField(blank=True, max_length=ACK_NOTE_MAX_LENGTH, validators=[validate_one_line])
    # The day in the owner's zone, as shown; created_at orders them and meets new leans.
    on = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The report's "latest acknowledgement of each flag" per dog.
            models.Index(fields=["dog", "-created_at"], name="ack_dog_time"),
        ]

    def __str__(self) -> str:
        return f"{self.dog}: {self.code} acknowledged on {self.on:%Y-%m-%d}"


class DayStamp(models.Model):
    """A random number that changes with every write to a dog's leans of one day (UTC).

    Kept by the database (journal/triggers.py), like JournalStamp but per day: a kept month of
    the report (ReportPart) stays good while the stamps of the days it covers hold. Days, not
    months: a month of a zone far from UTC spills into a day of the next UTC month, and a lean
    logged later in that month must not unsettle it.
    """

    # Plain columns, as in JournalStamp: the triggers may stamp a dog being deleted.
    dog_id = models.BigIntegerField()
    # "YYYY-MM-DD" of the leans' times in UTC.
    day = models.CharField(max_length=10)
    stamp = models.BigIntegerField(default=0)
    # How many of the dog's leans fall in the day, kept by the same triggers: a count of a long
    # stretch of journal adds up days instead of reading every lean.
    leans = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dog_id", "day"], name="daystamp_dog_day")]

    def __str__(self) -> str:
        return f"dog {self.dog_id}, {self.day}: {self.stamp}"

    @classmethod
    def leans_of(cls, dog_id: int) -> int:
        """How many leans the dog has in all, from its days' counts (one query, a row a day)."""
        return cls.objects.filter(dog_id=dog_id).aggregate(n=models.Sum("leans"))["n"] or 0


class ReportPart(models.Model):
    """One month of a dog's leans added up in one time zone (journal.report.tally.Tally), kept.

    Derived data, never edited: journal.report.kept_months writes it when a long report finds it
    missing or older than the month's stamps, and a report adds the kept months up instead of
    reading every lean again.
    """

    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="+")
    zone = models.CharField(max_length=64)
    # The month's first day, in that zone.
    month = models.DateField()
    # A digest of what it was counted under (journal.report.kept_months.basis_of), read before its leans.
    basis = models.CharField(max_length=100)
    # The leans' ids and moments (little-endian 64-bit integers) and their profiles' places
    # (32-bit), lean by lean; the rest as JSON text.
    ids = models.BinaryField()
    moments = models.BinaryField()
    profiles = models.BinaryField()
    counts = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dog", "zone", "month"], name="reportpart_dog_zone_month"),
        ]

    def __str__(self) -> str:
        return f"{self.dog_id}: {self.month:%Y-%m} in {self.zone}"


class PendingImport(models.Model):
    """An uploaded CSV between its preview and its confirm: in the database, so any app server confirms it.

    The confirm claims the row (journal/imports/views.py) in the transaction that adds the leans,
    so of two confirms at once only one adds them; the other finds `confirmed_at` set. Rows go
    an hour after their upload, confirmed or not.
    """

    # The confirm form names the upload by this, never by its id: nothing to count up to.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    # The file's bytes as uploaded (at most csv_import.MAX_BYTES), emptied once confirmed.
    content = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # How many leans the confirm added, so that a second confirm can say the same.
    added = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            # The sweep on each upload: DELETE ... WHERE created_at < an hour ago.
            models.Index(fields=["created_at"], name="pendingimport_created"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} for dog {self.dog_id}"


class EventKind(models.TextChoices):
    MEDICATION = "medication", gettext_lazy("Medication")
    SUPPLEMENT = "supplement", gettext_lazy("Supplement")
    DIET = "diet", gettext_lazy("Diet")
    TRAINING = "training", gettext_lazy("Training")
    VET_VISIT = "vet_visit", gettext_lazy("Vet visit")
    LIFE_CHANGE = "life_change", gettext_lazy("Life change (a move, a new baby, a loss)")
    OTHER = "other", gettext_lazy("Something else")


EVENT_TITLE_MAX_LENGTH = 80
EVENT_DAY_MESSAGES = {
    "future": gettext_lazy("That day hasn’t come yet. Pick today or an earlier day."),
    # Translators: %(name)s is the dog's name, %(born)s its birth date.
    "before_birth": gettext_lazy("%(name)s was born on %(born)s. Pick that day or a later one."),
    # Translators: %(start)s is the event's start date.
    "ended_before_start": gettext_lazy("The end cannot be before the start (%(start)s)."),
}


def validate_day_not_in_future(value: dt.date) -> None:
    """An event's start or a weighing is today or earlier, in the owner's zone."""
    if value > timezone.localdate():
        raise ValidationError(EVENT_DAY_MESSAGES["future"], code="future")


def validate_not_before_earliest(value: dt.date) -> None:
    """No journal reaches back before EARLIEST_DATE."""
    if value < EARLIEST_DATE:
        raise ValidationError(
            gettext("Pick a day in %(year)s or later."), code="too_early", params={"year": EARLIEST_DATE.year}
        )


class Event(models.Model):
    """Something done for the dog or that happened to it: the report compares before and after."""

    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=EVENT_TITLE_MAX_LENGTH, validators=[validate_one_line])
    started_on = models.DateField(
        gettext_lazy("started on"), validators=[validate_day_not_in_future, validate_not_before_earliest]
    )
    ended_on = models.DateField(
        gettext_lazy("ended on"),
        null=True,
        blank=True,
        help_text=gettext_lazy("Leave empty while it goes on."),
        validators=[validate_not_before_earliest],
    )
    # A TextField's max_length binds only its form field; the validator holds the admin and API to it.
    notes = models.TextField(
        blank=True,
        max_length=NOTES_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTES_MAX_LENGTH), validate_plain_text],
    )
    # Who added it, from the session: a carer changes only the events they added.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The id the form made for a new event: a double tap or a retry carries it again and adds
    # nothing (config.saving.once). Null for events added without a form.
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            # The events list and the report's events, per dog by start.
            models.Index(fields=["dog", "-started_on"], name="event_dog_start"),
        ]
        constraints = [
            # Partial, like the leans': SQLite adds an index and keeps the table and its triggers.
            models.UniqueConstraint(
                fields=["dog", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="event_dog_client_id_unique",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=EventKind.values), name="event_kind_known"),
            models.CheckConstraint(condition=~models.Q(title=""), name="event_title_not_empty"),
            models.CheckConstraint(
                condition=models.Q(started_on__gte=EARLIEST_DATE), name="event_started_on_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="event_ends_after_start",
                violation_error_message=gettext_lazy("The end cannot be before the start (its start)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dog}: {self.title} from {self.started_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("journal:event-edit", args=[self.dog_id, self.pk])

    def clean(self) -> None:
        """Not before the dog was born; the end, if any, not before the start."""
        errors: dict[str, ValidationError] = {}
        dog = getattr(self, "dog", None) if self.dog_id else None
        if dog is not None and self.started_on and self.started_on < dog.birth_date:
            errors["started_on"] = ValidationError(
                EVENT_DAY_MESSAGES["before_birth"],
                code="before_birth",
                params={
                    "name": dog.name,
                    "born": date_format(dog.birth_date, pgettext("date in a sentence", "j F Y")),
                },
            )
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = ValidationError(
                EVENT_DAY_MESSAGES["ended_before_start"],
                code="ended_before_start",
                params={"start": date_format(self.started_on, pgettext("date in a sentence", "j F Y"))},
            )
        if errors:
            raise ValidationError(errors)

    def is_ongoing(self, today: dt.date) -> bool:
        """Ongoing: no end yet, or an end today or later."""
        return self.started_on <= today and (self.ended_on is None or self.ended_on >= today)


WEIGHT_MIN_KG = Decimal("0.5")
# The same bounds as the weight on the dog's own form (dogs.forms.DogForm): the heaviest dogs
# on record come close to 150 kg.
WEIGHT_MAX_KG = Decimal("150")


class Weight(models.Model):
    """One weighing of the dog, in kilograms."""

    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="weights")
    measured_on = models.DateField(
        gettext_lazy("weighed on"), validators=[validate_day_not_in_future, validate_not_before_earliest]
    )
    weight_kg = models.DecimalField(
        gettext_lazy("weight (kg)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(WEIGHT_MIN_KG), MaxValueValidator(WEIGHT_MAX_KG)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # As an event's: a weighing posted twice is stored once.
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-measured_on", "-id"]
        indexes = [
            # The dog page's latest weight and the 90 days before it.
            models.Index(fields=["dog", "-measured_on"], name="weight_dog_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dog", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="weight_dog_client_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(weight_kg__gte=WEIGHT_MIN_KG, weight_kg__lte=WEIGHT_MAX_KG),
                name="weight_kg_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(measured_on__gte=EARLIEST_DATE), name="weight_measured_on_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dog}: {self.weight_kg} kg on {self.measured_on:%Y-%m-%d}"
