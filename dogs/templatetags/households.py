"""{{ person|member_name }}: how a page names whoever made a row, once they are gone too."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from dogs.households import FORMER_MEMBER, name_of

register = template.Library()


@register.filter
def member_name(person) -> str:
    """The person's username, or "a former member" once their account is deleted."""
    return name_of(person) if person is not None else gettext(FORMER_MEMBER)
