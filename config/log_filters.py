"""Log records never carry a secret: vet-link, invitation, confirmation, reset and API tokens become ***."""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

# Each pattern keeps what says which page it was and replaces the secret with ***.
SECRETS = (
    # /invites/<token>/, /share/<token>/... and /accounts/settings/email/<token>/: the token is
    # the whole secret.
    (re.compile(r"(/(?:invites|share|email)/)[^/\s?#\"]+"), r"\1***"),
    # /accounts/reset/<uidb64>/<token>/ (Django then moves to .../<uidb64>/set-password/).
    (re.compile(r"(/reset/)(?!done/)[^/\s?#\"]+/[^/\s?#\"]+"), r"\1***/***"),
    # An API token sent in a query string by mistake, and the Authorization header's value.
    (re.compile(r"([?&](?:token|access_token|api_key|key)=)[^&\s#\"]+", re.IGNORECASE), r"\1***"),
    (re.compile(r"(Bearer\s+)\S+", re.IGNORECASE), r"\1***"),
)


def hide_tokens(text: str) -> str:
    """The text with every secret token in it replaced by ***."""
    for pattern, replacement in SECRETS:
        text = pattern.sub(replacement, text)
    return text


class HideTokens(logging.Filter):
    """Rewrite the message of any record that names a token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_tokens(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


class AccessLogWithoutTokens(Logger):
    """gunicorn's logger, with every part of an access-log line (path, query, referrer, headers) cleaned."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        # The header an API token travels in is never worth logging, whatever the format asks.
        atoms.pop("{authorization}i", None)
        return {
            name: hide_tokens(value) if isinstance(value, str) else value for name, value in atoms.items()
        }
