"""config/serving/gunicorn.py: workers, timeouts and the address from the environment; no proxy trusted."""

from __future__ import annotations

import contextlib
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from django.conf import settings
from gunicorn.config import Config

from deploy.loadtest import free_port
from tests.trust.support import migrated_sqlite, subprocess_env

CONFIG_FILE = settings.BASE_DIR / "config" / "serving" / "gunicorn.py"


@pytest.fixture
def gunicorn_config(monkeypatch):
    """The settings gunicorn would hold after reading config/serving/gunicorn.py with this environment."""

    def load(**env: str) -> Config:
        for name in ("LEANLOG_BEHIND_PROXY", "LEANLOG_PROXY_IPS", "LEANLOG_WORKERS", "LEANLOG_BIND"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        config = Config()
        for name, value in runpy.run_path(str(CONFIG_FILE)).items():
            if name in config.settings:
                config.set(name, value)
        return config

    return load


def test_it_trusts_no_forwarded_header_by_default(gunicorn_config) -> None:
    config = gunicorn_config()

    assert config.forwarded_allow_ips == []
    assert config.secure_scheme_headers == {}


def test_it_ignores_gunicorns_own_variable_without_a_proxy(gunicorn_config) -> None:
    config = gunicorn_config(FORWARDED_ALLOW_IPS="*")

    assert config.forwarded_allow_ips == []


def test_it_trusts_the_local_proxy_behind_a_proxy(gunicorn_config) -> None:
    config = gunicorn_config(LEANLOG_BEHIND_PROXY="1")

    assert config.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert config.secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}


def test_it_trusts_the_proxy_addresses_named(gunicorn_config) -> None:
    config = gunicorn_config(LEANLOG_BEHIND_PROXY="1", LEANLOG_PROXY_IPS="10.0.0.5, 10.0.1.0/24")

    assert config.forwarded_allow_ips == ["10.0.0.5", "10.0.1.0/24"]


def test_it_reads_workers_and_bind_from_the_environment(gunicorn_config) -> None:
    config = gunicorn_config(LEANLOG_WORKERS="5", LEANLOG_BIND="127.0.0.1:8001,127.0.0.1:8002")

    assert config.workers == 5
    assert config.address == [("127.0.0.1", 8001), ("127.0.0.1", 8002)]


def test_it_imports_the_app_once_before_forking_unless_told_not_to(gunicorn_config) -> None:
    assert gunicorn_config().preload_app is True
    assert gunicorn_config(LEANLOG_PRELOAD="0").preload_app is False


def test_it_serves_the_project(gunicorn_config) -> None:
    assert gunicorn_config().wsgi_app == "config.serving.wsgi:application"


def start_gunicorn(tmp_path: Path, **env: str) -> tuple[subprocess.Popen, int]:
    """gunicorn with config/serving/gunicorn.py and production settings on a free local port."""
    port = free_port()
    environment = subprocess_env(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="a-test-only-secret-key-that-is-long-enough-for-the-deploy-checks",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        LEANLOG_BIND=f"127.0.0.1:{port}",
        LEANLOG_WORKERS="1",
        **env,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG_FILE)],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, "gunicorn stopped at start-up"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return process, port
        assert time.monotonic() < deadline, "gunicorn did not listen within 30 s"
        time.sleep(0.2)


def claimed_https(port: int) -> str:
    """Where a plain-HTTP request from this machine that claims to come over HTTPS is sent."""
    # A page that needs sign-in: it answers with a redirect and renders no template.
    response = requests.get(
        f"http://127.0.0.1:{port}/accounts/settings/",
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
        timeout=10,
    )
    return response.headers["Location"]


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[Callable[..., int]]:
    processes: list[subprocess.Popen] = []

    def run(**env: str) -> int:
        process, port = start_gunicorn(tmp_path, **env)
        processes.append(process)
        return port

    yield run
    for process in processes:
        process.terminate()
        process.wait(timeout=15)


@pytest.mark.slow
def test_it_redirects_a_local_claim_of_https_without_a_proxy(gunicorn) -> None:
    # gunicorn's own default would believe 127.0.0.1 and serve the page as if over HTTPS.
    port = gunicorn()

    assert claimed_https(port) == f"https://127.0.0.1:{port}/accounts/settings/"


@pytest.mark.slow
def test_it_believes_the_local_proxy_behind_a_proxy(gunicorn) -> None:
    # Believed: no redirect to HTTPS, straight on to sign-in.
    assert claimed_https(gunicorn(LEANLOG_BEHIND_PROXY="1")) == "/accounts/login/?next=/accounts/settings/"


@pytest.mark.slow
def test_it_serves_the_real_thing_over_plain_http_as_make_run_does(
    gunicorn, tmp_path: Path, static_root: Path, migrated_database: Path
) -> None:
    env = {"LEANLOG_HTTPS": "0", "LEANLOG_STATIC_ROOT": str(static_root)}
    migrated_sqlite(tmp_path / "db.sqlite3", migrated_database)
    port = gunicorn(**env)

    with requests.Session() as session:
        # Only gzip offered, as before: requests would offer brotli too where it is installed.
        page = session.get(
            f"http://127.0.0.1:{port}/accounts/login/", headers={"Accept-Encoding": "gzip"}, timeout=10
        )
        # requests unzips the body; the bytes on the wire are what Content-Encoding says.
        body = page.content
        missing = session.get(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)
        missing_body = missing.text

    assert page.status_code == 200
    assert page.headers["Content-Encoding"] == "gzip"
    # Served as over HTTP: the CSRF cookie must come back without HTTPS, and no HSTS pins the host.
    assert "Secure" not in page.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in page.headers
    assert body
    # DEBUG is off: a missing page is Leanlog's own, never Django's debug page.
    assert missing.status_code == 404
    assert "URLconf" not in missing_body
    assert "Leanlog" in missing_body
