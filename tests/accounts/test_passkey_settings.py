"""Whose passkeys: the relying party comes from LEANLOG_SITE_URL, read once at startup."""

from __future__ import annotations

import json

from tests.trust.support import run_python, subprocess_env

PRINT = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps([settings.OTP_WEBAUTHN_RP_ID, settings.OTP_WEBAUTHN_ALLOWED_ORIGINS]))
"""


def passkey_settings(**env: str) -> list:
    result = run_python(["-c", PRINT], subprocess_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_gives_passkeys_to_the_site_urls_host() -> None:
    assert passkey_settings(LEANLOG_SITE_URL="https://leanlog.example") == [
        "leanlog.example",
        ["https://leanlog.example"],
    ]


def test_it_gives_make_runs_passkeys_to_localhost() -> None:
    assert passkey_settings() == ["localhost", ["http://localhost:8000"]]


def test_it_starts_with_a_plain_http_site_elsewhere_where_no_browser_offers_passkeys() -> None:
    result = run_python(["manage.py", "check"], subprocess_env(LEANLOG_SITE_URL="http://leanlog.lan"))

    assert result.returncode == 0, result.stdout + result.stderr
