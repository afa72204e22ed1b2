"""A report's period: whole calendar days in the owner's time zone, and the leans in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

# The longest preset period: every page and sentence calls it "year", never "365 days".
YEAR_DAYS = 365


def period_name(days: int) -> str:
    """A period of 365 days is a "year"; any other is named by its count of days."""
    if days == YEAR_DAYS:
        return "year"
    return "1 day" if days == 1 else f"{days} days"


def period_length(days: int) -> str:
    """How long a period is: "a year", or "30 days"."""
    return "a year" if days == YEAR_DAYS else period_name(days)


def these_days(days: int) -> str:
    """The period a sentence is about: "these 30 days", or "the past year"."""
    return "the past year" if days == YEAR_DAYS else f"these {period_name(days)}"


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

    @property
    def name(self) -> str:
        return period_name(self.days)

    @property
    def length(self) -> str:
        return period_length(self.days)

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
