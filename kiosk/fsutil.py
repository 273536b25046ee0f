"""Crash-safe file writes: a whole new file or the old one, never a torn mixture, even on a power cut."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

# Temp files start with a dot and end with this suffix so a cleanup never touches anything else.
TEMP_SUFFIX = ".agora-tmp"


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries so that a rename inside it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data`: temp file in the same folder, fsync, os.replace, fsync the folder."""
    path = Path(path)
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            _keep_owner(handle.fileno(), path)
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        _unlink_quietly(Path(temp_name))
        raise
    fsync_dir(folder)


def atomic_write_json(path: Path, value: object, mode: int = 0o644) -> None:
    """Replace `path` with `value` as pretty UTF-8 JSON (readable by staff with any text editor)."""
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def remove_leftover_temp_files(folder: Path) -> list[Path]:
    """Delete temp files a crash left behind; call it only while no other writer can be mid-write."""
    removed = []
    if not Path(folder).is_dir():
        return removed
    for leftover in Path(folder).glob(f".*{TEMP_SUFFIX}"):
        if _unlink_quietly(leftover):
            removed.append(leftover)
            log.info("Removed %s, left over by an interrupted write", leftover)
    return removed


def _keep_owner(fd: int, path: Path) -> None:
    # When root runs a maintenance command, the replaced file must stay readable by the kiosk's own user.
    if os.geteuid() != 0:
        return
    try:
        stat = path.stat()
    except FileNotFoundError:
        return
    os.fchown(fd, stat.st_uid, stat.st_gid)


def _unlink_quietly(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
