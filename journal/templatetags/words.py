"""{{ label|in_sentence }}: a choice's label inside a sentence, lower-cased where the language allows."""

from __future__ import annotations

from django import template

from journal.report.period import in_sentence as label_in_sentence

register = template.Library()


@register.filter
def in_sentence(label: str) -> str:
    """ "Then: walked away" in English and Spanish; German keeps its nouns capitalised."""
    return label_in_sentence(str(label))
