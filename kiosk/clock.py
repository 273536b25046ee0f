"""Whether the kiosk's clock is trustworthy (a Raspberry Pi has no battery clock until NTP has answered)."""

from __future__ import annotations

import ctypes
import ctypes.util
from datetime import UTC, datetime

# adjtimex(2) answers TIME_ERROR when the kernel clock is not synchronised by NTP.
_TIME_ERROR = 5
# struct timex is about 208 bytes on 64-bit Linux; a zeroed, larger buffer means "read only" (modes = 0).
_TIMEX_SIZE = 512


def clock_is_synchronised() -> bool:
    """True when the kernel says an NTP client keeps the clock right; False when unknown or unsynchronised."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        buffer = ctypes.create_string_buffer(_TIMEX_SIZE)
        state = libc.adjtimex(buffer)
    except (OSError, AttributeError):
        return False
    return 0 <= state < _TIME_ERROR


def iso_utc(timestamp: float) -> str:
    """A timestamp as the protocol writes it: ISO 8601 UTC with milliseconds and a trailing Z."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso(value: str) -> datetime:
    """The inverse of iso_utc, also accepting "+00:00" offsets."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
