"""A report's period: whole calendar days in the owner's time zone, and the leans in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Period:
    """Whole calendar days in the owner's time zone, both ends included."""

    start: dt.date
    end: dt.date

    @classmethod
    def last(cls, days: int, today: dt.date) -> Period:
        return cls(today - dt.timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def bounds(self, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
        """Its first instant and the first instant after it, as aware datetimes."""
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )


def period_filter(period: Period, tz: dt.tzinfo, prefix: str = "") -> Q:
    """The leans of a period: every count of "leans in these days" goes through here."""
    since, until = period.bounds(tz)
    return Q(**{f"{prefix}occurred_at__gte": since, f"{prefix}occurred_at__lt": until})
