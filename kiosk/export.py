"""Export every undelivered contribution with its media to a folder (a USB stick) for `agora-hub import`."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kiosk.clock import iso_utc
from kiosk.contribution import Contribution
from kiosk.device import Device
from kiosk.disk import describe_bytes, free_bytes
from kiosk.fsutil import TEMP_SUFFIX, atomic_write_json, commit_temp_file, fsync_dir, write_temp_file
from kiosk.store import Store

log = logging.getLogger(__name__)

EXPORT_FORMAT = "agora-export/1"
MANIFEST = "manifest.json"
BLOBS_DIR = "blobs"
# Room kept on the stick beyond the files themselves, for the manifest and the file system's own needs.
_MARGIN = 1024 * 1024


class ExportError(Exception):
    """The export could not be written; nothing was left half-written at the destination."""


@dataclass
class ExportResult:
    path: Path | None
    contributions: list[str] = field(default_factory=list)  # uuids written
    blobs: int = 0
    bytes: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (uuid, reason) left out


def export_undelivered(
    store: Store,
    destination: Path,
    device: Device | None,
    clock: Callable[[], float] = time.time,
    free_space: Callable[[Path], int] = free_bytes,
) -> ExportResult:
    """Write `destination/agora-export-<device>-<time>/` (manifest + blobs); the store itself is not changed.

    Everything goes into a temp folder first and the manifest is written last; the folder gets its final
    name only when complete, so a stick pulled out too early never holds an export that looks whole.
    Exported contributions stay pending: the hub answers a later network sync of them as a resend.
    """
    destination = Path(destination)
    if not destination.is_dir():
        raise ExportError(f"{destination} is not a folder; plug in the USB stick and give the folder it is "
                          "mounted on, e.g. --to /media/usb")
    pending = store.pending()
    result = ExportResult(path=None)
    if not pending:
        return result
    blobs = {item.sha256: item for contribution in pending for item in contribution.media}
    needed = sum(item.size for item in blobs.values()) + _MARGIN
    free = free_space(destination)
    if free < needed:
        raise ExportError(f"{destination} has {describe_bytes(free)} free but the export needs about "
                          f"{describe_bytes(needed)}; use a larger stick or free some space on it")
    now = clock()
    name = f"agora-export-{device.device_id if device else 'unpaired'}-" \
           f"{datetime.fromtimestamp(now, UTC).strftime('%Y%m%dT%H%M%SZ')}"
    final = destination / name
    if final.exists():
        raise ExportError(f"{final} already exists; wait a second and export again")
    work = destination / f".{name}{TEMP_SUFFIX}"
    try:
        work.mkdir()
        (work / BLOBS_DIR).mkdir()
        damaged = {}
        for sha256 in sorted(blobs):
            problem = _copy_blob(store, sha256, blobs[sha256].size, work / BLOBS_DIR / sha256)
            if problem:
                damaged[sha256] = problem
        included = []
        for contribution in pending:
            problems = [damaged[item.sha256] for item in contribution.media if item.sha256 in damaged]
            if problems:
                result.skipped.append((contribution.uuid, "; ".join(problems)))
                continue
            included.append(contribution)
        used = _remove_unused_blobs(work / BLOBS_DIR, included)
        result.blobs, result.bytes = len(used), sum(blobs[sha256].size for sha256 in used)
        atomic_write_json(work / MANIFEST, _manifest(included, device, now), mode=0o644)
        fsync_dir(work)
        os.rename(work, final)
        fsync_dir(destination)
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        raise ExportError(f"could not write the export to {destination}: {error}; nothing was exported") \
            from error
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.path = final
    result.contributions = [contribution.uuid for contribution in included]
    log.info("Exported %d contributions to %s", len(included), final)
    return result


def _manifest(contributions: list[Contribution], device: Device | None, now: float) -> dict:
    blobs = {item.sha256: item for contribution in contributions for item in contribution.media}
    return {
        "format": EXPORT_FORMAT,
        "device_id": device.device_id if device else None,
        "device_name": device.name if device else None,
        "exported_at": iso_utc(now),
        "contributions": [contribution.payload() for contribution in contributions],
        "blobs": [{"sha256": sha256, "size": item.size, "type": item.type, "path": f"{BLOBS_DIR}/{sha256}"}
                  for sha256, item in sorted(blobs.items())],
    }


def _copy_blob(store: Store, sha256: str, size: int, target: Path) -> str | None:
    """Copy one media file, checking its bytes on the way; why it cannot be exported, or None."""
    digest = hashlib.sha256()
    copied = 0

    def chunks() -> Iterator[bytes]:
        nonlocal copied
        with store.open_media(sha256) as source:
            while chunk := source.read(1024 * 1024):
                digest.update(chunk)
                copied += len(chunk)
                yield chunk

    try:
        temp = write_temp_file(target.parent, chunks(), name=sha256)
    except FileNotFoundError:
        return f"media {sha256} is missing on the kiosk"
    if digest.hexdigest() != sha256 or copied != size:
        temp.unlink()
        return f"media {sha256} is damaged on the kiosk"
    commit_temp_file(temp, target)
    return None


def _remove_unused_blobs(folder: Path, contributions: list[Contribution]) -> set[str]:
    # A good photo of a contribution left out (its other media was damaged) has no place in the export.
    used = {item.sha256 for contribution in contributions for item in contribution.media}
    for path in folder.iterdir():
        if path.name not in used:
            path.unlink()
    return used
