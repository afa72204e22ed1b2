"""{{ label|in_sentence }}: a choice's label inside a sentence, lower-cased where the language allows."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext, pgettext

from journal.report.period import in_sentence as label_in_sentence

register = template.Library()


@register.filter
def in_sentence(label: str) -> str:
    """ "Then: walked away" in English and Spanish; German keeps its nouns capitalised."""
    return label_in_sentence(str(label))


@register.filter
def percent(number) -> str:
    """64% in English, 64 % in German and Spanish (the same message as the report's sentences)."""
    return gettext("%(number)s%%") % {"number": number}


# Dates as the pages write them, each format a message of its own so that every language puts
# day, month and year in its own order ("7 Dec 2026", "7. Dez. 2026", "7 dic 2026"). Like Django's
# |date, each filter is given the time in the reader's zone.


@register.filter(expects_localtime=True)
def short_date(value) -> str:
    """7 Dec 2026."""
    return _date(value, pgettext("short date", "j M Y"))


@register.filter(expects_localtime=True)
def short_date_time(value) -> str:
    """7 Dec 2026, 14:05."""
    return _date(value, pgettext("date and time format", "j M Y, H:i"))


@register.filter(expects_localtime=True)
def day_month(value) -> str:
    """7 Dec."""
    return _date(value, pgettext("day and short month", "j M"))


@register.filter(expects_localtime=True)
def day_month_time(value) -> str:
    """7 Dec, 14:05."""
    return _date(value, pgettext("day, short month and time", "j M, H:i"))


@register.filter(expects_localtime=True)
def weekday_day_month(value) -> str:
    """Mon 7 Dec."""
    return _date(value, pgettext("weekday, day and short month", "D j M"))


@register.filter(expects_localtime=True)
def weekday_day_month_time(value) -> str:
    """Mon 7 Dec, 14:05."""
    return _date(value, pgettext("weekday, day, short month and time", "D j M, H:i"))


@register.filter(expects_localtime=True)
def weekday_date_time(value) -> str:
    """Mon 7 Dec 2026, 14:05."""
    return _date(value, pgettext("date and time in a sentence", "D j M Y, H:i"))


def _date(value, format_string: str) -> str:
    if value in (None, ""):
        return ""
    try:
        return formats.date_format(value, format_string)
    except AttributeError:
        return ""
