from __future__ import annotations

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.urls import register_converter
from django.utils import translation

from dogs.converters import IdConverter


class DogsConfig(AppConfig):
    name = "dogs"
    verbose_name = "Dogs and owners"

    def ready(self) -> None:
        # Before any URLconf is read: every id in a path is an <id:...>.
        register_converter(IdConverter, "id")
        user_logged_in.connect(remember_browser_language, dispatch_uid="remember_browser_language")


def remember_browser_language(sender, request, user, **kwargs) -> None:
    """At each sign-in, the browser's language, for the mail and reminders sent with no request."""
    if request is None:
        return
    language = translation.get_language_from_request(request)
    if language != user.browser_language:
        user.browser_language = language
        type(user).objects.filter(pk=user.pk).update(browser_language=language)
