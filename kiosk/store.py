"""The kiosk's offline-first store of contributions: TinyDB on crash-safe writes, locked across processes."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from kiosk.clock import clock_is_synchronised, iso_utc
from kiosk.contribution import DELIVERED, FAILED, PENDING, STATES, Contribution, Draft
from kiosk.fsutil import atomic_write_bytes, remove_leftover_temp_files

log = logging.getLogger(__name__)

STORE_FILE = "store.json"
LOCK_FILE = "store.lock"
TABLE = "contributions"


class StoreError(RuntimeError):
    """The store was asked for something it must refuse; nothing was changed."""


class AtomicJSONStorage(Storage):
    """TinyDB storage that reads the file on every access and replaces it whole on every write.

    Reading every time is what lets two processes share the file: each transaction, taken under the
    lock, sees the other's last write. Contributions are personal, so the file is owner-only.
    """

    def __init__(self, path: Path):
        self.path = Path(path)

    def read(self) -> dict | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return json.loads(text) if text.strip() else None

    def write(self, data: dict) -> None:
        atomic_write_bytes(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"), mode=0o600)

    def close(self) -> None:
        pass


class Store:
    """Contributions on disk with explicit states: pending -> delivered (receipt) or failed (reason)."""

    def __init__(
        self,
        folder: Path,
        clock: Callable[[], float] = time.time,
        clock_synchronised: Callable[[], bool] = clock_is_synchronised,
    ):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / STORE_FILE
        self._clock = clock
        self._clock_synchronised = clock_synchronised
        self._thread_lock = threading.Lock()
        self._closed = False
        with self._transaction() as table:
            # Under the lock no other process is mid-write, so any temp file is a crash leftover.
            remove_leftover_temp_files(self.folder)
            _set_aside_if_damaged(self.path)
            table.all()

    def submit(self, draft: Draft) -> Contribution:
        """Store a draft as pending; durable on return. The same uuid twice returns the first record."""
        contribution = Contribution.from_draft(draft, iso_utc(self._clock()), self._clock_synchronised())
        with self._transaction() as table:
            stored = table.get(Query().uuid == draft.uuid)
            if stored is not None:
                return Contribution.from_record(stored)
            table.insert(contribution.to_record())
        log.info("Stored contribution %s (%s)", contribution.uuid, contribution.receipt_code)
        return contribution

    def pending(self) -> list[Contribution]:
        """Pending contributions, oldest first (in the order they were stored, whatever the clock said)."""
        return self._in_state(PENDING)

    def failed(self) -> list[Contribution]:
        """Contributions the hub refused for good, oldest first."""
        return self._in_state(FAILED)

    def get(self, uuid: str) -> Contribution | None:
        with self._transaction() as table:
            record = table.get(Query().uuid == uuid)
        return None if record is None else Contribution.from_record(record)

    def mark_delivered(self, uuid: str, receipt: dict) -> None:
        """Record the hub's receipt: the contribution is safe on the hub and is never sent again."""
        self._change(uuid, {"state": DELIVERED, "receipt": dict(receipt), "failure": None}, allowed_from=STATES)

    def mark_failed(self, uuid: str, reason: str) -> None:
        """Record that the hub refused this contribution for good; it stays on the kiosk, unsent."""
        self._change(uuid, {"state": FAILED, "failure": str(reason)}, allowed_from=(PENDING, FAILED))

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATES, 0)
        with self._transaction() as table:
            for record in table.all():
                counts[record.get("state", PENDING)] = counts.get(record.get("state", PENDING), 0) + 1
        return counts

    def close(self) -> None:
        self._closed = True

    def _in_state(self, state: str) -> list[Contribution]:
        with self._transaction() as table:
            records = sorted(table.search(Query().state == state), key=lambda record: record.doc_id)
        return [Contribution.from_record(record) for record in records]

    def _change(self, uuid: str, changes: dict, allowed_from: tuple[str, ...]) -> None:
        with self._transaction() as table:
            record = table.get(Query().uuid == uuid)
            if record is None:
                raise StoreError(f"no contribution {uuid} in {self.path}")
            if record.get("state") not in allowed_from:
                raise StoreError(f"contribution {uuid} is already {record.get('state')}; it cannot become "
                                 f"{changes['state']}")
            table.update(changes, doc_ids=[record.doc_id])

    @contextmanager
    def _transaction(self) -> Iterator:
        if self._closed:
            raise StoreError(f"the store {self.path} is closed")
        # A new open file per transaction: flock then also keeps this process's own threads apart.
        with self._thread_lock:
            fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                # A fresh TinyDB per transaction: TinyDB caches query results and the next document id,
                # which would be stale after another process's write.
                db = TinyDB(self.path, storage=AtomicJSONStorage)
                try:
                    yield db.table(TABLE, cache_size=0)
                finally:
                    db.close()
            finally:
                os.close(fd)


def _set_aside_if_damaged(path: Path) -> None:
    try:
        AtomicJSONStorage(path).read()
    except ValueError as error:
        # Atomic writes make this near impossible; if it happens, keep the damaged file for recovery and
        # carry on collecting rather than leave the kiosk unusable.
        aside = path.with_name(f"{path.stem}.damaged-{int(time.time())}.json")
        os.replace(path, aside)
        log.error("The store %s was unreadable (%s); moved it to %s and started a new one", path, error, aside)
