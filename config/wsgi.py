"""WSGI entry point: `gunicorn config.wsgi:application`."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from config import memory

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
# Loaded: what is loaded stays, and the pages' many short-lived objects are collected less often.
memory.settle()
