"""{% icon "name" %}: one Bootstrap icon drawn from the sprite of the icons Leanlog uses."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "img/icons.svg"


@register.simple_tag
def icon(name: str, suffix: str = "", label: str = "", cls: str = "") -> str:
    """An inline SVG icon; decorative (hidden from screen readers) unless it has a label."""
    # Names may come with Bootstrap's "bi-" prefix (flags and breakdowns keep it in Python).
    name = name.removeprefix("bi-") + suffix
    href = f"{static(SPRITE)}#{name}"
    classes = f"bi {cls}".strip()
    if label:
        return format_html(
            '<svg class="{}" width="16" height="16" role="img" aria-label="{}"><use href="{}"></use></svg>',
            classes,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" width="16" height="16" aria-hidden="true" focusable="false">'
        '<use href="{}"></use></svg>',
        classes,
        href,
    )
