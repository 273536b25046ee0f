"""App configuration for the curators' pages."""

from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "hub.curation"
    verbose_name = "Curation"
