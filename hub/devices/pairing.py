"""Redeeming a pairing code for a device token, exactly once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from hub.devices.models import Device, PairingCode

_ASK_FOR_NEW = "Ask a curator for a new code (they run `agora-hub pairing-code`)."


class PairingRefused(Exception):
    """The code cannot pair a kiosk; the message says why and what to do."""


def redeem(code: str, name: str) -> tuple[Device, str]:
    """A new device and its token, if the code is known, unexpired and unused."""
    with transaction.atomic():
        record = PairingCode.find(code)
        if record is None:
            raise PairingRefused(f"The pairing code {code!r} is not known to this hub. {_ASK_FOR_NEW}")
        now = timezone.now()
        if record.used_at is not None:
            raise PairingRefused(f"The pairing code {code!r} has already been used. {_ASK_FOR_NEW}")
        if record.expires_at <= now:
            raise PairingRefused(f"The pairing code {code!r} has expired. {_ASK_FOR_NEW}")
        device, token = Device.register(name, authorised=record.authorise)
        # The filter on used_at makes a concurrent second use of the same code lose, even on PostgreSQL.
        claimed = PairingCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now, used_by=device)
        if not claimed:
            raise PairingRefused(f"The pairing code {code!r} has already been used. {_ASK_FOR_NEW}")
    return device, token
