"""App configuration for paired kiosks."""

from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "hub.devices"
    verbose_name = "Kiosks"
