"""The shared cache: Redis when REDIS_URL is set; a Redis that is down slows a page, never breaks it."""

from __future__ import annotations

import logging
import socket
import uuid

import pytest
from django.urls import reverse

from accounts import throttle
from config.cache import ForgivingRedisCache
from tests.helpers import PASSWORD
from tests.trust.support import Journals, redis_url_or_skip, run_python, subprocess_env


def closed_port() -> int:
    """A local port nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def backend(url: str) -> ForgivingRedisCache:
    params = {
        "KEY_PREFIX": f"leanlog-test-{uuid.uuid4().hex[:8]}",
        "OPTIONS": {"socket_connect_timeout": 0.5},
    }
    return ForgivingRedisCache(url, params)


@pytest.fixture
def down() -> ForgivingRedisCache:
    return backend(f"redis://127.0.0.1:{closed_port()}/0")


@pytest.fixture
def down_cache(settings) -> None:
    """The project's cache pointed at a Redis that is not there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }


def test_it_answers_a_read_from_a_dead_cache_as_a_miss(down) -> None:
    assert down.get("report", "fallback") == "fallback"
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("report") is False


def test_it_lets_a_write_to_a_dead_cache_pass(down) -> None:
    down.set("report", "page")
    down.set_many({"a": 1})
    down.delete("report")

    assert down.add("report", "page") is False


def test_it_answers_incr_on_a_dead_cache_as_a_missing_key(down) -> None:
    with pytest.raises(ValueError):
        down.incr("count")


def test_it_logs_that_the_cache_is_down(down, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        down.get("report")

    assert "serving without it" in caplog.text
    assert "ConnectionError" in caplog.text


def test_it_stops_asking_a_dead_cache_for_a_while(down, caplog) -> None:
    down.get("report")
    caplog.clear()

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        down.get("report")
        down.set("report", "page")

    assert caplog.text == ""


def test_it_lets_requests_through_the_throttle_when_the_cache_is_down(down_cache) -> None:
    assert all(throttle.hit("test", "key", limit=1, window=60) for _ in range(3))


def test_it_serves_every_signed_in_page_with_the_cache_down(
    down_cache, owner_client, journals: Journals
) -> None:
    for path in (
        reverse("dogs:home"),
        reverse("dogs:dog-detail", args=[journals.dog.pk]),
        reverse("journal:report", args=[journals.dog.pk]),
        reverse("journal:report-json", args=[journals.dog.pk]),
    ):
        assert owner_client.get(path).status_code == 200, path


def test_it_signs_in_with_the_cache_down(down_cache, client, owner) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302


def test_it_shares_values_through_a_real_redis() -> None:
    url = redis_url_or_skip()
    writer, reader = backend(url), backend(url)
    reader.key_prefix = writer.key_prefix

    writer.set("report", {"leans": 3}, 30)
    writer.add("count", 0, 30)
    writer.incr("count")

    assert reader.get("report") == {"leans": 3}
    assert reader.incr("count") == 2
    writer.delete_many(["report", "count"])


def test_it_keeps_the_local_cache_without_redis_url() -> None:
    result = run_python(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.CACHES)"],
        subprocess_env(),
    )

    assert "LocMemCache" in result.stdout, result.stderr


def test_it_uses_redis_with_redis_url() -> None:
    code = (
        "import django; django.setup(); from django.core.cache import caches; "
        "print(type(caches['default']).__name__)"
    )
    result = run_python(["-c", code], subprocess_env(REDIS_URL="redis://127.0.0.1:6379/13"))

    assert result.stdout.strip() == "ForgivingRedisCache", result.stderr
