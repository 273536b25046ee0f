"""Content-addressed media files: written whole under their sha256 before any record points to them."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from kiosk.fsutil import commit_temp_file, write_temp_file

CHUNK = 1024 * 1024
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def is_sha256(name: str) -> bool:
    """Whether a name is a sha256 as the store spells it (64 lower-case hex digits)."""
    return bool(_SHA256_RE.match(name or ""))


def read_chunks(source: Path | bytes) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        data = memoryview(source)
        for start in range(0, len(data), CHUNK):
            yield bytes(data[start:start + CHUNK])
        return
    with open(source, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def write_blob(folder: Path, source: Path | bytes) -> tuple[str, int]:
    """Store `source` as `folder/<sha256>` (temp file, fsync, rename, fsync folder); (sha256, size).

    Storing the same bytes twice writes nothing new: the file is named by its content. Its time is refreshed
    so that the clean-up of unused files at start (which waits for a grace period) leaves it alone.
    """
    digest = hashlib.sha256()
    size = 0

    def hashed() -> Iterator[bytes]:
        nonlocal size
        for chunk in read_chunks(source):
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    temp = write_temp_file(folder, hashed(), mode=0o600)
    sha256 = digest.hexdigest()
    final = Path(folder) / sha256
    try:
        existing = final.stat().st_size
    except FileNotFoundError:
        existing = None
    if existing == size:
        temp.unlink()
        os.utime(final)
        return sha256, size
    commit_temp_file(temp, final)
    return sha256, size


def hash_file(path: Path) -> tuple[str, int]:
    """(sha256, size) of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    for chunk in read_chunks(Path(path)):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def blob_problem(path: Path, sha256: str, size: int) -> str | None:
    """Why the file at `path` is not the media it should be, in plain words; None when it is intact."""
    try:
        actual_size = path.stat().st_size
    except FileNotFoundError:
        return f"media {sha256} is missing"
    if actual_size != size:
        return f"media {sha256} has {actual_size} bytes instead of {size}"
    try:
        actual, _ = hash_file(path)
    except OSError as error:
        return f"media {sha256} cannot be read: {error}"
    if actual != sha256:
        return f"media {sha256} is damaged: its bytes hash to {actual}"
    return None
