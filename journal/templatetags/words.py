"""How pages write words inside sentences: labels (|in_sentence, |without_optional), shares (|percent),
kilograms (|kg), dates (|short_date…)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import gettext, pgettext_lazy

from journal.report.period import in_sentence as label_in_sentence
from journal.report.weights import kg_text

register = template.Library()


@register.filter
def in_sentence(label: str) -> str:
    """ "Then: walked away" in English and Spanish; German keeps its nouns capitalised."""
    return label_in_sentence(str(label))


@register.filter
def percent(number) -> str:
    """64% in English, 64 % in German and Spanish (the same message as the report's sentences)."""
    return gettext("%(number)s%%") % {"number": number}


@register.filter
def without_optional(label) -> str:
    """A field's label without its "(optional)": a list of answers to fix names the field, and
    an answer given is no longer optional to fix."""
    # Translators: the end of every label of a field that may be left empty ("Notes (optional)"):
    # the same words, so that a list of errors can leave them out.
    return str(label).removesuffix(" " + gettext("(optional)"))


@register.filter
def unbroken(text) -> str:
    """The text with no-break spaces: a date in a narrow table header keeps its day and month together."""
    return str(text).replace(" ", "\u00a0")


@register.filter
def glued(text) -> str:
    """The text with a word joiner before it: the second date of a range ("6 Oct" to "2 Nov") never starts a
    line of its own (a line may break after a dash)."""
    return "\u2060" + str(text)


@register.filter
def kg(value) -> str:
    """A weight's number as every page writes it: 24.3, 40 (no trailing zeros), 24,3 in German."""
    return kg_text(Decimal(value))


# Dates as the pages write them, each format a message of its own so that every language puts
# day, month and year in its own order ("7 Dec 2026", "7. Dez 2026", "7 dic 2026"). Like Django's
# |date, each filter is given the time in the reader's zone.
DATE_FORMATS = {
    # 7 Dec 2026
    "short_date": pgettext_lazy("short date", "j M Y"),
    # 7 Dec 2026, 14:05
    "short_date_time": pgettext_lazy("date and time format", "j M Y, H:i"),
    # 7 Dec
    "day_month": pgettext_lazy("day and short month", "j M"),
    # 7 Dec, 14:05
    "day_month_time": pgettext_lazy("day, short month and time", "j M, H:i"),
    # Mon 7 Dec
    "weekday_day_month": pgettext_lazy("weekday, day and short month", "D j M"),
    # Mon 7 Dec, 14:05
    "weekday_day_month_time": pgettext_lazy("weekday, day, short month and time", "D j M, H:i"),
    # Mon 7 Dec 2026, 14:05
    "weekday_date_time": pgettext_lazy("date and time in a sentence", "D j M Y, H:i"),
}


def _date_filter(format_string) -> Callable[[object], str]:
    def written(value) -> str:
        if value in (None, ""):
            return ""
        try:
            return formats.date_format(value, str(format_string))
        except AttributeError:
            return ""

    return written


for _name, _format in DATE_FORMATS.items():
    register.filter(_name, _date_filter(_format), expects_localtime=True)
