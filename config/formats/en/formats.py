"""English as Leanlog writes it: Django's British formats (day before month, weeks from Monday)."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
