"""Rotating a kiosk's token: a new one at once, the old one still honoured for a short overlap."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hub.devices.models import Device
from hub.devices.tokens import new_token, sha256_hex


def rotate(device: Device, presented_token: str) -> tuple[str, object]:
    """The new token and until when the presented one keeps working."""
    now = timezone.now()
    overlap = timedelta(minutes=settings.AGORA_HUB_TOKEN_OVERLAP_MINUTES)
    presented = sha256_hex(presented_token)
    token = new_token()
    with transaction.atomic():
        device = Device.objects.select_for_update().get(pk=device.pk)
        if presented == device.previous_token_hash and device.previous_token_expires_at:
            # The kiosk lost the answer to its last rotation and asks again with the old token: the overlap is not
            # extended, and the token it never received is simply replaced.
            valid_until = device.previous_token_expires_at
        else:
            valid_until = now + overlap
        device.previous_token_hash = presented
        device.previous_token_expires_at = valid_until
        device.token_hash = sha256_hex(token)
        device.rotate_requested_at = None
        device.save(
            update_fields=["previous_token_hash", "previous_token_expires_at", "token_hash", "rotate_requested_at"]
        )
    return token, valid_until
