"""Owners and their dogs."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import unicodedata
import zoneinfo
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


@cache
def known_time_zones() -> frozenset[str]:
    """Every IANA name the machine knows (read from disk once: it changes with a deployment)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """Only IANA time zone names are accepted."""
    if value not in known_time_zones():
        raise ValidationError(gettext("Choose a time zone from the list, such as Europe/London."))


def validate_not_in_future(value: dt.date) -> None:
    """A birth date cannot be after today."""
    if value > timezone.localdate():
        raise ValidationError(gettext("The birth date cannot be in the future."))


# No dog alive was born before this day, so no journal reaches further back either.
EARLIEST_DATE = dt.date(1990, 1, 1)


def validate_not_before_1990(value: dt.date) -> None:
    """No dog alive was born before 1990."""
    if value < EARLIEST_DATE:
        raise ValidationError(gettext("Enter a birth date after 1990."))


# Characters a multi-line text may hold among Unicode's control characters (category Cc).
LINE_BREAKS_AND_TABS = frozenset("\n\r\t")


def _control_characters(value: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    # Cc: NUL and the other C0/C1 controls, line breaks among them; Cs: a lone surrogate,
    # which only JSON can carry and no database can store.
    return [c for c in value if unicodedata.category(c) in ("Cc", "Cs") and c not in allowed]


def validate_one_line(value: str) -> None:
    """Names, titles and authors are one line: no control character, not even a line break."""
    if _control_characters(value):
        raise ValidationError(
            gettext("Keep this to one line of plain text: no line breaks, tabs or other control characters."),
            code="control_character",
        )


def validate_plain_text(value: str) -> None:
    """Notes may hold line breaks and tabs, but no other control character (NUL among them)."""
    if _control_characters(value, LINE_BREAKS_AND_TABS):
        raise ValidationError(
            gettext("This text holds a control character (such as NUL) that is not plain text. Remove it."),
            code="control_character",
        )


class Theme(models.TextChoices):
    SYSTEM = "system", _("Follow this device")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class Owner(AbstractUser):
    """A person who keeps a journal; every time they see is in their time zone."""

    time_zone = models.CharField(
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_("Times are shown and entered in this time zone."),
    )
    # Mail (reminders, invitations) goes only to an address its owner has confirmed by a link.
    email_confirmed = models.BooleanField(default=False)
    # A daily nudge to log or check in, at this wall-clock time in the owner's zone; null for none.
    reminder_time = models.TimeField(null=True, blank=True)
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    # The language of every page, mail and reminder for this person; blank follows the browser.
    # db_default too: older code (a migration test's historical model, a server not yet updated)
    # inserts people without it.
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, default="", db_default=""
    )
    # The browser's language at the last sign-in: what mail and reminders, sent with no request
    # to ask, are written in while `language` is blank.
    browser_language = models.CharField(max_length=8, blank=True, default="", db_default="")

    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def mail_language(self) -> str:
        """The language of what Leanlog sends this person: their choice, else their browser's."""
        return self.language or self.browser_language or settings.LANGUAGE_CODE


class Size(models.TextChoices):
    # Translators: a dog's size class, by its adult weight.
    TOY = "toy", _("Toy (under 5 kg)")
    SMALL = "small", _("Small (5–10 kg)")
    MEDIUM = "medium", _("Medium (10–25 kg)")
    LARGE = "large", _("Large (25–45 kg)")
    GIANT = "giant", _("Giant (over 45 kg)")


class Sex(models.TextChoices):
    # Translators: a dog's sex (German: Hündin / Rüde).
    FEMALE = "female", _("Female")
    # Translators: a dog's sex (German: Hündin / Rüde).
    MALE = "male", _("Male")


class LifeStage(models.TextChoices):
    # Translators: a dog's life stage, shown as a badge by its name.
    PUPPY = "puppy", _("Puppy")
    # Translators: a dog's life stage, shown as a badge by its name.
    ADULT = "adult", _("Adult")
    # Translators: a dog's life stage, shown as a badge by its name.
    SENIOR = "senior", _("Senior")


# Life stages by size class: senior from the last quarter of the expected lifespan
# (AAHA), with Petplan's size bands. This table is the one place to change them.
SENIOR_FROM_YEARS: dict[str, int] = {
    Size.TOY: 10,
    Size.SMALL: 9,
    Size.MEDIUM: 8,
    Size.LARGE: 7,
    Size.GIANT: 6,
}
PUPPY_UNTIL_MONTHS: dict[str, int] = {
    Size.TOY: 12,
    Size.SMALL: 12,
    Size.MEDIUM: 12,
    Size.LARGE: 18,
    Size.GIANT: 18,
}


# The adult weights each size class takes in, as its label says; a bound belongs to both classes.
SIZE_KG: dict[str, tuple[Decimal, Decimal | None]] = {
    Size.TOY: (Decimal(0), Decimal(5)),
    Size.SMALL: (Decimal(5), Decimal(10)),
    Size.MEDIUM: (Decimal(10), Decimal(25)),
    Size.LARGE: (Decimal(25), Decimal(45)),
    Size.GIANT: (Decimal(45), None),
}


