"""The vet's link: a read-only report of one fixed period, and the notes the vet leaves on it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from dogs.models import Dog, validate_one_line, validate_plain_text

NOTE_AUTHOR_MAX = 80
NOTE_TEXT_MAX = 2000
NOTES_PER_LINK_PER_DAY = 10
SHARE_DAYS_CHOICES = (7, 30, 90, 365)
DEFAULT_SHARE_DAYS = 90
DEFAULT_EXPIRES_IN_DAYS = 14
MAX_EXPIRES_IN_DAYS = 90


class ShareLinkQuerySet(models.QuerySet):
    def live(self, now: dt.datetime | None = None) -> ShareLinkQuerySet:
        """Not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A link to the report of a fixed period; only the digest of its token is stored."""

    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Who made the link; empty once their account is deleted: the link and the vet's notes stay.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    start = models.DateField()
    end = models.DateField()
    # The zone the report's days and times are read in: the maker's, when it was made.
    time_zone = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.dog}: {self.start} to {self.end}"

    def is_live(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class VetNote(models.Model):
    """A note left on a vet link; members read it on the dog's page."""

    share = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="notes")
    dog = models.ForeignKey(Dog, on_delete=models.CASCADE, related_name="vet_notes")
    author = models.CharField(max_length=NOTE_AUTHOR_MAX, validators=[validate_one_line])
    text = models.TextField(max_length=NOTE_TEXT_MAX, validators=[validate_plain_text])
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["dog", "-created"], name="vetnote_dog_created")]

    def __str__(self) -> str:
        return f"{self.author} on {self.dog}"
