"""The kiosk's side of the wire protocol: pairing, its config and gallery, uploading contributions."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from ninja import Query, Router, Status
from ninja.errors import ValidationError

from hub.api.public import item, published_items
from hub.api.schemas import (
    ConfigOut,
    ContributionIn,
    Error,
    GalleryOut,
    MissingBlobs,
    PairIn,
    PairOut,
    ReceiptOut,
    ValidationErrors,
)
from hub.api.urls import absolute
from hub.contributions.receiving import Conflict, Invalid, blob_hashes, receive
from hub.contributions.receiving import MissingBlobs as Missing
from hub.devices.auth import DeviceToken
from hub.devices.pairing import PairingRefused, redeem
from hub.isotime import iso_z
from hub.museum.models import Exhibit, Prompt
from sync.protocol import LANGUAGES, is_uuid

router = Router(tags=["kiosk"], auth=DeviceToken())

# Every call with a device token may also be refused because the kiosk awaits authorisation or sent too much.
AUTH_ERRORS = {401: Error, 403: Error, 429: Error}
BODY_ERRORS = {415: Error, 422: ValidationErrors}
MAX_GALLERY = 50


@router.post(
    "/pair", auth=None, response={201: PairOut, 400: Error, 429: Error, **BODY_ERRORS}, summary="Pair a kiosk"
)
def pair(request, payload: PairIn):
    """Trade a one-time pairing code for this kiosk's device token. Unless the code was made to authorise at
    once, the kiosk then waits (403 on every call) until a curator authorises it on the devices page."""
    try:
        device, token = redeem(payload.code, payload.name)
    except PairingRefused as refusal:
        return Status(400, {"detail": str(refusal)})
    return Status(201, {"device_id": str(device.id), "token": token, "hub_name": settings.MUSEUM_NAME})


@router.get("/config", response={200: ConfigOut, 304: None, **AUTH_ERRORS}, summary="Exhibits, prompts, timeouts")
def config(request):
    """The active exhibits and prompts in display order, with absolute image URLs, the languages, the kiosk's
    timeouts and its attract screen. Answers carry an ETag; send it back in If-None-Match to get 304."""
    exhibits = list(
        Exhibit.objects.active().prefetch_related(
            Prefetch("prompts", queryset=Prompt.objects.active(), to_attr="active_prompts")
        )
    )
    body = {
        "museum": {"name": settings.MUSEUM_NAME},
        "languages": list(LANGUAGES),
        "exhibits": [_exhibit(request, exhibit) for exhibit in exhibits],
        "timeouts": {
            "idle_seconds": settings.AGORA_HUB_KIOSK_IDLE_SECONDS,
            "thanks_seconds": settings.AGORA_HUB_KIOSK_THANKS_SECONDS,
        },
        "attract": {
            "title": settings.AGORA_HUB_ATTRACT_TITLE,
            "text": settings.AGORA_HUB_ATTRACT_TEXT,
            "images": [absolute(request, exhibit.image.url) for exhibit in exhibits if exhibit.image],
        },
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
    etag = '"' + hashlib.sha256(canonical).hexdigest()[:32] + '"'
    if etag in _etags(request.headers.get("If-None-Match", "")):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(canonical, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def _etags(header: str) -> set[str]:
    tags = {tag.strip() for tag in header.split(",") if tag.strip()}
    return tags | {tag.removeprefix("W/") for tag in tags}


def _exhibit(request, exhibit: Exhibit) -> dict:
    return {
        "slug": exhibit.slug,
        "title": {"fr": exhibit.title_fr, "en": exhibit.title_en},
        "description": {"fr": exhibit.description_fr, "en": exhibit.description_en},
        "image_url": absolute(request, exhibit.image.url) if exhibit.image else None,
        "image_credit": exhibit.image_credit,
        "prompts": [
            {"id": prompt.slug, "text": {"fr": prompt.text_fr, "en": prompt.text_en}}
            for prompt in exhibit.active_prompts
        ],
    }


@router.get("/gallery", response={200: GalleryOut, 422: ValidationErrors, **AUTH_ERRORS}, summary="Recent stories")
def gallery(
    request, exhibit: str | None = Query(None, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$"),
    limit: int = Query(12, ge=1, le=MAX_GALLERY),
):
    """Recently published stories for the kiosk to show, newest first; only one exhibit's when `exhibit` is
    given. Only approved stories given with public consent ever appear here."""
    rows = published_items()
    if exhibit:
        rows = rows.filter(exhibit__slug=exhibit)
    return {"exhibit": exhibit or None, "items": [item(request, contribution) for contribution in rows[:limit]]}


@router.put(
    "/contributions/{uuid}",
    response={
        200: ReceiptOut,
        201: ReceiptOut,
        409: Error,
        415: Error,
        422: ValidationErrors | MissingBlobs,
        **AUTH_ERRORS,
    },
    summary="Upload a contribution",
)
def put_contribution(request, uuid: str, payload: ContributionIn):
    """Store a visitor's contribution. 201 when new, 200 with the same receipt when resent unchanged,
    409 when the uuid was already used for a different body, 422 with `missing` when some of its blobs
    are not complete on the hub yet (upload them, then send the contribution again)."""
    if not is_uuid(uuid):
        raise _invalid(["path", "uuid"], f"{uuid!r} is not a lower-case hyphenated UUID.", "uuid_format")
    if payload.uuid != uuid:
        raise _invalid(
            ["body", "payload", "uuid"],
            f"The body's uuid {payload.uuid!r} differs from the uuid in the path {uuid!r}; they must match.",
            "uuid_mismatch",
        )
    try:
        contribution, created = receive(request.auth, payload.model_dump())
    except Invalid as invalid:
        raise _invalid(["body", "payload", invalid.field], invalid.message, invalid.kind) from None
    except Missing as missing:
        count = len(missing.missing)
        detail = (
            f"{count} blob{'s' if count > 1 else ''} of this contribution {'are' if count > 1 else 'is'} not complete "
            "on the hub yet; upload them to /api/v1/kiosk/blobs/sha256/{hex}, then send the contribution again."
        )
        return Status(422, {"detail": detail, "missing": missing.missing})
    except Conflict as conflict:
        detail = (
            f"A different contribution with uuid {uuid} was received at {iso_z(conflict.existing.received_at)}; "
            "nothing was changed. Each contribution needs a new uuid."
        )
        return Status(409, {"detail": detail})
    receipt = {
        "uuid": str(contribution.uuid),
        "receipt": contribution.receipt,
        "received_at": iso_z(contribution.received_at),
        "blobs": blob_hashes(contribution),
    }
    return Status(201 if created else 200, receipt)


def _invalid(loc: list[str], message: str, kind: str) -> ValidationError:
    return ValidationError([{"loc": loc, "msg": message, "type": kind}])
