"""Taking in a kiosk's export folder (agora-export/1) through the same checks as the API, idempotently."""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from pydantic import ValidationError

from hub.api.schemas import ContributionIn
from hub.blobs.ingest import BlobRefused, Chunk, receive_chunk
from hub.contributions.receiving import Conflict, Invalid, MissingBlobs, receive
from hub.devices.models import Device
from hub.devices.tokens import new_token, sha256_hex

FORMAT = "agora-export/1"
USB_IMPORT_NAME = "USB import"
# A fixed id, so the "USB import" record is created once whatever its name becomes.
USB_IMPORT_ID = uuidlib.uuid5(uuidlib.NAMESPACE_URL, "https://agora.invalid/devices/usb-import")
_SHA = re.compile(r"^[0-9a-f]{64}$")


class ExportUnreadable(ValueError):
    """The folder is not an export this hub can read; the message says why."""


@dataclass
class ImportReport:
    blobs_new: int = 0
    blobs_known: int = 0
    created: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportUnreadable(f"{path} does not exist; give the agora-export-… folder the kiosk wrote.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ExportUnreadable(f"{path} is not valid JSON ({error}); export it again from the kiosk.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ExportUnreadable(f"{path} is not an {FORMAT} manifest; this hub reads only that format.")
    if not isinstance(manifest.get("contributions"), list) or not isinstance(manifest.get("blobs", []), list):
        raise ExportUnreadable(f"{path} lacks its list of contributions or blobs; export it again from the kiosk.")
    return manifest


def device_for(manifest: dict) -> Device:
    """The kiosk that made the export if this hub paired it, else the one "USB import" record."""
    device_id = manifest.get("device_id")
    try:
        known = Device.objects.filter(pk=uuidlib.UUID(str(device_id))).first() if device_id else None
    except ValueError:
        known = None
    if known is not None:
        return known
    # Its token is thrown away at once: nothing can ever sign in as this record.
    device, _ = Device.objects.get_or_create(
        pk=USB_IMPORT_ID,
        defaults={"name": USB_IMPORT_NAME, "token_hash": sha256_hex(new_token()), "authorised_at": timezone.now()},
    )
    return device


def import_folder(folder: Path) -> ImportReport:
    manifest = read_manifest(folder)
    device = device_for(manifest)
    report = ImportReport()
    for entry in manifest.get("blobs", []):
        _import_blob(folder, device, entry, report)
    for payload in manifest["contributions"]:
        _import_contribution(device, payload, report)
    return report


def _import_blob(folder: Path, device: Device, entry: dict, report: ImportReport) -> None:
    sha = str(entry.get("sha256", "")) if isinstance(entry, dict) else ""
    if not _SHA.match(sha):
        report.refused.append((f"blob {sha or '?'}", "its sha256 is not 64 lower-case hex digits"))
        return
    path = folder / "blobs" / sha  # only this name is read, whatever the manifest says, so no path escapes
    if not path.is_file():
        report.refused.append((f"blob {sha}", f"{path} is missing from the export"))
        return
    size = path.stat().st_size
    with open(path, "rb") as handle:
        try:
            held, created = receive_chunk(device, sha, Chunk(str(entry.get("type", "")), 0, size, size, handle.read))
        except BlobRefused as refusal:
            report.refused.append((f"blob {sha}", refusal.message))
            return
    if created:
        report.blobs_new += 1
    else:
        report.blobs_known += 1


def _import_contribution(device: Device, payload, report: ImportReport) -> None:
    label = str(payload.get("uuid", "?")) if isinstance(payload, dict) else "?"
    try:
        checked = ContributionIn.model_validate(payload)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
                             for problem in error.errors())
        report.refused.append((label, problems))
        return
    try:
        _, created = receive(device, checked.model_dump())
    except Invalid as invalid:
        report.refused.append((label, f"{invalid.field}: {invalid.message}"))
        return
    except MissingBlobs as missing:
        report.refused.append((label, f"blobs missing from the export: {', '.join(missing.missing)}"))
        return
    except Conflict:
        report.refused.append((label, "a different contribution with this uuid is already on the hub"))
        return
    (report.created if created else report.already).append(label)
