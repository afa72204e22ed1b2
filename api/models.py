"""Personal access tokens for the REST API: shown once, kept only as a hash."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from dogs.models import token_digest

# A prefix makes a leaked token easy to recognise (and to search for in logs or repositories).
TOKEN_PREFIX = "ll_"


class ApiTokenQuerySet(models.QuerySet):
    def for_owner(self, owner) -> ApiTokenQuerySet:
        return self.filter(owner=owner)


class ApiToken(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # Unique: a request finds its token by this hash alone.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.owner})"

    @classmethod
    def issue(cls, owner, name: str) -> tuple[ApiToken, str]:
        """A new token for owner; the plain token is returned once and never stored."""
        plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(owner=owner, name=name, token_hash=token_digest(plain)), plain
