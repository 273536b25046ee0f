"""What the sync agent must remember between runs: the created_at it sent for each contribution, and ETags."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.fsutil import atomic_write_json, locked

STATE_FILE = "sync_state.json"
LOCK_FILE = "sync_state.lock"


class SyncState:
    """<data>/sync_state.json, changed under a lock so the app's thread and `agora-kiosk sync` can share it.

    `sent_created_at` maps a contribution's uuid to the created_at the kiosk sent the first time, so that
    every resend of it is byte-identical (the hub answers 409 to a changed body), even when a kiosk clock
    correction was applied.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / STATE_FILE

    def sent_created_at(self, uuid: str) -> str | None:
        return self._read().get("sent_created_at", {}).get(uuid)

    def remember_created_at(self, uuid: str, created_at: str) -> str:
        """Record what will be sent as created_at; the first value recorded for a uuid wins and is returned."""
        with self._changing() as state:
            chosen = state.setdefault("sent_created_at", {}).setdefault(uuid, created_at)
        return chosen

    def keep_only(self, uuids: Iterable[str]) -> None:
        """Forget what was sent for contributions no longer waiting (delivered or failed)."""
        keep = set(uuids)
        if not set(self._read().get("sent_created_at", {})) - keep:
            return
        with self._changing() as state:
            sent = state.get("sent_created_at", {})
            state["sent_created_at"] = {uuid: value for uuid, value in sent.items() if uuid in keep}

    def etag(self, name: str, revision: object) -> str | None:
        """The ETag saved for a download, if the local copy is still the one it was saved with."""
        saved = self._read().get("etags", {}).get(name)
        if isinstance(saved, dict) and saved.get("revision") == _jsonable(revision):
            return saved.get("etag")
        return None

    def set_etag(self, name: str, etag: str | None, revision: object) -> None:
        with self._changing() as state:
            etags = state.setdefault("etags", {})
            if etag:
                etags[name] = {"etag": etag, "revision": _jsonable(revision)}
            else:
                etags.pop(name, None)

    def _read(self) -> dict:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    @contextmanager
    def _changing(self) -> Iterator[dict]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with locked(self.folder / LOCK_FILE):
            state = self._read()
            yield state
            atomic_write_json(self.path, state, mode=0o600)


def _jsonable(value: object) -> object:
    return json.loads(json.dumps(value))
