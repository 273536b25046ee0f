"""Making and hashing device tokens and pairing codes; the hub stores only their SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A 43-character URL-safe bearer token carrying 256 random bits."""
    return secrets.token_urlsafe(32)


def new_pairing_code() -> str:
    """An 8-character code shown as two groups of four, like K7F4-3QXM."""
    code = "".join(secrets.choice(CROCKFORD) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def normalise_code(code: str) -> str:
    """The code as stored: upper case, no hyphens or spaces, look-alike letters read as digits."""
    return "".join(code.split()).replace("-", "").upper().translate(_LOOKALIKES)
