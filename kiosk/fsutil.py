"""Crash-safe file writes: a whole new file or the old one, never a torn mixture, even on a power cut."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
    commit_temp_file(write_temp_file(path.parent, [data], mode, name=path.name, owner_of=path), path)


def write_temp_file(folder: Path, chunks: Iterable[bytes], mode: int = 0o644, name: str = "incoming",
                    owner_of: Path | None = None) -> Path:
    """Write `chunks` to a new temp file in `folder` and fsync it; on any error nothing is left behind.

    Plain os.write/os.fsync calls, so that a full disk or an I/O error surfaces here as an OSError
    (and fault-injection tests can reach every step).
    """
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=TEMP_SUFFIX)
    temp = Path(temp_name)
    try:
        try:
            for chunk in chunks:
                _write_all(fd, chunk)
            os.fchmod(fd, mode)
            if owner_of is not None:
                _keep_owner(fd, Path(owner_of))
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink_quietly(temp)
        raise
    return temp


def commit_temp_file(temp: Path, path: Path) -> None:
    """Move a finished temp file into place and make the rename durable; the temp file is gone either way."""
    try:
        os.replace(temp, path)
    except BaseException:
        _unlink_quietly(Path(temp))
        raise
    fsync_dir(Path(path).parent)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


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


@contextmanager
def locked(lock_file: Path, mode: int = 0o600) -> Iterator[None]:
    """Hold an exclusive flock on `lock_file` (created if missing) for the duration of the block.

    A new open file each time, so the lock also keeps apart threads of one process, not only processes.
    """
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, mode)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
