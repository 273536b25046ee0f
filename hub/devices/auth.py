"""The bearer-token check for the kiosk API: a known, unrevoked token of a kiosk a curator has authorised."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from hub.devices.models import Device
from hub.devices.ratelimit import hit
from hub.durability import lazy_commits

# Writing last_seen_at on every request would make every sync a write; once a minute is enough to see a kiosk.
_SEEN_RESOLUTION = timedelta(minutes=1)

PENDING = "This kiosk is waiting for a curator to authorise it on the devices page."
ROTATE_HEADER = "Agora-Rotate-Token"


class RateLimited(HttpError):
    """Too many requests; `retry_after` seconds until the window ends (sent as Retry-After)."""

    def __init__(self, retry_after: int, message: str):
        super().__init__(429, message)
        self.retry_after = retry_after


def too_many(retry_after: int, who: str) -> RateLimited:
    return RateLimited(
        retry_after,
        f"Too many requests from {who}; wait {retry_after} s (Retry-After) and send again. Nothing was lost.",
    )


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
        # Looked up afresh on every request, so revoking takes effect on the kiosk's very next call.
        device = Device.objects.by_token(token)
        if device is None:
            raise AuthenticationError(
                message="This device token is not known to this hub (or was replaced by a newer one). Pair the "
                "kiosk again with a new code from `agora-hub pairing-code`."
            )
        wait = hit("kiosk", str(device.pk))
        if wait is not None:
            raise too_many(wait, f"the kiosk {device.name!r}")
        if device.revoked:
            raise AuthenticationError(
                message=f"The kiosk {device.name!r} was revoked by a curator. Pair it again with a new code "
                "from `agora-hub pairing-code`."
            )
        now = timezone.now()
        address = request.META.get("REMOTE_ADDR") or None
        if device.last_seen_at is None or now - device.last_seen_at > _SEEN_RESOLUTION or (
            address and address != device.last_address
        ):
            with lazy_commits():  # a last-seen time a power cut takes back is seen again a minute later
                Device.objects.filter(pk=device.pk).update(last_seen_at=now, last_address=address)
            device.last_seen_at, device.last_address = now, address
        if not device.authorised:
            raise HttpError(403, PENDING)
        return device
