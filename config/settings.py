"""Leanlog settings, read from the environment.

Every setting that differs between a laptop and a server comes from an environment
variable; the README lists them all. Bad values fail loudly at start-up.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: str) -> bool:
    """Read 1/0 (or true/false, yes/no) from the environment."""
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", "1")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 Leanlog refuses to start "
            "without a secret key: generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    # Without a host name every request would answer 400: say why at start-up instead.
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. With DJANGO_DEBUG=0 list the host names Leanlog "
        "answers to, comma-separated, e.g. DJANGO_ALLOWED_HOSTS=leanlog.example."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

LEANLOG_ALLOW_SIGNUP = env_bool("LEANLOG_ALLOW_SIGNUP", "1")

INSTALLED_APPS = [
    # Django's admin, whose site asks staff for a second factor (config/admin_site.py).
    "config.apps.LeanlogAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its Swagger UI files are served from our own static files, not a CDN (CSP).
    "ninja",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    # The second factor: authenticator apps (TOTP) and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys (WebAuthn): a second factor, and a sign-in of their own (accounts/two_factor/passkeys.py).
    "django_otp_webauthn",
    "accounts",
    "dogs",
    "journal",
    "sharing",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First: a visitor's own X-Forwarded-* headers are gone before anything reads them.
    "config.middleware.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that writes the body: it compresses the finished page.
    "config.middleware.PageCompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language first; OwnerLanguageMiddleware puts a signed-in person's own choice over it.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.OwnerTimeZoneMiddleware",
    "config.middleware.OwnerLanguageMiddleware",
    "config.middleware.PrivacyHeadersMiddleware",
    # Inside the others, so that its 503 page still gets every security header.
    "config.middleware.StorageFailureMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Inside the CSRF middleware (its sign-out button needs a token) and the headers' ones.
    "config.middleware.MethodNotAllowedPageMiddleware",
    # Axes goes last so that it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.serving.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "config.context_processors.leanlog",
            ],
            # {% icon %} is on every page: a builtin spares each template a {% load %}.
            "builtins": ["dogs.templatetags.icons"],
        },
    },
]

# Databases: SQLite by default so that a fresh clone runs; DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("LEANLOG_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction begins, so two writers queue
        # on the busy timeout instead of failing with "database is locked" mid-transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }

# The cache holds rendered reports and the throttles' counts (accounts/throttle.py). The report's
# key names every fact it depends on, so correctness never rests on the cache being shared.
# With REDIS_URL every app server shares one cache, so each report is built once per change
# and the throttles count across servers; without it each process keeps its own in memory
# (entries are tens of kilobytes; the oldest go first).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis that is down answers like an empty cache (config/cache.py).
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("LEANLOG_CACHE_PREFIX", "leanlog"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "leanlog",
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "dogs.Owner"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Signs in the owner of a passkey that just proved itself (accounts/two_factor/passkey_views.py).
    "django_otp_webauthn.backends.WebAuthnBackend",
]
# Django's four rules, with messages in Leanlog's own words (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.NotLikeTheUsername"},
    {"NAME": "accounts.passwords.MinimumLength", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.passwords.NotCommon"},
    {"NAME": "accounts.passwords.NotOnlyDigits"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dogs:home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in protection: 5 failed attempts for one username from one address lock that
# pair out for 15 minutes; other owners and other addresses are unaffected.
# The name authenticator apps show beside a Leanlog code.
OTP_TOTP_ISSUER = "Leanlog"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False

# Behind a reverse proxy every request comes from the proxy's address, which would make
# one attacker's failures lock the username out for everyone. Each of the
# LEANLOG_PROXY_COUNT trusted proxies appends the address it saw to X-Forwarded-For, so
# the client is that many entries from the right; entries further left were written by
# the client itself and are never trusted. The header (and X-Forwarded-Proto) is believed
# only from a peer in LEANLOG_PROXY_IPS: a visitor who reaches the app server directly
# would otherwise name a new address on every request (accounts/throttle.py client_address).
LEANLOG_BEHIND_PROXY = env_bool("LEANLOG_BEHIND_PROXY", "0")
LEANLOG_PROXY_COUNT = env_int("LEANLOG_PROXY_COUNT", 1 if LEANLOG_BEHIND_PROXY else 0)


def env_networks(name: str, default: str) -> list[str]:
    """Read comma-separated addresses or CIDR networks from the environment."""
    networks = env_list(name, default)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must list addresses or networks, not {network!r}.") from None
    return networks


# gunicorn's forwarded_allow_ips reads the same variable with the same default (config/serving/gunicorn.py).
DEFAULT_PROXY_IPS = "127.0.0.1,::1"
LEANLOG_PROXY_IPS = env_networks("LEANLOG_PROXY_IPS", DEFAULT_PROXY_IPS)

AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_address"

# English, German and Spanish. A signed-in person's own choice (Owner.language) wins; otherwise,
# and for a vet opening a shared link, the browser's Accept-Language decides (docs/languages.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates and numbers as Leanlog has always shown them: British (7 Dec 2026, weeks from Monday).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = os.environ.get("LEANLOG_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic gathers the files that whitenoise (or nginx, deploy/nginx/leanlog.conf) serves.
# The weight test (tests/browser/test_weight.py) points it elsewhere with LEANLOG_STATIC_ROOT.
STATIC_ROOT = Path(os.environ.get("LEANLOG_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "config.storage.StaticFiles"
        )
    },
}

# Whitenoise follows the DEBUG read here, not the one the test runner switches off later:
# otherwise tests warn (an error under pytest) about a STATIC_ROOT that collectstatic never made.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
# Files served at the site's root: browsers and crawlers ask for /favicon.ico whatever the page says.
WHITENOISE_ROOT = BASE_DIR / "public"
# collectstatic compresses each file once (gzip and brotli): only the hashed names the pages link
# to, and no source maps, which only a developer's tools fetch. It takes a fraction of the time.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# Browsers read the web app manifest only with its own media type.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", "1")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Leanlog <leanlog@localhost>")
# Where links in reminder mail point: the address people open Leanlog at.
LEANLOG_SITE_URL = os.environ.get("LEANLOG_SITE_URL", "http://127.0.0.1:8000")

# Passkeys belong to the host name of LEANLOG_SITE_URL and are accepted from its origin only.
# Browsers take passkeys on https:// or on localhost, never on a bare IP address: a site URL on
# this machine's loopback address (make run's 127.0.0.1) gives them http://localhost instead.
# A browser opened on localhost at another port (the browser tests) uses its own origin
# (accounts/two_factor/passkeys.py).
_site = urlsplit(LEANLOG_SITE_URL)
_passkey_host = "localhost" if _site.hostname in ("127.0.0.1", "::1", None) else _site.hostname
OTP_WEBAUTHN_RP_ID = _passkey_host
OTP_WEBAUTHN_RP_NAME = "Leanlog"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [
    f"{_site.scheme or 'http'}://{_passkey_host}" + (f":{_site.port}" if _site.port else "")
]
OTP_WEBAUTHN_HELPER_CLASS = "accounts.two_factor.passkeys.PasskeyHelper"
if not OTP_WEBAUTHN_ALLOWED_ORIGINS[0].startswith(("https://", "http://localhost")):
    # A plain-http site elsewhere than localhost: browsers offer no passkeys there (the page hides
    # its passkey buttons), which the library's check would otherwise call an error at startup.
    SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E031"]

# Web push for reminders (VAPID). Make a key pair once with `vapid --gen` (py-vapid) or see the
# README; without both keys reminders go by email only.
LEANLOG_VAPID_PUBLIC_KEY = os.environ.get("LEANLOG_VAPID_PUBLIC_KEY", "").strip()
LEANLOG_VAPID_PRIVATE_KEY = os.environ.get("LEANLOG_VAPID_PRIVATE_KEY", "").strip()
LEANLOG_VAPID_SUBJECT = os.environ.get("LEANLOG_VAPID_SUBJECT", "mailto:leanlog@localhost")
# The only hosts web push is sent to (https, port 443): the browsers' own push services. An entry
# "*.example.com" takes any name ending in ".example.com" but not example.com itself; any other
# entry takes that exact name only. A subscription elsewhere is refused and never contacted.
LEANLOG_PUSH_HOSTS = [
    host.lower()
    for host in env_list(
        "LEANLOG_PUSH_HOSTS",
        "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,*.notify.windows.com",
    )
]
if bool(LEANLOG_VAPID_PUBLIC_KEY) != bool(LEANLOG_VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured(
        "Set both LEANLOG_VAPID_PUBLIC_KEY and LEANLOG_VAPID_PRIVATE_KEY for web push, or neither."
    )

# Refuse oversize bodies early: a journal form is a few kilobytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# The CSV import is the only form that takes a file, one at a time; the handler refuses a file
# sent anywhere else and keeps no more of one than the import can take.
DATA_UPLOAD_MAX_NUMBER_FILES = 1
FILE_UPLOAD_HANDLERS = ["journal.imports.uploads.ImportOnlyUploadHandler"]
# REST API requests per token per minute (api/api.py).
LEANLOG_API_RATE_PER_MINUTE = env_int("LEANLOG_API_RATE_PER_MINUTE", 120)

# Security headers on every response.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Production strictness switches on with DEBUG off.
# LEANLOG_HTTPS=0 is for serving over plain HTTP on a machine or home network (`make run`):
# Secure-only cookies and HSTS would lock people out of a site that has no HTTPS.
LEANLOG_HTTPS = env_bool("LEANLOG_HTTPS", "1")
if not DEBUG and LEANLOG_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("LEANLOG_SSL_REDIRECT", "1")
    # Behind a proxy that terminates TLS and sets X-Forwarded-Proto (see README).
    if LEANLOG_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("LEANLOG_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy: nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hide_tokens": {"()": "config.log_filters.HideTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["hide_tokens"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Django's own handlers (its DEBUG console, runserver's request lines) know nothing of the
    # filter: its loggers write through ours instead.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
