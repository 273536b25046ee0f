"""Receiving a contribution from a kiosk: resends are harmless, a reused uuid with another body is refused."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction

from hub.blobs.models import Blob
from hub.contributions.models import Contribution, ContributionMedia
from hub.devices.models import Device
from hub.isotime import parse_iso
from hub.museum.models import Exhibit, Prompt


class Invalid(ValueError):
    """One field of the payload cannot be accepted; `field` names it for the 422 answer."""

    def __init__(self, field: str, message: str, kind: str = "value_error"):
        super().__init__(message)
        self.field = field
        self.message = message
        self.kind = kind


class MissingBlobs(Exception):
    """Some listed blobs are not complete on the hub yet; the kiosk uploads them and sends again."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


class Conflict(Exception):
    """The uuid is already taken by a different body; nothing was changed."""

    def __init__(self, existing: Contribution):
        super().__init__(str(existing.uuid))
        self.existing = existing


def body_digest(payload: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON body, so that an identical resend is recognised whatever its key order."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def receive(device: Device, payload: dict[str, Any]) -> tuple[Contribution, bool]:
    """The stored contribution and whether it is new. Raises Invalid, MissingBlobs or Conflict.

    The existing record is looked up before the exhibit is checked, so a kiosk resending after a lost
    answer gets its receipt even if a curator has since changed the exhibits. A contribution is stored
    only with all its blobs complete, so the curator queue never shows one with a photo still on its way.
    """
    digest = body_digest(payload)
    existing = Contribution.objects.filter(uuid=payload["uuid"]).first()
    if existing is None:
        fields = _fields(device, payload, digest)
        blobs = _blobs(payload.get("media") or [])
        try:
            with transaction.atomic():
                contribution = Contribution.objects.create(uuid=payload["uuid"], **fields)
                ContributionMedia.objects.bulk_create(
                    ContributionMedia(contribution=contribution, blob=blob, position=position, kind=blob.kind)
                    for position, blob in enumerate(blobs)
                )
            # What was just stored, in the kiosk's order: the receipt needs no second look at the table.
            contribution._blob_hashes = [blob.sha256 for blob in blobs]
            return contribution, True
        except IntegrityError:
            # Another request stored the same uuid between our read and our insert.
            existing = Contribution.objects.get(uuid=payload["uuid"])
    if existing.body_digest != digest:
        raise Conflict(existing)
    return existing, False


def blob_hashes(contribution: Contribution) -> list[str]:
    """The receipt's "blobs": every blob the hub holds for this contribution, in the kiosk's order."""
    known = getattr(contribution, "_blob_hashes", None)
    if known is not None:
        return list(known)
    return list(contribution.media.order_by("position").values_list("blob_id", flat=True))


def _blobs(media: list[dict[str, Any]]) -> list[Blob]:
    wanted = [item["sha256"] for item in media]
    held = Blob.objects.filter(pk__in=wanted, complete=True).in_bulk()
    missing = [sha for sha in wanted if sha not in held]
    if missing:
        raise MissingBlobs(missing)
    for position, item in enumerate(media):
        blob = held[item["sha256"]]
        if blob.size != item["size"] or blob.content_type != item["type"] or blob.kind != item["kind"]:
            raise Invalid(
                "media",
                f"media[{position}] says {item['size']} bytes of {item['type']} ({item['kind']}), but the hub holds "
                f"that blob as {blob.size} bytes of {blob.content_type} ({blob.kind}); describe it as uploaded.",
                "media_mismatch",
            )
    return [held[sha] for sha in wanted]


def _fields(device: Device, payload: dict[str, Any], digest: str) -> dict[str, Any]:
    # Inactive exhibits and prompts are still accepted: a kiosk with yesterday's list must not lose a story.
    # One query for both: the prompt with its exhibit, or else whether the exhibit exists at all.
    prompt = (
        Prompt.objects.select_related("exhibit")
        .filter(exhibit__slug=payload["exhibit"], slug=payload["prompt"])
        .order_by()
        .first()
    )
    exhibit = prompt.exhibit if prompt is not None else Exhibit.objects.filter(slug=payload["exhibit"]).first()
    if exhibit is None:
        raise Invalid(
            "exhibit",
            f"Unknown exhibit {payload['exhibit']!r}; fetch the current list from /api/v1/kiosk/config.",
            "unknown_exhibit",
        )
    if prompt is None:
        raise Invalid(
            "prompt",
            f"Unknown prompt {payload['prompt']!r} for the exhibit {exhibit.slug!r}; "
            "fetch the current list from /api/v1/kiosk/config.",
            "unknown_prompt",
        )
    return {
        "device": device,
        "exhibit": exhibit,
        "prompt": prompt,
        "language": payload["language"],
        "text": payload["text"].strip(),
        "author_name": payload["author_name"].strip(),
        "consent": payload["consent"],
        "licence": payload["licence"],
        "created_at": parse_iso(payload["created_at"]),
        "clock_synchronised": payload["clock_synchronised"],
        "body_digest": digest,
    }
