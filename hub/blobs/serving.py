"""Serving blobs: published ones to anyone, any complete one to signed-in curators, never a partial one."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from hub.blobs.ingest import ensure_thumbnail
from hub.blobs.models import Blob
from hub.contributions.models import Contribution
from hub.curation.views import curator_only


def _serve(blob: Blob, name: str, content_type: str, cache: str) -> FileResponse:
    if not name:
        raise Http404("This blob has no such file.")
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("The file of this blob is missing from the storage.") from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    # Never run as a page on the hub's origin, whatever the bytes say.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _published_blob(uuid, sha256: str) -> Blob:
    contribution = get_object_or_404(Contribution.objects.published(), uuid=uuid)
    return get_object_or_404(Blob, pk=sha256, complete=True, uses__contribution=contribution)


@require_safe
def published(request, uuid, sha256: str):
    blob = _published_blob(uuid, sha256)
    return _serve(blob, blob.file, blob.content_type, "public, max-age=3600")


@require_safe
def published_thumbnail(request, uuid, sha256: str):
    blob = _published_blob(uuid, sha256)
    return _serve(blob, ensure_thumbnail(blob), "image/jpeg", "public, max-age=3600")


@require_safe
@curator_only
def for_curators(request, sha256: str):
    blob = get_object_or_404(Blob, pk=sha256, complete=True)
    return _serve(blob, blob.file, blob.content_type, "private, no-store")


@require_safe
@curator_only
def thumbnail_for_curators(request, sha256: str):
    blob = get_object_or_404(Blob, pk=sha256, complete=True)
    return _serve(blob, ensure_thumbnail(blob), "image/jpeg", "private, no-store")
