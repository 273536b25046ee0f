"""The kiosk's side of the wire protocol: pairing, fetching exhibits, uploading contributions."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from ninja import Router, Status
from ninja.errors import ValidationError

from hub.api.schemas import (
    ConfigOut,
    ContributionIn,
    Error,
    PairIn,
    PairOut,
    ReceiptOut,
    ValidationErrors,
)
from hub.api.urls import absolute
from hub.contributions.receiving import Conflict, Invalid, receive
from hub.devices.auth import DeviceToken
from hub.devices.pairing import PairingRefused, redeem
from hub.isotime import iso_z
from hub.museum.models import Exhibit, Prompt
from sync.protocol import LANGUAGES, is_uuid

router = Router(tags=["kiosk"], auth=DeviceToken())

AUTH_ERRORS = {401: Error}
BODY_ERRORS = {415: Error, 422: ValidationErrors}


@router.post("/pair", auth=None, response={201: PairOut, 400: Error, **BODY_ERRORS}, summary="Pair a kiosk")
def pair(request, payload: PairIn):
    """Trade a one-time pairing code for this kiosk's device token."""
    try:
        device, token = redeem(payload.code, payload.name)
    except PairingRefused as refusal:
        return Status(400, {"detail": str(refusal)})
    return Status(201, {"device_id": str(device.id), "token": token, "hub_name": settings.MUSEUM_NAME})


@router.get("/config", response={200: ConfigOut, **AUTH_ERRORS}, summary="Exhibits and prompts")
def config(request):
    """The active exhibits and prompts, in display order, with absolute image URLs."""
    exhibits = Exhibit.objects.active().prefetch_related(
        Prefetch("prompts", queryset=Prompt.objects.active(), to_attr="active_prompts")
    )
    return {
        "museum": {"name": settings.MUSEUM_NAME},
        "languages": list(LANGUAGES),
        "exhibits": [_exhibit(request, exhibit) for exhibit in exhibits],
    }


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


@router.put(
    "/contributions/{uuid}",
    response={200: ReceiptOut, 201: ReceiptOut, 409: Error, **AUTH_ERRORS, **BODY_ERRORS},
    summary="Upload a contribution",
)
def put_contribution(request, uuid: str, payload: ContributionIn):
    """Store a visitor's contribution. 201 when new, 200 with the same receipt when resent unchanged,
    409 when the uuid was already used for a different body."""
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
        "blobs": [],
    }
    return Status(201 if created else 200, receipt)


def _invalid(loc: list[str], message: str, kind: str) -> ValidationError:
    return ValidationError([{"loc": loc, "msg": message, "type": kind}])
