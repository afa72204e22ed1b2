"""The `<id:...>` path converter: a database id, so a number too large for one is simply no page."""

from __future__ import annotations


class IdConverter:
    """Up to 18 digits: every id the database can hold, and nothing that would overflow it."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
