"""Where the hub keeps files: the data folder by default, an S3-compatible bucket when AGORA_HUB_S3_BUCKET is set."""

from __future__ import annotations

import os
from collections.abc import Mapping

from hub.env import EnvError, envbool, envsecret, envstr

_STATIC = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def hub_storages(environ: Mapping[str, str] = os.environ) -> dict:
    """Django's STORAGES setting. Blobs and exhibit images share the default storage."""
    bucket = envstr("AGORA_HUB_S3_BUCKET", environ=environ)
    if not bucket:
        # No fixed location: FileSystemStorage follows MEDIA_ROOT (under the data folder).
        return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": _STATIC}
    try:
        import storages.backends.s3  # noqa: F401 - only checks that django-storages and boto3 are installed
    except ImportError:
        raise EnvError(
            "AGORA_HUB_S3_BUCKET is set but django-storages is not installed; "
            "run `pip install django-storages boto3`."
        ) from None
    options = {
        "bucket_name": bucket,
        "access_key": envsecret("AGORA_HUB_S3_ACCESS_KEY_ID", environ=environ),
        "secret_key": envsecret("AGORA_HUB_S3_SECRET_ACCESS_KEY", environ=environ),
        "endpoint_url": envstr("AGORA_HUB_S3_ENDPOINT_URL", environ=environ) or None,
        "region_name": envstr("AGORA_HUB_S3_REGION", environ=environ) or None,
        "location": envstr("AGORA_HUB_S3_PREFIX", environ=environ).strip("/"),
        # Visitors' media must never be world-readable: objects stay private, links are signed and short-lived.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 3600,
        "file_overwrite": False,
        "addressing_style": "path" if envbool("AGORA_HUB_S3_PATH_STYLE", False, environ=environ) else None,
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
        "staticfiles": _STATIC,
    }
