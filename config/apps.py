"""Django's admin app with Leanlog's site (config/admin_site.py); its own module, loaded before any model."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class LeanlogAdminConfig(AdminConfig):
    default_site = "config.admin_site.LeanlogAdminSite"
