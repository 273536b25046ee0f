"""Building absolute URLs for API answers, from AGORA_HUB_PUBLIC_URL when set, else from the request."""

from __future__ import annotations

from django.conf import settings


def absolute(request, path: str) -> str:
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)
