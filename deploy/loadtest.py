"""`make loadtest`: Leanlog as it runs in production, on this machine, under a bounded load.

Two gunicorn app servers (config/serving/gunicorn.py) behind nginx (deploy/nginx/leanlog.conf, with its
ports, certificate and directories replaced) on one PostgreSQL and one Redis. It proves that a
lean saved through one server shows at once in the report served by the other, then has locust
run the owners' mix (deploy/locustfile.py: many owners reading and writing) through nginx with
one app server and with two, and checks that every acknowledged lean is stored. Everything
listens on 127.0.0.1 only, in a database and a cache prefix of its own that are removed afterwards.

    python -m deploy.loadtest [--seconds 20] [--clients 16] [--owners 24] [--port 0]

The tests (tests/trust/test_many_servers.py) use the same Stack for a short run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests
import urllib3

BASE_DIR = Path(__file__).resolve().parent.parent
NGINX_SITE = BASE_DIR / "deploy" / "nginx" / "leanlog.conf"
POSTGRES = os.environ.get("LEANLOG_LOADTEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("LEANLOG_LOADTEST_REDIS", "redis://127.0.0.1:6379/13")
PASSWORD = "loading-the-leans-42"
REQUEST_TIMEOUT = 30

SEED = """
import django
django.setup()
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from dogs.models import Dog, Membership, Owner, Role
# Sessions made here, as a sign-in would make them: the load measures the journal, not
# password hashing (the consistency check signs in through the real form).
for number in range({owners}):
    owner = Owner.objects.create_user(f"owner{{number}}", password={password!r}, time_zone="Europe/London")
    dog = Dog.objects.create(owner=owner, name=f"Dog {{number}}", size="medium", birth_date="2019-05-01")
    Membership.objects.create(dog=dog, person=owner, role=Role.OWNER)
    session = SessionStore()
    session[SESSION_KEY] = str(owner.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = owner.get_session_auth_hash()
    session.create()
    print(owner.username, dog.pk, session.session_key)
"""


class Unavailable(RuntimeError):
    """A service the stack needs is missing: nginx, PostgreSQL or Redis."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_services() -> None:
    """Raise Unavailable, naming what is missing and how to get it."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        raise Unavailable("nginx is not installed (apt-get install nginx)")
    if not shutil.which("openssl"):
        raise Unavailable("openssl is not installed (apt-get install openssl)")
    try:
        import psycopg

        psycopg.connect(POSTGRES, connect_timeout=3).close()
    except Exception as error:
        raise Unavailable(f"no PostgreSQL at {POSTGRES}: {error}") from None
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as error:
        raise Unavailable(f"no Redis at {REDIS}: {error}") from None


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def site_config(
    site: str,
    *,
    port: int,
    redirect_port: int,
    upstreams: list[int],
    cert: Path,
    key: Path,
    static_root: Path,
    access_log: Path,
) -> str:
    """deploy/nginx/leanlog.conf with this run's ports, certificate and directories."""
    replacements = [
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        (r"listen \[::\]:443 ssl http2;\n", ""),
        (r"listen 80;", f"listen 127.0.0.1:{redirect_port};"),
        (r"listen \[::\]:80;\n", ""),
        (r"ssl_certificate \S+;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};"),
        (r"alias \S+;", f"alias {static_root}/;"),
        (r"shared:leanlog_tls:10m", f"shared:leanlog_tls_{port}:1m"),
        (r"access_log /var/log/nginx/leanlog\.access\.log", f"access_log {access_log}"),
    ]
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site)
        assert count == 1, f"{NGINX_SITE} no longer has {pattern!r}: update deploy/loadtest.py"
    servers = "".join(
        f"    server 127.0.0.1:{upstream} max_fails=3 fail_timeout=10s;\n" for upstream in upstreams
    )
    site, count = re.subn(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers, site)
    assert count == 1, f"{NGINX_SITE}: the upstream's server lines are gone"
    return site


def main_config(directory: Path, site_file: Path) -> str:
    temp = directory / "nginx-temp"
    return f"""
worker_processes 2;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site_file};
}}
"""


@dataclass
class Owner:
    username: str
    dog_id: int
    session: str


