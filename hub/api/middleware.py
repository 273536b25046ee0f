"""Per-address rate limits in front of the API, and the hint asking a kiosk to rotate its token."""

from __future__ import annotations

from django.http import JsonResponse

from hub.devices.auth import ROTATE_HEADER, too_many
from hub.devices.models import Device
from hub.devices.ratelimit import client_address, hit
from sync.protocol import API_PREFIX, ITEMS_PATH, PAIR_PATH

KIOSK_PREFIX = f"{API_PREFIX}/kiosk/"


def _scope(path: str) -> str | None:
    if path == PAIR_PATH:
        return "pair"
    if path.startswith(KIOSK_PREFIX):
        return "kiosk-address"
    if path.startswith(ITEMS_PATH):
        return "public"
    return None


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = _scope(request.path)
        if scope is not None:
            address = client_address(request)
            wait = hit(scope, address)
            if wait is not None:
                refusal = too_many(wait, f"the address {address}")
                response = JsonResponse({"detail": refusal.message}, status=429)
                response["Retry-After"] = str(refusal.retry_after)
                return response
        response = self.get_response(request)
        device = getattr(request, "auth", None)
        if isinstance(device, Device) and device.rotate_requested_at is not None:
            response[ROTATE_HEADER] = "?1"
        return response
