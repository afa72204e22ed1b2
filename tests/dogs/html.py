"""Read a rendered form the way a person does: the message under a field, the value in it."""

from __future__ import annotations

import html
import re

from django.http import HttpResponse


def field_error(response: HttpResponse, name: str) -> str:
    """The error text crispy renders right under the field (empty when there is none)."""
    page = response.content.decode()
    match = re.search(rf'<div id="id_{name}_error" class="invalid-feedback">(.*?)</div>', page, re.S)
    if not match:
        return ""
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split()))


def field_value(response: HttpResponse, name: str) -> str | None:
    """The value an <input> shows again after the page comes back."""
    page = response.content.decode()
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    if not tag:
        return None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def selected_option(response: HttpResponse, name: str) -> str | None:
    """The option a <select> shows as chosen."""
    page = response.content.decode()
    select = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', page, re.S)
    if not select:
        return None
    option = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(1))
    return option.group(1) if option else None