def size_of_weight(kg: Decimal) -> str:
    """The size class of an adult dog of this weight (on a bound, the smaller class)."""
    for size, (_low, high) in SIZE_KG.items():
        if high is None or kg <= high:
            return size
    return Size.GIANT


def age_in_months(birth_date: dt.date, today: dt.date) -> int:
    """Whole months lived, counting a month only once its day has come."""
    months = (today.year - birth_date.year) * 12 + today.month - birth_date.month
    if today.day < birth_date.day:
        months -= 1
    return max(months, 0)


def age_in_years(birth_date: dt.date, today: dt.date) -> float:
    """Age in years, to one decimal."""
    return round(age_in_months(birth_date, today) / 12, 1)


def senior_from_years(size: str, weight_kg: Decimal | None = None) -> int:
    """The age a grown dog counts as a senior from: its size class's, or sooner when its weight
    is a bigger class's (a 40 kg dog saved as medium ages as a large dog, from 7 rather than 8).

    A size class chosen too small would otherwise hold back the senior's sooner vet check; one
    chosen too big only brings it forward, so the weight never makes a dog a senior later.
    """
    years = SENIOR_FROM_YEARS[size]
    if weight_kg is not None:
        years = min(years, SENIOR_FROM_YEARS[size_of_weight(weight_kg)])
    return years


def heavier(*weights: Decimal | None) -> Decimal | None:
    """The heaviest of the weights known (the dog's form, its latest weighing), or None.

    A dog ages by the heavier: a weight of a bigger class only brings the senior's age forward,
    so the weight a dog was added with never hides what its weighings show, nor the reverse.
    """
    known = [weight for weight in weights if weight is not None]
    return max(known) if known else None


def life_stage(size: str, birth_date: dt.date, today: dt.date, weight_kg: Decimal | None = None) -> str:
    """Puppy by the size class's table; senior from senior_from_years (the weight may bring it forward)."""
    months = age_in_months(birth_date, today)
    if months < PUPPY_UNTIL_MONTHS[size]:
        return LifeStage.PUPPY
    if months >= senior_from_years(size, weight_kg) * 12:
        return LifeStage.SENIOR
    return LifeStage.ADULT


class DogQuerySet(models.QuerySet):
    def for_owner(self, person) -> DogQuerySet:
        """The dogs `person` is a member of, each with their `role`."""
        mine = Membership.objects.filter(dog=models.OuterRef("pk"), person=person)
        return self.filter(pk__in=mine.values("dog")).annotate(role=models.Subquery(mine.values("role")[:1]))


