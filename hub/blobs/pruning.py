"""Removing blobs that no contribution came to claim: abandoned uploads and orphans, after a grace period."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from hub.blobs.ingest import TEMPORARY_PREFIX, TEMPORARY_SUFFIX, delete_unused_blob, uploads_dir
from hub.blobs.models import Blob


def _cutoff(hours: int | None, now):
    hours = settings.AGORA_HUB_BLOB_UNREFERENCED_HOURS if hours is None else hours
    return (now or timezone.now()) - timedelta(hours=hours)


def unreferenced(hours: int | None = None, now=None):
    """Blobs untouched for `hours` (AGORA_HUB_BLOB_UNREFERENCED_HOURS) that no contribution lists."""
    return Blob.objects.filter(updated_at__lt=_cutoff(hours, now), uses__isnull=True)


def prune(hours: int | None = None, now=None, dry_run: bool = False) -> list[Blob]:
    """The blobs removed (or that would be, with dry_run)."""
    cutoff = _cutoff(hours, now)
    doomed = list(unreferenced(hours, now))
    if dry_run:
        return doomed
    # Each one is checked again under its lock: a contribution or an upload may have claimed it meanwhile.
    removed = [blob for blob in doomed if delete_unused_blob(blob, cutoff)]
    _orphan_partials(cutoff)
    _half_written_copies(cutoff)
    return removed


def _orphan_partials(cutoff) -> None:
    """Partial files whose record is gone (a crash between the two) age out like the rest."""
    for part in uploads_dir().glob("*.part"):
        if part.stat().st_mtime < cutoff.timestamp() and not Blob.objects.filter(pk=part.stem).exists():
            part.unlink(missing_ok=True)


def _half_written_copies(cutoff) -> None:
    """Temporary copies a crash left beside the stored blobs (hub.blobs.ingest writes them, then renames)."""
    try:
        blobs = Path(default_storage.path("blobs"))
    except NotImplementedError:
        return  # an object store writes whole objects: nothing is left half-written
    for leftover in blobs.glob(f"*/{TEMPORARY_PREFIX}*{TEMPORARY_SUFFIX}"):
        try:
            if leftover.stat().st_mtime < cutoff.timestamp():
                leftover.unlink()
        except FileNotFoundError:
            continue  # renamed into place or removed a moment ago
