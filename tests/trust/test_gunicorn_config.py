"""config/gunicorn.py: workers, timeouts and the address from the environment; no proxy trusted by default."""

from __future__ import annotations

import runpy

import pytest
from django.conf import settings
from gunicorn.config import Config

CONFIG_FILE = settings.BASE_DIR / "config" / "gunicorn.py"


@pytest.fixture
def gunicorn_config(monkeypatch):
    """The settings gunicorn would hold after reading config/gunicorn.py with the given environment."""

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


def test_it_serves_the_project(gunicorn_config) -> None:
    assert gunicorn_config().wsgi_app == "config.wsgi:application"
