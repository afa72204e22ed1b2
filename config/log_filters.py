"""Log records never carry a secret link: invitation and vet-link tokens are blanked out."""

from __future__ import annotations

import logging
import re

# /invites/<token>/ and /share/<token>/...: the token is the whole secret, so it never reaches a log.
TOKEN_IN_PATH = re.compile(r"(/(?:invites|share)/)[^/\s?#]+")


def hide_tokens(text: str) -> str:
    """The text with every token in an invitation or vet-link path replaced by ***."""
    return TOKEN_IN_PATH.sub(r"\1***", text)


class HideTokens(logging.Filter):
    """Rewrite the message of any record that names a token path."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_tokens(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True
