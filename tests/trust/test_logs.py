"""Secret tokens (vet links, invitations, email confirmation, password reset, API tokens) reach no log."""

from __future__ import annotations

import datetime as dt
import io
import logging
import runpy
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from gunicorn.config import Config

TOKEN = "Zx9secretTOKENvalue_43charsLongxxxxxxxxxxxx"
SECRET_PATHS = [
    pytest.param(f"/share/{TOKEN}/", id="vet-link"),
    pytest.param(f"/share/{TOKEN}/report.json", id="vet-link-json"),
    pytest.param(f"/invites/{TOKEN}/", id="invitation"),
    pytest.param(f"/accounts/settings/email/{TOKEN}/", id="email-confirmation"),
    pytest.param(f"/accounts/reset/MQ/{TOKEN}/", id="password-reset"),
    pytest.param(f"/api/v1/leans?token={TOKEN}", id="api-token-in-query"),
]


def gunicorn_access_line(monkeypatch, path: str, log_format: str = "", **headers: str) -> str:
    """One access-log line as gunicorn writes it with config/serving/gunicorn.py's logger."""
    monkeypatch.setenv("LEANLOG_ACCESS_LOG", "1")
    config = Config()
    for name, value in runpy.run_path(str(settings.BASE_DIR / "config" / "serving" / "gunicorn.py")).items():
        if name in config.settings:
            config.set(name, value)
    if log_format:
        config.set("access_log_format", log_format)
    logger = config.logger_class(config)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    target, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": target,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.7",
        "HTTP_REFERER": f"https://leanlog.example{path}",
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    request = SimpleNamespace(headers=[(name.upper(), value) for name, value in headers.items()])
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    logger.access(response, request, environ, dt.timedelta(milliseconds=5))
    return stream.getvalue()


@pytest.mark.parametrize("path", SECRET_PATHS)
def test_it_keeps_tokens_out_of_gunicorns_access_log(monkeypatch, path) -> None:
    line = gunicorn_access_line(monkeypatch, path)

    assert "GET" in line
    assert TOKEN not in line
    assert "***" in line


def test_it_keeps_an_api_token_header_out_of_gunicorns_access_log(monkeypatch) -> None:
    # Not Leanlog's format, but one an operator might choose.
    log_format = '%(h)s "%(r)s" %({authorization}i)s'
    line = gunicorn_access_line(monkeypatch, "/api/v1/leans", log_format, authorization=f"Bearer {TOKEN}")

    assert TOKEN not in line


def test_it_keeps_ordinary_paths_readable_in_gunicorns_access_log(monkeypatch) -> None:
    line = gunicorn_access_line(monkeypatch, "/dogs/12/")

    assert "GET /dogs/12/ HTTP/1.1" in line


@pytest.fixture
def django_log() -> io.StringIO:
    """What Leanlog's configured handlers write, for the length of one test."""
    stream = io.StringIO()
    handlers = {
        handler
        for name in ("", "django", "django.request", "django.security", "django.server")
        for handler in logging.getLogger(name).handlers
    }
    saved = [
        (handler, handler.setStream(stream))
        for handler in handlers
        if isinstance(handler, logging.StreamHandler)
    ]
    yield stream
    for handler, old in saved:
        handler.setStream(old)


@pytest.mark.parametrize("path", SECRET_PATHS)
def test_it_keeps_tokens_out_of_djangos_log_for_a_bad_token(db, django_log, caplog, path) -> None:
    with caplog.at_level(logging.INFO):
        Client().get(path, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert TOKEN not in django_log.getvalue()
    assert TOKEN not in caplog.text


def test_it_still_logs_the_404_with_the_token_hidden(db, django_log) -> None:
    Client().get(f"/share/{TOKEN}/")

    assert "Not Found: /share/***/" in django_log.getvalue()


NGINX_CONF = settings.BASE_DIR / "deploy" / "nginx" / "leanlog.conf"


def test_it_logs_nginx_requests_only_with_the_redacted_path() -> None:
    conf = NGINX_CONF.read_text()

    assert "log_format leanlog_redacted" in conf
    assert "access_log /var/log/nginx/leanlog.access.log leanlog_redacted;" in conf
    log_format = conf.split("log_format leanlog_redacted", 1)[1].split(";", 1)[0]
    assert "$leanlog_log_path" in log_format
    for leaky in (
        "$request ",
        "$request_uri",
        "$uri",
        "$args",
        "$query_string",
        "$http_referer",
        '$request"',
    ):
        assert leaky not in log_format


@pytest.mark.parametrize("prefix", ["/share/", "/invites/", "/accounts/settings/email/", "/accounts/reset/"])
def test_it_hides_every_token_path_in_the_nginx_map(prefix) -> None:
    conf = NGINX_CONF.read_text()
    mapping = conf.split("map $uri $leanlog_log_path", 1)[1].split("}", 1)[0]

    assert prefix.rstrip("/").lstrip("/").split("/")[-1] in mapping
