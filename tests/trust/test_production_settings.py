"""Production settings: the deploy check passes, a missing secret stops the app, HTTPS is enforced."""

from __future__ import annotations

import json

import pytest

from tests.trust.support import run_python, subprocess_env

# 64 characters from a fixed string: long and varied enough for Django's deploy check.
STRONG_KEY = "k7Qz-2vN_e9TfXa4LmB8rJ1cWd6YhU0sGp3oKi5EnRbVtAqZyFxCjMlDwHgSuPeO"


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    return subprocess_env(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="leanlog.example",
        # A throwaway database, so that nothing here can touch a real one.
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )


# Ask the production app for a signed-in page over plain HTTP, in its own process (settings are
# read once). A page that only redirects: rendering one would need collectstatic's manifest.
PROBE = """
import json, sys
import django
django.setup()
from django.test import Client
response = Client().get("/dogs/new/", HTTP_HOST="leanlog.example", **json.loads(sys.argv[1]))
print(json.dumps({
    "status": response.status_code,
    "location": response.get("Location", ""),
    "hsts": response.get("Strict-Transport-Security", ""),
}))
"""


def probe(env: dict[str, str], **headers: str) -> dict[str, object]:
    result = run_python(["-c", PROBE, json.dumps(headers)], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_it_passes_the_deploy_check_in_production(production_env) -> None:
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deploy_check_with_a_weak_secret_key(production_env) -> None:
    production_env["DJANGO_SECRET_KEY"] = "short"

    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_it_refuses_to_start_without_a_secret_key(production_env) -> None:
    del production_env["DJANGO_SECRET_KEY"]

    result = run_python(["manage.py", "check"], production_env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "refuses to start" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts(production_env) -> None:
    del production_env["DJANGO_ALLOWED_HOSTS"]

    result = run_python(["manage.py", "check"], production_env)

    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_it_redirects_plain_http_to_https(production_env) -> None:
    answer = probe(production_env)

    assert answer["status"] == 301
    assert answer["location"] == "https://leanlog.example/dogs/new/"


def test_it_leaves_the_https_redirect_to_a_proxy_when_told(production_env) -> None:
    production_env["LEANLOG_SSL_REDIRECT"] = "0"

    answer = probe(production_env)

    # Straight to the app: the anonymous visitor is sent to sign in, on the same scheme.
    assert answer["status"] == 302
    assert answer["location"] == "/accounts/login/?next=/dogs/new/"


def test_it_trusts_the_forwarded_proto_behind_a_proxy(production_env) -> None:
    production_env["LEANLOG_BEHIND_PROXY"] = "1"

    answer = probe(production_env, HTTP_X_FORWARDED_PROTO="https")

    assert answer["status"] == 302
    assert answer["location"] == "/accounts/login/?next=/dogs/new/"
    assert answer["hsts"].startswith("max-age=31536000")


def test_it_ignores_a_forwarded_proto_without_a_proxy(production_env) -> None:
    answer = probe(production_env, HTTP_X_FORWARDED_PROTO="https")

    # Anyone can send the header: without a proxy in front it proves nothing.
    assert answer["status"] == 301
    assert answer["location"] == "https://leanlog.example/dogs/new/"


def test_it_serves_plain_http_without_https_rules_when_told(production_env) -> None:
    # `make run` on a home machine: no redirect to an HTTPS that is not there, no HSTS.
    production_env["LEANLOG_HTTPS"] = "0"

    answer = probe(production_env)

    assert answer["status"] == 302
    assert answer["location"] == "/accounts/login/?next=/dogs/new/"
    assert answer["hsts"] == ""
