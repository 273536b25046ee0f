"""App configuration for media blobs."""

from django.apps import AppConfig


class BlobsConfig(AppConfig):
    name = "hub.blobs"
    verbose_name = "Media blobs"
