"""sync_status.json: what the agent is doing, for `agora-kiosk status` and the staff screen, written atomically."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.fsutil import TEMP_SUFFIX

log = logging.getLogger(__name__)

# Every field the agent writes; readers get these keys even from an old or missing file.
EMPTY_STATUS = {
    "last_success": None,  # ISO time of the last exchange the hub accepted
    "last_attempt": None,  # ISO time of the last exchange tried
    "last_error": None,  # the last problem, in plain words; None once things work again
    "delivered": 0,  # contributions delivered so far (all time)
    "progress": None,  # {"uuid", "receipt_code", "bytes_sent", "bytes_total"} while one is being sent
    "paused_reason": None,  # why delivery is stopped until someone acts (e.g. not authorised), else None
    "next_attempt": None,  # ISO time of the next try after a failure, else None
    "last_config_pull": None,
    "last_gallery_pull": None,
    "last_heartbeat": None,
    "clock_offset_seconds": None,  # the hub's clock minus the kiosk's, from the hub's Date header
}


def read_status(status_file: Path) -> dict:
    """sync_status.json, or empty values when it is missing or unreadable."""
    status = dict(EMPTY_STATUS)
    try:
        saved = json.loads(Path(status_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return status
    if isinstance(saved, dict):
        status.update(saved)
    return status


class StatusFile:
    """The agent's view of sync_status.json; progress is written at most every `progress_every` seconds."""

    def __init__(self, path: Path, progress_every: float = 0.5, monotonic: Callable[[], float] = time.monotonic):
        self.path = Path(path)
        self.progress_every = progress_every
        self.monotonic = monotonic
        self.values = read_status(self.path)
        # A progress line left by a process that was killed mid-upload is not true any more.
        self.values["progress"] = None
        self._last_progress_write = float("-inf")
        self._lock = threading.Lock()

    def update(self, **changes) -> None:
        with self._lock:
            self.values.update(changes)
            self._write()

    def progress(self, uuid: str, receipt_code: str, bytes_sent: int, bytes_total: int, force: bool = False) -> None:
        with self._lock:
            self.values["progress"] = {"uuid": uuid, "receipt_code": receipt_code, "bytes_sent": bytes_sent,
                                       "bytes_total": bytes_total}
            if force or self.monotonic() - self._last_progress_write >= self.progress_every:
                self._write()

    def _write(self) -> None:
        if self.values.get("progress") is not None:
            self._last_progress_write = self.monotonic()
        text = json.dumps(self.values, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        try:
            # Replaced whole so a reader never sees half a file, but not fsynced: it is a display, rewritten
            # every few seconds while sending, and an SD card should not pay a flush for each figure.
            fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.chmod(temp, 0o644)
            os.replace(temp, self.path)
        except OSError as problem:
            log.error("Could not write %s: %s", self.path, problem)
