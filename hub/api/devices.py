"""The kiosk's own housekeeping: heartbeats for the devices page, and rotating its token."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router

from hub.api.schemas import Error, HeartbeatIn, HeartbeatOut, RotateOut, ValidationErrors
from hub.devices.auth import DeviceToken
from hub.devices.models import Device
from hub.devices.rotation import rotate
from hub.isotime import iso_z

router = Router(tags=["kiosk"], auth=DeviceToken())

ERRORS = {401: Error, 403: Error, 415: Error, 422: ValidationErrors, 429: Error}


@router.post("/heartbeat", response={200: HeartbeatOut, **ERRORS}, summary="Report the kiosk's health")
def heartbeat(request, payload: HeartbeatIn):
    """What the kiosk reports every few minutes; curators see it on the devices page with the last-seen time."""
    now = timezone.now()
    device: Device = request.auth
    Device.objects.filter(pk=device.pk).update(
        heartbeat_at=now,
        last_seen_at=now,
        app_version=payload.app_version,
        outbox_depth=payload.outbox_depth,
        oldest_pending_seconds=payload.oldest_pending_seconds,
        free_disk_bytes=payload.free_disk_bytes,
        camera=payload.camera,
        microphone=payload.microphone,
        last_error=payload.last_error or "",
    )
    return {
        "received_at": iso_z(now),
        "device_id": str(device.id),
        "name": device.name,
        "rotate_token": device.rotate_requested_at is not None,
    }


@router.post(
    "/token/rotate",
    response={200: RotateOut, 401: Error, 403: Error, 429: Error},
    summary="Replace the kiosk's token",
)
def rotate_token(request):
    """A new token for this kiosk. The token used for this call keeps working for a short overlap
    (AGORA_HUB_TOKEN_OVERLAP_MINUTES), so a lost answer can be retried with it."""
    presented = request.headers["Authorization"].partition(" ")[2].strip()
    token, valid_until = rotate(request.auth, presented)
    return {"device_id": str(request.auth.id), "token": token, "previous_token_valid_until": iso_z(valid_until)}
