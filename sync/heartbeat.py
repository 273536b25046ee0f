"""The figures a kiosk reports to the hub's devices page every few minutes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from kiosk.clock import parse_iso
from kiosk.disk import free_bytes
from sync.client import APP_VERSION

log = logging.getLogger(__name__)


class Heartbeat:
    """Builds the heartbeat body from the store, the disk and the capture hardware.

    `hardware` returns {"camera": bool, "microphone": bool} (the capture code knows what is plugged in);
    without it both are reported as unknown (null).
    """

    def __init__(self, store, data_dir: Path, clock: Callable[[], float],
                 hardware: Callable[[], dict] | None = None):
        self.store = store
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.hardware = hardware

    def figures(self, last_error: str | None) -> dict:
        pending = self.store.pending()
        oldest = None
        if pending:
            try:
                oldest = max(0.0, round(self.clock() - parse_iso(pending[0].created_at).timestamp(), 1))
            except ValueError:
                oldest = None
        devices = {}
        if self.hardware is not None:
            try:
                devices = dict(self.hardware())
            except Exception as error:
                # A camera driver that throws must not stop the heartbeat that would report it.
                log.warning("Could not tell whether the camera and microphone are present: %s", error)
        try:
            free = free_bytes(self.data_dir)
        except OSError:
            free = None
        return {
            "app_version": APP_VERSION[:40],
            "outbox_depth": len(pending),
            "oldest_pending_seconds": oldest,
            "free_disk_bytes": free,
            "camera": _flag(devices.get("camera")),
            "microphone": _flag(devices.get("microphone")),
            "last_error": (last_error or "")[:2000],
        }


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)
