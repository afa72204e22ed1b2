"""The shared cache: Django's Redis backend, except that a Redis that is down acts as an empty cache.

Everything Leanlog caches can be rebuilt from the database, and the throttles let requests
through when they cannot count them (accounts/throttle.py), so a cache outage must cost time, never a
page. After a failure the backend stops asking Redis for a few seconds: a Redis that hangs instead
of refusing would otherwise add its timeout to every call of every request.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long to serve without the cache after it failed, before trying it again.
RETRY_AFTER_SECONDS = 5.0


class ForgivingRedisCache(RedisCache):
    """RedisCache that logs and swallows connection errors, answering as an empty cache would."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._down_until = 0.0

    def _quietly(self, name: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning(
                "The cache at %s failed (%s: %s); serving without it for %s s.",
                self._servers[0].rsplit("@", 1)[-1],
                type(error).__name__,
                error,
                RETRY_AFTER_SECONDS,
            )
            return fallback

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return self._quietly("add", False, *args, **kwargs)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._quietly("get", default, key, default, version)

    def set(self, *args: Any, **kwargs: Any) -> None:
        return self._quietly("set", None, *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> bool:
        return self._quietly("touch", False, *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> bool:
        return self._quietly("delete", False, *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> dict:
        return self._quietly("get_many", {}, *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> bool:
        return self._quietly("has_key", False, *args, **kwargs)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        missing = object()
        value = self._quietly("incr", missing, key, delta, version)
        if value is missing:
            # What an empty cache says to incr(): the key does not exist.
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")
        return value

    def set_many(self, data: dict, *args: Any, **kwargs: Any) -> list:
        return self._quietly("set_many", list(data), data, *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> None:
        return self._quietly("delete_many", None, *args, **kwargs)

    def clear(self) -> bool:
        return self._quietly("clear", False)
