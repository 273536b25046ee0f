"""App configuration for visitors' contributions."""

from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "hub.contributions"
    verbose_name = "Contributions"
