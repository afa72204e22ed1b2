"""A report's period: whole calendar days in the owner's time zone, and the leans in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import formats
from django.utils.translation import get_language, npgettext, pgettext

# The longest preset period: every page and sentence calls it "year", never "365 days".
YEAR_DAYS = 365


def period_name(days: int) -> str:
    """A period of 365 days is a "year"; any other is named by its count of days."""
    if days == YEAR_DAYS:
        # Translators: a period's name on its own, as on the period picker's button ("30 days", "year").
        return pgettext("period name", "year")
    # Translators: a period's name on its own, as on the period picker's button.
    return npgettext("period name", "%(count)s day", "%(count)s days", days) % {"count": days}


def period_length(days: int) -> str:
    """How long a period is: "a year", or "30 days"."""
    if days == YEAR_DAYS:
        # Translators: how long a report's period is, shown on its own after its dates ("· a year").
        return pgettext("period length", "a year")
    # Translators: how long a report's period is, shown on its own after its dates ("· 30 days").
    return npgettext("period length", "%(count)s day", "%(count)s days", days) % {"count": days}


def these_days(days: int) -> str:
    """The period a sentence is about: "these 30 days", or "the past year"."""
    if days == YEAR_DAYS:
        # Translators: the period a sentence is about, as its object ("12 leans in the past year").
        return pgettext("period in a sentence", "the past year")
    # Translators: the period a sentence is about, as its object ("12 leans in these 30 days").
    return npgettext("period in a sentence", "these %(count)s day", "these %(count)s days", days) % {
        "count": days
    }


def date_in_sentence(day: dt.date, today: dt.date | None = None) -> str:
    """A date inside a sentence: "3 March" in today's year, "3 March 2025" otherwise (or without `today`)."""
    if today is not None and day.year == today.year:
        # Translators: a date inside a sentence, in this year: Django date format ("3 March": "j F").
        return formats.date_format(day, pgettext("date in a sentence", "j F"))
    # Translators: a date inside a sentence, with its year: Django date format ("3 March 2025": "j F Y").
    return formats.date_format(day, pgettext("date in a sentence", "j F Y"))


def decimal_text(value: float | Decimal | str, places: int | None = None) -> str:
    """A number in a sentence with the language's decimal mark: "1.5" in English, "1,5" in German.

    `places` rounds as Python's format does ("0.50" for 2); None keeps the number's own digits.
    """
    text = str(value) if places is None else f"{value:.{places}f}"
    return text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


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


# Languages whose nouns keep their capital letter inside a sentence: a title or a label is not
# lower-cased there when it is quoted mid-sentence.
CAPITALISED_NOUNS = ("de",)


def in_sentence(text: str, whole: bool = True) -> str:
    """A title or label inside a sentence: lower-cased ("whole"), or only its first letter; as it
    is in German, where lower-casing would break the nouns."""
    if (get_language() or "").split("-")[0] in CAPITALISED_NOUNS:
        return text
    return text.lower() if whole else text[:1].lower() + text[1:]
