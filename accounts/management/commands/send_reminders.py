"""`manage.py send_reminders`: send the daily reminders that are due; run it every few minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.reminders import send_due_reminders


def parse_now(value: str) -> dt.datetime:
    """An ISO 8601 moment; without an offset it is read as UTC."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now takes an ISO 8601 time like 2026-03-01T18:30+00:00, not {value!r}."
        ) from None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Send the daily reminders that are due now. Safe to run as often as you like."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="Pretend it is this moment (ISO 8601), for tests and trials.")

    def handle(self, *args: Any, now: str | None = None, **options: Any) -> None:
        moment = parse_now(now) if now else timezone.now()
        tally = send_due_reminders(moment)
        self.stdout.write(tally.summary())
