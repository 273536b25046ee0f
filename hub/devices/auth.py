"""The bearer-token check for the kiosk API: the token's SHA-256 must match a device that is not revoked."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from hub.devices.models import Device
from hub.devices.tokens import sha256_hex

# Writing last_seen_at on every request would make every sync a write; once a minute is enough to see a kiosk.
_SEEN_RESOLUTION = timedelta(minutes=1)


class DeviceToken(HttpBearer):
    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            raise AuthenticationError(
                message="No Authorization header. Send 'Authorization: Bearer <device token>'; "
                "pair the kiosk first with `agora-kiosk pair`."
            )
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(message="The Authorization header must be 'Bearer <device token>'.")
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token: str) -> Device:
        device = Device.objects.filter(token_hash=sha256_hex(token)).first()
        if device is None:
            raise AuthenticationError(
                message="This device token is not known to this hub. Pair the kiosk again with a new code "
                "from `agora-hub pairing-code`."
            )
        if device.revoked:
            raise AuthenticationError(
                message=f"The kiosk {device.name!r} was revoked by a curator. Pair it again with a new code "
                "from `agora-hub pairing-code`."
            )
        now = timezone.now()
        if device.last_seen_at is None or now - device.last_seen_at > _SEEN_RESOLUTION:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
            device.last_seen_at = now
        return device
