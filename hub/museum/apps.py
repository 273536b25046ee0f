"""App configuration for the museum's exhibits."""

from django.apps import AppConfig


class MuseumConfig(AppConfig):
    name = "hub.museum"
    verbose_name = "Museum"
