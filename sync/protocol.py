"""The kiosk-to-hub wire protocol: paths, payload fields, limits, licences and receipt codes shared by both ends."""

from __future__ import annotations

import os
import re
import time
import uuid as uuidlib

API_PREFIX = "/api/v1"
PAIR_PATH = f"{API_PREFIX}/kiosk/pair"
CONFIG_PATH = f"{API_PREFIX}/kiosk/config"
CONTRIBUTIONS_PATH = f"{API_PREFIX}/kiosk/contributions"
ITEMS_PATH = f"{API_PREFIX}/items"

LANGUAGES = ("fr", "en")

CONSENT_PUBLIC = "public"
CONSENT_ARCHIVE = "archive"
CONSENTS = (CONSENT_PUBLIC, CONSENT_ARCHIVE)

# Licence keys travel on the wire; the Creative Commons URIs are what the public API publishes.
LICENCES = {
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
DEFAULT_LICENCE = "cc-by-4.0"

MAX_TEXT_LENGTH = 2000
MAX_AUTHOR_LENGTH = 60

# Media (Contract v2). A media descriptor is {"sha256", "size", "type", "kind"} on the wire, in the kiosk
# store and in export manifests. The first type of each tuple is what the kiosk itself produces.
MEDIA_KIND_PHOTO = "photo"
MEDIA_KIND_AUDIO = "audio"
MEDIA_KINDS = (MEDIA_KIND_PHOTO, MEDIA_KIND_AUDIO)
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
AUDIO_TYPES = ("audio/flac", "audio/wav", "audio/ogg", "audio/mpeg")
MEDIA_TYPES = {MEDIA_KIND_PHOTO: PHOTO_TYPES, MEDIA_KIND_AUDIO: AUDIO_TYPES}
MAX_MEDIA_PER_CONTRIBUTION = 4

PAYLOAD_FIELDS = (
    "uuid",
    "exhibit",
    "prompt",
    "language",
    "text",
    "author_name",
    "consent",
    "licence",
    "created_at",
    "clock_synchronised",
    "media",
)

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# Crockford's base32 leaves out I, L, O and U so that a visitor reading a code aloud can't confuse letters.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def contribution_path(contribution_uuid: str) -> str:
    """The path a kiosk PUTs one contribution to."""
    return f"{CONTRIBUTIONS_PATH}/{contribution_uuid}"


def new_uuid7(now: float | None = None) -> str:
    """A time-ordered UUID version 7 (RFC 9562), made on the kiosk so that resends keep one identity."""
    millis = int((time.time() if now is None else now) * 1000) & ((1 << 48) - 1)
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 68 & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = millis << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuidlib.UUID(int=value))


def is_uuid(value: str) -> bool:
    """Whether a value is a lower-case hyphenated UUID, the only spelling the protocol accepts."""
    return bool(_UUID_RE.match(value or ""))


def receipt_code(contribution_uuid: str) -> str:
    """The short code printed on the visitor's receipt, derived from the random bits of the uuid.

    Both ends compute it, so the kiosk can show it before the hub has seen the contribution.
    """
    bits = uuidlib.UUID(contribution_uuid).int & ((1 << 40) - 1)
    chars = []
    for _ in range(8):
        chars.append(_CROCKFORD[bits & 31])
        bits >>= 5
    code = "".join(reversed(chars))
    return f"{code[:4]}-{code[4:]}"


def licence_uri(key: str | None) -> str | None:
    """The Creative Commons URI for a licence key, or None for archive-only contributions."""
    return LICENCES.get(key) if key else None


# Contract v2: resumable blobs, the gallery, heartbeats and token rotation.
BLOBS_PATH = f"{API_PREFIX}/kiosk/blobs/sha256"
GALLERY_PATH = f"{API_PREFIX}/kiosk/gallery"
HEARTBEAT_PATH = f"{API_PREFIX}/kiosk/heartbeat"


def blob_path(sha256: str) -> str:
    """The path a kiosk HEADs to learn how much of a blob the hub holds, and PUTs its bytes to."""
    return f"{BLOBS_PATH}/{sha256}"


TOKEN_ROTATE_PATH = f"{API_PREFIX}/kiosk/token/rotate"
# A hub answer carrying this header ("?1") asks the kiosk to rotate its token.
ROTATE_TOKEN_HEADER = "Agora-Rotate-Token"  # noqa: S105 - a header name, not a secret
