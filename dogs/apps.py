from __future__ import annotations

from django.apps import AppConfig
from django.urls import register_converter

from dogs.converters import IdConverter


class DogsConfig(AppConfig):
    name = "dogs"
    verbose_name = "Dogs and owners"

    def ready(self) -> None:
        # Before any URLconf is read: every id in a path is an <id:...>.
        register_converter(IdConverter, "id")