class Dog(models.Model):
    # Who added the dog. Access comes from Membership alone; this only remembers the creator,
    # so their account's deletion leaves it empty (dogs.households decides which dogs go).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="dogs"
    )
    name = models.CharField(max_length=60, validators=[validate_one_line])
    breed = models.CharField(max_length=80, blank=True, validators=[validate_one_line])
    size = models.CharField(max_length=10, choices=Size.choices, default=Size.MEDIUM)
    birth_date = models.DateField(
        help_text=_("An estimate is fine for a rescue."),
        validators=[validate_not_in_future, validate_not_before_1990],
    )
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(150)],
    )
    notes = models.TextField(blank=True, max_length=2000, validators=[validate_plain_text])
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The id the form made for a new dog: a double tap or a retry adds the dog once (config.saving.once).
    client_id = models.UUIDField(null=True, blank=True, editable=False)

    objects = DogQuerySet.as_manager()

    # The latest weighing's kilograms, when the page has read it (the report has, and the pages
    # built on it): not on the dog's row. The dog ages by the heavier of it and weight_kg.
    weighed_kg: Decimal | None = None

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="dog_owner_client_id_unique",
            ),
            models.CheckConstraint(condition=models.Q(size__in=Size.values), name="dog_size_known"),
            models.CheckConstraint(condition=models.Q(sex__in=[*Sex.values, ""]), name="dog_sex_known"),
        ]
        indexes = [
            # The home page: the owner's dogs by name.
            models.Index(fields=["owner", "name"], name="dog_owner_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dogs:dog-detail", args=[self.pk])

    def age_months(self, today: dt.date | None = None) -> int:
        return age_in_months(self.birth_date, today or timezone.localdate())

    def age_years(self, today: dt.date | None = None) -> float:
        return age_in_years(self.birth_date, today or timezone.localdate())

    def age_label(self, today: dt.date | None = None) -> str:
        months = self.age_months(today)
        years, rest = divmod(months, 12)
        if years == 0:
            # Translators: a dog's age; "old" follows on the dog's page ("%(count)s months old").
            return ngettext("%(count)s month", "%(count)s months", rest) % {"count": rest}
        if rest == 0:
            # Translators: a dog's age; "old" follows on the dog's page ("%(count)s years old").
            return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
        # Translators: a dog's age in short: 3 years and 4 months ("3 y 4 m").
        return gettext("%(years)s y %(months)s m") % {"years": years, "months": rest}

    def ageing_kg(self) -> Decimal | None:
        """The weight the dog ages by: the heavier of its form's and its latest weighing's."""
        return heavier(self.weight_kg, self.weighed_kg)

    def life_stage(self, today: dt.date | None = None) -> str:
        return life_stage(self.size, self.birth_date, today or timezone.localdate(), self.ageing_kg())

    def senior_from_years(self) -> int:
        return senior_from_years(self.size, self.ageing_kg())

    def senior_by_weight(self) -> bool:
        """Whether the weight, not the size class, sets when the dog counts as a senior."""
        return self.senior_from_years() < SENIOR_FROM_YEARS[self.size]

    def life_stage_label(self, today: dt.date | None = None) -> str:
        return LifeStage(self.life_stage(today)).label

    def size_by_weight(self, today: dt.date | None = None) -> str | None:
        """The size class the dog's weight points to, when it is outside the class chosen.

        None without a weight, for a puppy (still growing into its class) and for a weight
        inside the chosen class's range, bounds included. The class decides when the dog counts
        as a senior, and a senior's vet check comes after fewer leans with a physical sign.
        """
        if self.weight_kg is None or self.life_stage(today) == LifeStage.PUPPY:
            return None
        low, high = SIZE_KG[self.size]
        if low <= self.weight_kg and (high is None or self.weight_kg <= high):
            return None
        return size_of_weight(self.weight_kg)

    def is_senior(self, today: dt.date | None = None) -> bool:
        return self.life_stage(today) == LifeStage.SENIOR


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    CARER = "carer", _("Carer")
    VIEWER = "viewer", _("Viewer")


# A role inside sentences: "… invites you to Biscuit’s journal as an owner", "Sam is now an owner
# of Biscuit", "Welcome to Biscuit’s household, as an owner".
ROLE_WORDS: dict[str, str] = {
    # Translators: a role inside sentences ("… as an owner", "Sam is now an owner of Biscuit").
    Role.OWNER: _("an owner"),
    # Translators: a role inside sentences ("… as a carer", "Sam is now a carer of Biscuit").
    Role.CARER: _("a carer"),
    # Translators: a role inside sentences ("… as a viewer", "Sam is now a viewer of Biscuit").
    Role.VIEWER: _("a viewer"),
}


class Membership(models.Model):
    """A person's place in a dog's household; their role decides what they may do."""

    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created = models.DateTimeField(default=timezone.now, editable=False)
    # When this member last read the vet's notes: a newer note is news for them (per member, so
    # one person reading it does not hide it from the rest of the household).
    vet_notes_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dog", "person"], name="membership_once_per_dog"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.person} is {ROLE_WORDS[self.role]} of {self.dog}"

    def change_role(self, role: Role | str) -> bool:
        """A member's role changes, unless that leaves the dog without an owner (then False)."""
        with transaction.atomic():
            if self.role == Role.OWNER and role != Role.OWNER and self._last_owner():
                return False
            self.role = role
            self.save(update_fields=["role"])
        return True

    def remove(self) -> bool:
        """A member leaves or is removed, unless they are the dog's last owner (then False)."""
        with transaction.atomic():
            if self.role == Role.OWNER and self._last_owner():
                return False
            self.delete()
        return True

    def _last_owner(self) -> bool:
        # Locked so that two owners leaving at once cannot both pass the check.
        owners = Membership.objects.select_for_update().filter(dog_id=self.dog_id, role=Role.OWNER)
        return not any(owner.pk != self.pk for owner in owners)


# A token is shown once and then only its digest is kept: a leaked database opens nothing.
TOKEN_BYTES = 32
INVITATION_DAYS = 7


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token (43 characters) and the digest to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    """The sha256 of a token, the only form in which tokens are stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now: dt.datetime | None = None) -> InvitationQuerySet:
        """Not used yet and not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """A single-use link that makes whoever opens it a member of the dog with `role`."""

    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=10, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Who made the link; empty once their account is deleted, and the household keeps the row.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="invitation_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.dog}: {self.role} invitation"


class PushSubscription(models.Model):
    """One browser that agreed to receive the owner's reminders by web push."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # The push service's address for this browser: it names exactly one browser, so one owner.
    endpoint = models.URLField(max_length=2000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"{self.owner} on {self.endpoint[:40]}"

    def info(self) -> dict[str, object]:
        """The subscription as the browser handed it over, for pywebpush."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class ReminderChannel(models.TextChoices):
    EMAIL = "email", "Email"
    PUSH = "push", "Web push"


class ReminderSent(models.Model):
    """A reminder that went out: at most one per owner, local day and channel."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    day = models.DateField(help_text="The day in the owner's time zone.")
    channel = models.CharField(max_length=10, choices=ReminderChannel.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Never two a day: the row is claimed before sending, so a second run finds it taken.
            models.UniqueConstraint(fields=["owner", "day", "channel"], name="reminder_once_a_day"),
            models.CheckConstraint(
                condition=models.Q(channel__in=ReminderChannel.values), name="reminder_channel_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} reminder to {self.owner} on {self.day}"
