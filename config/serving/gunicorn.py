"""gunicorn's settings, from the environment: `gunicorn -c config/serving/gunicorn.py`.

The README's production section lists the variables. Nothing a request says about itself is
trusted unless LEANLOG_BEHIND_PROXY=1: gunicorn's own default would take X-Forwarded-Proto from
any process on the machine as proof of HTTPS.
"""

from __future__ import annotations

import os

from config.serving import memory
from config.settings import DEFAULT_PROXY_IPS, env_bool, env_int, env_list, env_networks

wsgi_app = "config.serving.wsgi:application"

# One or more addresses (comma-separated), e.g. 127.0.0.1:8001 or unix:/run/leanlog.sock.
bind = env_list("LEANLOG_BIND", "127.0.0.1:8000")
# Sync workers: each serves one request at a time, so this is the number served at once.
workers = env_int("LEANLOG_WORKERS", 2 * (os.cpu_count() or 1) + 1)
# More than one thread switches gunicorn to threaded workers.
threads = env_int("LEANLOG_THREADS", 1)
# The app is imported once, before the workers are forked from it: they start sooner and share
# its memory, and an app that cannot start fails at once rather than in every worker. Importing
# opens no database connection (Django opens one per worker, at its first query). New code then
# needs a restart, not a reload (HUP); LEANLOG_PRELOAD=0 imports it in each worker instead.
preload_app = env_bool("LEANLOG_PRELOAD", "1")
# A request that takes longer than this is killed: no Leanlog page should take seconds.
timeout = env_int("LEANLOG_TIMEOUT", 30)
graceful_timeout = env_int("LEANLOG_GRACEFUL_TIMEOUT", 20)
# Behind nginx the connection is reused between requests (its upstream keepalive).
keepalive = env_int("LEANLOG_KEEPALIVE", 5)
accesslog = "-" if env_bool("LEANLOG_ACCESS_LOG", "0") else None
# Vet-link, invitation, confirmation, reset and API tokens never reach the access log.
logger_class = "config.log_filters.AccessLogWithoutTokens"

if env_bool("LEANLOG_BEHIND_PROXY", "0"):
    # Only the proxy's own addresses may vouch for the scheme (its X-Forwarded-Proto): the same
    # list Leanlog trusts for X-Forwarded-For (accounts/throttle.py).
    forwarded_allow_ips = ",".join(env_networks("LEANLOG_PROXY_IPS", DEFAULT_PROXY_IPS))
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    # A UNIX socket is trusted whatever forwarded_allow_ips says: name no header at all.
    secure_scheme_headers = {}


def post_worker_init(worker) -> None:
    """Each worker, once it has the app: what is loaded stays, and the pages' many short-lived
    objects are collected less often (config/serving/memory.py). Only serving workers: the test suite's
    live server and `make dev` keep Python's defaults."""
    memory.settle()