@dataclass
class Stack:
    """PostgreSQL database, Redis prefix, two gunicorn servers and nginx, all local and temporary."""

    directory: Path
    owners_to_seed: int = 8
    workers: int = 2
    port: int = 0
    # Static files already collected as for production (the test suite's shared copy): copied
    # rather than collected again, which compresses every file and takes seconds.
    static_from: Path | None = None
    database_url: str = ""
    cache_prefix: str = ""
    app_ports: list[int] = field(default_factory=list)
    nginx_port: int = 0
    owners: list[Owner] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    # --- set-up ---------------------------------------------------------------------------

    def ports(self) -> list[int]:
        if self.port:
            return [self.port + offset for offset in range(4)]
        return [free_port() for _ in range(4)]

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "LEANLOG_")) and key not in {"DATABASE_URL", "REDIS_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=self.secret,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,leanlog.example",
            DJANGO_CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{self.nginx_port}",
            DATABASE_URL=self.database_url,
            REDIS_URL=REDIS,
            LEANLOG_CACHE_PREFIX=self.cache_prefix,
            LEANLOG_BEHIND_PROXY="1",
            LEANLOG_STATIC_ROOT=str(self.directory / "static"),
            LEANLOG_WORKERS=str(self.workers),
        )
        env.update(extra)
        return env

    def manage(self, *args: str, code: str | None = None, timeout: float = 300) -> str:
        command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
        result = subprocess.run(
            command,
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"{' '.join(args) or 'seed'} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def create_database(self) -> None:
        import psycopg
        from psycopg import sql

        name = f"leanlog_loadtest_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.database_url = re.sub(r"/[^/]*$", f"/{name}", POSTGRES)

    def drop_database(self) -> None:
        import psycopg
        from psycopg import sql

        if not self.database_url:
            return
        name = self.database_url.rsplit("/", 1)[1]
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def clear_cache(self) -> None:
        import redis

        client = redis.Redis.from_url(REDIS)
        keys = list(client.scan_iter(match=f"{self.cache_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)

    def make_certificate(self) -> tuple[Path, Path]:
        cert, key = self.directory / "tls.crt", self.directory / "tls.key"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return cert, key

    def start_app_server(self, port: int) -> None:
        # The child keeps its own copy of the log's file descriptor.
        with (self.directory / f"gunicorn-{port}.log").open("w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/serving/gunicorn.py"],
                cwd=BASE_DIR,
                env=self.env(LEANLOG_BIND=f"127.0.0.1:{port}"),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)

    def start_nginx(self, upstreams: list[int]) -> None:
        """nginx in front of the given app servers (restarted if it runs)."""
        self.stop_nginx()
        cert, key = self.directory / "tls.crt", self.directory / "tls.key"
        site = site_config(
            NGINX_SITE.read_text(),
            port=self.nginx_port,
            redirect_port=self.redirect_port,
            upstreams=upstreams,
            cert=cert,
            key=key,
            static_root=self.directory / "static",
            access_log=self.directory / "nginx-access.log",
        )
        site_file = self.directory / "leanlog.conf"
        site_file.write_text(site)
        main = self.directory / "nginx.conf"
        main.write_text(main_config(self.directory, site_file))
        tested = subprocess.run(
            [nginx_binary(), "-t", "-c", str(main), "-e", str(self.directory / "nginx-error.log")],
            capture_output=True,
            text=True,
            check=False,
        )
        if tested.returncode:
            raise RuntimeError(f"nginx refused its configuration:\n{tested.stderr}")
        self.nginx = subprocess.Popen(
            [
                nginx_binary(),
                "-c",
                str(main),
                "-e",
                str(self.directory / "nginx-error.log"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self.wait_for(self.nginx_port, "nginx", lambda: self.nginx)

    def stop_nginx(self) -> None:
        if self.nginx and self.nginx.poll() is None:
            self.nginx.terminate()
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(timeout=5)
        self.nginx = None

    def wait_for(self, port: int, name: str, process, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            running = process()
            if running is not None and running.poll() is not None:
                raise RuntimeError(f"{name} on port {port} stopped: see {self.directory}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not listen on port {port} within {seconds:.0f} s")
            time.sleep(0.2)

    def __enter__(self) -> Stack:
        check_services()
        self.secret = secrets.token_urlsafe(40)
        self.cache_prefix = f"leanlog-loadtest-{uuid.uuid4().hex[:8]}"
        self.nginx_port, self.redirect_port, *self.app_ports = self.ports()
        # nginx's workers run as another user: they must reach the static files and temp paths.
        self.directory.chmod(0o755)
        (self.directory / "nginx-temp").mkdir(mode=0o777)
        try:
            self.create_database()
            self.manage("migrate", "--no-input")
            if self.static_from:
                shutil.copytree(self.static_from, self.directory / "static")
            else:
                self.manage("collectstatic", "--no-input")
            for line in self.manage(code=SEED.format(owners=self.owners_to_seed, password=PASSWORD)).split(
                "\n"
            ):
                if line.strip():
                    username, dog_id, session = line.split()
                    self.owners.append(Owner(username, int(dog_id), session))
            self.make_certificate()
            for port in self.app_ports:
                self.start_app_server(port)
            for port, process in zip(self.app_ports, self.processes, strict=True):
                self.wait_for(port, "gunicorn", lambda process=process: process)
            self.start_nginx(self.app_ports)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_nginx()
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        with contextlib.suppress(Exception):
            self.clear_cache()
        self.drop_database()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.directory.glob("*.log"))
        )

    def stored_leans(self) -> set[tuple[str, str]]:
        """(client_id, notes) of every lean in the database."""
        import psycopg

        with psycopg.connect(self.database_url) as connection:
            return {
                (str(client_id), notes)
                for client_id, notes in connection.execute("SELECT client_id, notes FROM journal_incident")
            }


# --- an HTTP client with a session --------------------------------------------------------


class Browser:
    """One person's connection: cookies, keep-alive, and a CSRF token once it has one."""

    def __init__(self, port: int, *, tls: bool, session: str = "", app_server: bool = False) -> None:
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        # Sent as a header of our own, as nginx would pass them on: requests' jar would keep a
        # Secure cookie from a plain-HTTP app server to itself.
        self.cookies: dict[str, str] = {"sessionid": session} if session else {}
        # Talking to an app server directly means saying what nginx would have said.
        self.extra = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"} if app_server else {}
        self.origin = f"https://127.0.0.1:{port}"
        self.http = requests.Session()
        # The run's own self-signed certificate; no proxy or CA bundle from the environment,
        # which would override verify and could send the traffic off this machine.
        self.http.trust_env = False
        self.http.verify = False
        self.token = ""

    def request(self, method: str, path: str, data: dict | None = None) -> requests.Response:
        headers = {**self.extra, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.token}
            headers["Origin"] = self.origin
        for attempt in (1, 2):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
                    reply = self.http.request(
                        method,
                        self.base + path,
                        data=data,
                        headers=headers,
                        allow_redirects=False,
                        timeout=REQUEST_TIMEOUT,
                    )
                break
            except requests.ConnectionError:
                # A kept-alive connection the server closed: only a GET is safe to send again.
                self.close()
                if attempt == 2 or method != "GET":
                    raise
        self.cookies.update(reply.cookies.get_dict())
        self.http.cookies.clear()
        if match := re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply.text):
            self.token = match.group(1)
        return reply

    def close(self) -> None:
        self.http.close()

    def sign_in(self, username: str, password: str) -> None:
        self.request("GET", "/accounts/login/")
        reply = self.request("POST", "/accounts/login/", {"username": username, "password": password})
        assert reply.status_code == 302, f"sign-in answered {reply.status_code}: {reply.text[:300]}"


def lean_form(notes: str, minute: int) -> dict[str, object]:
    moment = dt.datetime(2026, 1, 1, 7, 0) + dt.timedelta(minutes=minute)
    return {
        "occurred_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "intensity": "3",
        "location": "home",
        "signs": ["relaxed"],
        "notes": notes,
    }


def report_count(browser: Browser, dog_id: int) -> int:
    reply = browser.request("GET", f"/dogs/{dog_id}/report.json?start=2025-12-01&end=2026-01-31")
    assert reply.status_code == 200, f"report.json answered {reply.status_code}"
    return reply.json()["incidents"]


Opened = Callable[[Browser], Browser]


def closing_browsers(check: Callable[[Stack, Opened], list[str]]) -> Callable[[Stack], list[str]]:
    """Run a check, then close every connection it opened."""

    def run(stack: Stack) -> list[str]:
        with contextlib.ExitStack() as cleanup:

            def opened(browser: Browser) -> Browser:
                cleanup.callback(browser.close)
                return browser

            return check(stack, opened)

    return run


def _check_consistency(stack: Stack, opened: Opened) -> list[str]:
    """A lean saved through one app server shows at once in the report another serves; returns what it did."""
    done = []
    first, second = stack.app_ports[:2]
    one = opened(Browser(first, tls=False, app_server=True))
    one.sign_in(stack.owners[0].username, PASSWORD)
    # The session is in PostgreSQL: the other server knows the same person.
    other = opened(Browser(second, tls=False, app_server=True))
    other.cookies = dict(one.cookies)
    through_nginx = opened(Browser(stack.nginx_port, tls=True))
    through_nginx.cookies = dict(one.cookies)
    dog_id = stack.owners[0].dog_id
    one.request("GET", f"/dogs/{dog_id}/incidents/new/")
    other.token = one.token
    for number in range(3):
        before = report_count(other, dog_id)  # the report is now built and cached (Redis)
        reply = one.request(
            "POST", f"/dogs/{dog_id}/incidents/new/", lean_form(f"consistency {number}", number)
        )
        assert reply.status_code == 302, f"saving a lean through :{first} answered {reply.status_code}"
        after = report_count(other, dog_id)
        assert after == before + 1, f"the report on :{second} showed {after} leans, not {before + 1}"
        seen = {report_count(through_nginx, dog_id) for _ in range(4)}
        assert seen == {after}, f"through nginx the report showed {seen}, not {after}"
        done.append(
            f"lean {number + 1} saved via :{first}; report on :{second} went {before} -> {after} at once"
        )
        one, other, first, second = other, one, second, first
    return done


def _check_proxy(stack: Stack, opened: Opened) -> list[str]:
    """nginx as documented: HTTP goes to HTTPS, static files come from disk, private pages stay private."""
    plain = opened(Browser(stack.redirect_port, tls=False))
    reply = plain.request("GET", "/accounts/login/")
    assert reply.status_code == 301, f"plain HTTP answered {reply.status_code}"
    assert reply.headers["Location"].startswith("https://"), reply.headers["Location"]
    browser = opened(Browser(stack.nginx_port, tls=True, session=stack.owners[-1].session))
    page = browser.request("GET", "/")
    assert page.status_code == 200, f"the home page answered {page.status_code}"
    assert page.headers.get("Cache-Control") == "private, no-store", page.headers.get("Cache-Control")
    assert "max-age=" in page.headers.get("Strict-Transport-Security", "")
    stylesheet = re.search(r'href="(/static/css/leanlog\.[0-9a-f]+\.css)"', page.text).group(1)
    static = browser.request("GET", stylesheet)
    assert static.status_code == 200, f"{stylesheet} answered {static.status_code}"
    assert "immutable" in static.headers.get("Cache-Control", ""), static.headers.get("Cache-Control")
    # The report page keeps its rendered report in the cache: in Redis, shared by both servers.
    report = browser.request("GET", f"/dogs/{stack.owners[-1].dog_id}/report/")
    assert report.status_code == 200, f"the report page answered {report.status_code}"
    import redis

    entries = sum(
        1 for _ in redis.Redis.from_url(REDIS).scan_iter(match=f"{stack.cache_prefix}:*", count=1000)
    )
    assert entries, "nothing was cached in Redis"
    # Secret links pass through nginx and into its access log with their tokens hidden.
    secret = "s3cretToken" + uuid.uuid4().hex
    for path in (f"/share/{secret}/", f"/invites/{secret}/", f"/accounts/settings/email/{secret}/"):
        browser.request("GET", path)
    access_log = (stack.directory / "nginx-access.log").read_text()
    assert "/share/***/" in access_log, "the vet link's request is missing from nginx's access log"
    assert secret not in access_log, "a secret token reached nginx's access log"
    return [
        "plain HTTP is redirected to HTTPS",
        "nginx's access log shows /share/***/ and /invites/***/, never the token",
        f"{stylesheet} served by nginx as immutable",
        "signed-in pages: Cache-Control private, no-store; HSTS sent",
        f"Redis holds this run’s shared cache ({entries} {'entry' if entries == 1 else 'entries'})",
    ]


check_consistency = closing_browsers(_check_consistency)
check_proxy = closing_browsers(_check_proxy)


# --- the load: locust, in a process of its own ----------------------------------------------

LOCUSTFILE = BASE_DIR / "deploy" / "locustfile.py"
KINDS = ("dog page", "journal", "report 30 d", "report 365 d", "report.json", "save a lean")
MARKDOWN_HEADER = (
    "| app servers | requests/s | errors | leans acknowledged / stored | "
    + " | ".join(KINDS)
    + " | load average |\n|---:|---:|---:|---:|"
    + "---:|" * len(KINDS)
    + "---:|"
)


@dataclass
class Kind:
    """locust's figures for one kind of request (its percentiles are rounded to 2 digits)."""

    count: int
    failures: int
    p50: float
    p95: float


@dataclass
class Result:
    servers: int
    seconds: float
    stats: dict[str, Kind]
    errors: list[str]
    acknowledged: set[tuple[str, str]]
    missing: set[tuple[str, str]] = field(default_factory=set)
    # The machine's 1-minute load average at the end: other work on it moves every figure.
    load_average: float = 0.0

    @property
    def requests(self) -> int:
        return sum(kind.count for kind in self.stats.values())

    def markdown_row(self) -> str:
        """One row of the README's table."""
        cells = [
            str(self.servers),
            f"{self.requests / self.seconds:.1f}",
            str(len(self.errors)),
            f"{len(self.acknowledged)} / {len(self.acknowledged) - len(self.missing)}",
            *(
                f"{self.stats[kind].p50:.0f} / {self.stats[kind].p95:.0f}" if kind in self.stats else "-"
                for kind in KINDS
            ),
            f"{self.load_average:.1f}",
        ]
        return "| " + " | ".join(cells) + " |"

    def table(self) -> str:
        lines = [
            f"{self.servers} app server{'s' if self.servers > 1 else ''}: {self.requests} requests in "
            f"{self.seconds:.0f} s = {self.requests / self.seconds:.1f} per second; "
            f"{len(self.errors)} errors; {len(self.acknowledged)} leans acknowledged, "
            f"{len(self.acknowledged) - len(self.missing)} stored; "
            f"load average {self.load_average:.1f} on {os.cpu_count()} cores",
            f"  {'kind':<14}{'count':>7}{'fails':>7}{'p50 ms':>9}{'p95 ms':>9}",
        ]
        for name in KINDS:
            if kind := self.stats.get(name):
                lines.append(f"  {name:<14}{kind.count:>7}{kind.failures:>7}{kind.p50:>9.0f}{kind.p95:>9.0f}")
        return "\n".join(lines)


def percentile(histogram: dict[str, int], share: float) -> float:
    """The response time in ms below which `share` of the requests fell, from locust's histogram."""
    times = sorted((float(ms), count) for ms, count in histogram.items())
    wanted, seen = share * sum(count for _, count in times), 0
    for ms, count in times:
        seen += count
        if seen >= wanted:
            return ms
    return 0.0


def read_stats(report: Path, folder: Path) -> tuple[dict[str, Kind], list[str], float]:
    """Each kind in locust's final JSON report, the failures written down, and the seconds of load."""
    entries = [entry for entry in json.loads(report.read_text()) if entry["name"] in KINDS]
    stats = {
        entry["name"]: Kind(
            entry["num_requests"],
            entry["num_failures"],
            percentile(entry["response_times"], 0.5),
            percentile(entry["response_times"], 0.95),
        )
        for entry in entries
    }
    errors = [line for path in folder.glob("failures-*.txt") for line in path.read_text().splitlines()]
    span = max((entry["last_request_timestamp"] or 0 for entry in entries), default=0) - min(
        (entry["start_time"] for entry in entries), default=0
    )
    return stats, errors, span


def acknowledged_leans(folder: Path) -> set[tuple[str, str]]:
    """(client_id, notes) of every lean the locust processes saw acknowledged."""
    return {
        tuple(line.split("\t", 1))
        for path in folder.glob("acknowledged-*.tsv")
        for line in path.read_text().splitlines()
        if line
    }


def run_load(stack: Stack, *, servers: int, seconds: float, clients: int, rounds: int = 0) -> Result:
    """Many owners at once through nginx (locust) for a bounded time; every acknowledged lean is stored.

    With `rounds`, the run ends once every person has gone round their dog's pages and saved a
    lean that many times, or at `seconds`, whichever comes first.
    """
    stack.start_nginx(stack.app_ports[:servers])
    run = stack.directory / f"load-{servers}-{uuid.uuid4().hex[:6]}"
    (run / "acknowledged").mkdir(parents=True)
    owners = run / "owners.json"
    owners.write_text(json.dumps([owner.__dict__ for owner in stack.owners]))
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--users", str(clients), "--spawn-rate", str(clients), "--run-time", f"{seconds:g}s",
        # Each person finishes the request under way, then stops.
        "--stop-timeout", str(REQUEST_TIMEOUT),
        "--host", f"https://127.0.0.1:{stack.nginx_port}",
        # The JSON report is written once every person has stopped (the CSV may miss the end).
        "--json-file", str(run / "locust"), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {
        **os.environ,
        "LEANLOG_LOADTEST_OWNERS": str(owners),
        "LEANLOG_LOADTEST_RECORD": str(run / "acknowledged"),
        "LEANLOG_LOADTEST_ROUNDS": str(rounds),
    }
    # locust exits 1 when a request failed: the failures are read from its CSV below.
    finished = subprocess.run(
        command,
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + REQUEST_TIMEOUT * 3,
        check=False,
    )
    if not (run / "locust.json").exists():
        raise RuntimeError(f"locust did not run ({finished.returncode}):\n{finished.stderr[-3000:]}")
    stats, errors, span = read_stats(run / "locust.json", run / "acknowledged")
    if finished.returncode not in (0, 1) or (finished.returncode == 1 and not errors):
        errors.append(f"locust exited with {finished.returncode}: {finished.stderr[-1000:]}")
    acknowledged = acknowledged_leans(run / "acknowledged")
    # Requests per second over the time requests were made: locust's start-up is not load.
    result = Result(servers, span or seconds, stats, errors, acknowledged)
    result.missing = acknowledged - stack.stored_leans()
    result.load_average = os.getloadavg()[0]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of each load run (default 20)")
    parser.add_argument("--clients", type=int, default=16, help="people at once (default 16)")
    parser.add_argument("--owners", type=int, default=24, help="owners, each with a dog (default 24)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server (default 2)")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("LEANLOG_LOADTEST_PORT", "0")),
        help="first of 4 local ports (nginx TLS, nginx redirect, 2 app servers); 0: any free",
    )
    args = parser.parse_args()
    if args.seconds > 90:
        parser.error("--seconds: at most 90, so that a run stays within a few minutes")
    with tempfile.TemporaryDirectory(prefix="leanlog-loadtest-") as directory:
        try:
            stack = Stack(Path(directory), owners_to_seed=args.owners, workers=args.workers, port=args.port)
            with stack:
                print(
                    f"nginx on https://127.0.0.1:{stack.nginx_port} -> app servers on {stack.app_ports}, "
                    f"{args.workers} workers each; PostgreSQL and Redis on 127.0.0.1"
                )
                for line in check_consistency(stack):
                    print(f"  consistent: {line}")
                for line in check_proxy(stack):
                    print(f"  proxy: {line}")
                results = []
                for servers in (1, 2):
                    result = run_load(stack, servers=servers, seconds=args.seconds, clients=args.clients)
                    print(result.table())
                    results.append(result)
        except Unavailable as error:
            print(f"loadtest: cannot run: {error}", file=sys.stderr)
            return 2
        failed = [r for r in results if r.errors or r.missing]
        for result in failed:
            print(
                f"{result.servers} server(s): errors {result.errors[:10]}, "
                f"missing leans {sorted(result.missing)[:10]}"
            )
        if failed:
            print(stack.logs(), file=sys.stderr)
            return 1
        print("\nFor the README (latencies in ms, p50 / p95):\n")
        print(MARKDOWN_HEADER)
        for result in results:
            print(result.markdown_row())
        print("\nOK: zero errors, every acknowledged lean stored.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
