"""The kiosk's offline-first store of contributions: TinyDB on crash-safe writes, locked across processes."""

from __future__ import annotations

import errno
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from tinydb import Query, TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from kiosk.clock import clock_is_synchronised, iso_utc
from kiosk.contribution import (
    DELIVERED,
    FAILED,
    PENDING,
    QUARANTINED,
    Contribution,
    Draft,
    InvalidContribution,
    MediaRef,
    Problem,
)
from kiosk.disk import MB, describe_bytes, free_bytes
from kiosk.fsutil import atomic_write_bytes, atomic_write_json, fsync_dir, locked, remove_leftover_temp_files
from kiosk.media import blob_problem, is_sha256, write_blob
from sync.protocol import MEDIA_TYPES

log = logging.getLogger(__name__)

STORE_FILE = "store.json"
LOCK_FILE = "store.lock"
MEDIA_DIR = "media"
ARCHIVE_DIR = "archive"
QUARANTINE_DIR = "quarantine"
TABLE = "contributions"
META_TABLE = "meta"
_META_ID = 1

DEFAULT_DISK_RESERVE_MB = 200.0
DEFAULT_ARCHIVE_DAYS = 30.0
# Media nobody points to are kept this long: a visitor may still be writing the text that goes with a photo.
DEFAULT_ORPHAN_GRACE = 24 * 3600.0
DAY = 86400.0


class StoreError(RuntimeError):
    """The store was asked for something it must refuse; nothing was changed."""


class StoreFull(OSError):
    """Too little disk space is left for photos or recordings; text contributions still work."""

    def __init__(self, message: str):
        super().__init__(errno.ENOSPC, message)


@dataclass
class RecoveryReport:
    """What the start-up check found and did; everything in it is also logged."""

    temp_files_removed: int = 0
    resolved_as_delivered: list[str] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (uuid, reason)
    archive_pruned: int = 0
    orphans_removed: int = 0


class _TransactionStorage(Storage):
    """TinyDB storage that reads the file once per transaction and writes it once, at the end, if changed.

    Reading at the start of every transaction is what lets two processes share the file: each transaction,
    taken under the lock, sees the other's last write. Writing once at the end makes every transaction one
    atomic replacement of the file, so a multi-step change (remove a record, count it) is all or nothing.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._data: dict | None = None
        self._loaded = False
        self.dirty = False

    def read(self) -> dict | None:
        if not self._loaded:
            self._data = _read_store_file(self.path)
            self._loaded = True
        return self._data

    def write(self, data: dict) -> None:
        self._data = data
        self._loaded = True
        self.dirty = True

    def flush(self) -> None:
        if self.dirty:
            # Contributions are personal, so the file is owner-only.
            text = json.dumps(self._data, ensure_ascii=False, separators=(",", ":"))
            atomic_write_bytes(self.path, text.encode("utf-8"), mode=0o600)
            self.dirty = False

    def close(self) -> None:
        pass


class _Transaction:
    """The live table and the store's counters, as one consistent view under the lock."""

    def __init__(self, db: TinyDB):
        self.live: Table = db.table(TABLE, cache_size=0)
        self._meta_table: Table = db.table(META_TABLE, cache_size=0)

    def meta(self) -> dict:
        values = {"seq": 0, "delivered": 0, "archived": 0}
        values.update(self._meta_table.get(doc_id=_META_ID) or {})
        return values

    def set_meta(self, **changes: int) -> None:
        values = self.meta()
        values.update(changes)
        self._meta_table.upsert(Document(values, doc_id=_META_ID))

    def find(self, uuid: str) -> Document | None:
        return self.live.get(Query().uuid == uuid)


class Store:
    """Contributions on disk with explicit states: pending -> delivered (receipt, archived) or failed (reason).

    Only what is not yet delivered lives in the TinyDB table; a delivered contribution moves to
    `archive/<uuid>.json`, so a commit costs the same on the first day and after 10,000 visitors.
    Media live in `media/<sha256>`, written before any record points to them.
    """

    def __init__(
        self,
        folder: Path,
        clock: Callable[[], float] = time.time,
        clock_synchronised: Callable[[], bool] = clock_is_synchronised,
        *,
        disk_reserve_mb: float = DEFAULT_DISK_RESERVE_MB,
        archive_days: float = DEFAULT_ARCHIVE_DAYS,
        orphan_grace: float = DEFAULT_ORPHAN_GRACE,
        free_space: Callable[[Path], int] = free_bytes,
        recover: bool = True,
    ):
        self.folder = Path(folder)
        self.path = self.folder / STORE_FILE
        self.media_dir = self.folder / MEDIA_DIR
        self.archive_dir = self.folder / ARCHIVE_DIR
        self.quarantine_dir = self.folder / QUARANTINE_DIR
        for folder_ in (self.folder, self.media_dir, self.archive_dir, self.quarantine_dir):
            folder_.mkdir(parents=True, exist_ok=True)
        self._clock = clock
        self._clock_synchronised = clock_synchronised
        self.disk_reserve = int(disk_reserve_mb * MB)
        self.archive_days = archive_days
        self.orphan_grace = orphan_grace
        self._free_space = free_space
        self._thread_lock = threading.Lock()
        self._closed = False
        self.recovery: RecoveryReport | None = None
        if recover:
            self.recovery = self.recover()
        else:
            with self._transaction():
                _set_aside_if_damaged(self.path)

    @classmethod
    def for_settings(cls, settings, **options) -> Store:
        """The store of a kiosk's settings (data folder, disk reserve, archive retention)."""
        return cls(settings.data_dir, disk_reserve_mb=settings.disk_reserve_mb,
                   archive_days=settings.archive_days, **options)

    # Contributions

    def submit(self, draft: Draft) -> Contribution:
        """Store a draft as pending; durable on return. The same uuid twice returns the first record."""
        contribution = Contribution.from_draft(draft, iso_utc(self._clock()), self._clock_synchronised())
        with self._transaction() as tx:
            stored = tx.find(draft.uuid)
            if stored is not None:
                return Contribution.from_record(stored)
            outside = self._find_outside_live(draft.uuid)
            if outside is not None:
                return outside
            missing = [item for item in contribution.media if not self._media_present(item)]
            if missing:
                raise InvalidContribution([Problem(
                    "media", "missing",
                    "Une photo ou un enregistrement n'a pas pu être gardé ; retirez-le ou refaites-le.",
                    "A photo or recording could not be kept; remove it or take it again.",
                )])
            seq = tx.meta()["seq"] + 1
            tx.live.insert({**contribution.to_record(), "seq": seq})
            tx.set_meta(seq=seq)
        log.info("Stored contribution %s (%s)", contribution.uuid, contribution.receipt_code)
        return contribution

    def pending(self) -> list[Contribution]:
        """Pending contributions, oldest first (in the order they were stored, whatever the clock said)."""
        return self._in_state(PENDING)

    def failed(self) -> list[Contribution]:
        """Contributions the hub refused for good, oldest first."""
        return self._in_state(FAILED)

    def get(self, uuid: str) -> Contribution | None:
        """A contribution wherever it is: waiting, failed, archived after delivery, or quarantined."""
        with self._transaction() as tx:
            record = tx.find(uuid)
        if record is not None:
            return Contribution.from_record(record)
        return self._find_outside_live(uuid)

    def mark_delivered(self, uuid: str, receipt: dict) -> None:
        """Record the hub's receipt and move the contribution to the archive; it is never sent again.

        The archive file is written first, then the record leaves the live table: a crash in between
        leaves it in both places, which the next start resolves as delivered.
        """
        with self._transaction() as tx:
            record = tx.find(uuid)
            if record is None:
                outside = self._find_outside_live(uuid)
                if outside is None:
                    raise StoreError(f"no contribution {uuid} in {self.path}")
                if outside.state == DELIVERED:
                    return
                raise StoreError(f"contribution {uuid} is {outside.state} ({outside.failure}); "
                                 "it cannot be marked delivered")
            contribution = Contribution.from_record(record)
            held = set((receipt or {}).get("blobs") or ())
            missing = [item.sha256 for item in contribution.media if item.sha256 not in held]
            if missing:
                raise StoreError(f"the hub's receipt for {uuid} does not list media {', '.join(missing)}; "
                                 "it stays pending until the hub holds every photo and recording")
            delivered = replace(contribution, state=DELIVERED, receipt=dict(receipt), failure=None)
            archived = {**delivered.to_record(), "seq": record.get("seq"),
                        "delivered_at": iso_utc(self._clock())}
            atomic_write_json(self._archive_file(uuid), archived, mode=0o600)
            tx.live.remove(doc_ids=[record.doc_id])
            meta = tx.meta()
            tx.set_meta(delivered=meta["delivered"] + 1, archived=meta["archived"] + 1)

    def mark_failed(self, uuid: str, reason: str) -> None:
        """Record that the hub refused this contribution for good; it stays on the kiosk, unsent."""
        with self._transaction() as tx:
            record = tx.find(uuid)
            if record is None:
                outside = self._find_outside_live(uuid)
                if outside is None:
                    raise StoreError(f"no contribution {uuid} in {self.path}")
                raise StoreError(f"contribution {uuid} is already {outside.state}; it cannot become {FAILED}")
            tx.live.update({"state": FAILED, "failure": str(reason)}, doc_ids=[record.doc_id])

    def counts(self) -> dict[str, int]:
        """How many contributions wait, were sent (ever), were refused, are quarantined or kept in the archive."""
        with self._transaction() as tx:
            states = [record.get("state", PENDING) for record in tx.live.all()]
            meta = tx.meta()
        return {
            PENDING: states.count(PENDING),
            DELIVERED: meta["delivered"],
            FAILED: states.count(FAILED),
            QUARANTINED: sum(1 for _ in self.quarantine_dir.glob("*.json")),
            "archived": meta["archived"],
        }

    def quarantined(self) -> list[dict]:
        """Contributions set aside at start because a photo or recording was missing or damaged, with why."""
        entries = []
        for path in sorted(self.quarantine_dir.glob("*.json")):
            try:
                entries.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as error:
                entries.append({"reason": f"{path.name} cannot be read: {error}", "record": None})
        return entries

    # Media

    def add_media(self, source: Path | bytes, type: str, kind: str) -> MediaRef:
        """Keep a photo or recording as `media/<sha256>` (durable on return) and describe it for a Draft.

        Raises StoreFull when free space is below the reserve, ValueError for an unknown kind or type.
        """
        if type not in MEDIA_TYPES.get(kind, ()):
            raise ValueError(f"cannot keep a {kind!r} of type {type!r}; expected one of "
                             + ", ".join(f"{k} {t}" for k, types in MEDIA_TYPES.items() for t in types))
        free = self._free_space(self.folder)
        if free < self.disk_reserve:
            raise StoreFull(f"only {describe_bytes(free)} free in {self.folder}, below the reserve of "
                            f"{describe_bytes(self.disk_reserve)}; photos and recordings are paused")
        with self._lock():
            sha256, size = write_blob(self.media_dir, source)
        return MediaRef(sha256=sha256, size=size, type=type, kind=kind)

    def media_path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise ValueError(f"{sha256!r} is not a media sha256 (64 lower-case hex digits)")
        return self.media_dir / sha256

    def open_media(self, sha256: str) -> BinaryIO:
        return open(self.media_path(sha256), "rb")

    def has_room_for_capture(self) -> bool:
        """Whether a photo or recording may start: free disk at or above the reserve (text always works)."""
        try:
            return self._free_space(self.folder) >= self.disk_reserve
        except OSError:
            return False

    def free_disk(self) -> int:
        return self._free_space(self.folder)

    # Start-up recovery and housekeeping

    def recover(self) -> RecoveryReport:
        """Make the folder consistent after any crash; safe to run while other processes use the store."""
        report = RecoveryReport()
        with self._transaction() as tx:
            # Under the lock no other process is mid-write, so any temp file is a crash leftover.
            for folder in (self.folder, self.media_dir, self.archive_dir, self.quarantine_dir):
                report.temp_files_removed += len(remove_leftover_temp_files(folder))
            _set_aside_if_damaged(self.path)
            self._number_old_records(tx)
            for record in tx.live.all():
                if self._resolve_delivered(tx, record):
                    report.resolved_as_delivered.append(record["uuid"])
                    continue
                reason = self._media_problem(record)
                if reason is not None:
                    self._quarantine(tx, record, reason)
                    report.quarantined.append((record["uuid"], reason))
            report.archive_pruned = self._prune_archive(tx)
            report.orphans_removed = self._remove_orphans(tx)
        return report

    def prune(self) -> RecoveryReport:
        """Drop archived contributions older than the retention and the media nobody points to any more."""
        report = RecoveryReport()
        with self._transaction() as tx:
            report.archive_pruned = self._prune_archive(tx)
            report.orphans_removed = self._remove_orphans(tx)
        return report

    def close(self) -> None:
        self._closed = True

    # Internals

    def _archive_file(self, uuid: str) -> Path:
        return self.archive_dir / f"{uuid}.json"

    def _quarantine_file(self, uuid: str) -> Path:
        return self.quarantine_dir / f"{uuid}.json"

    def _find_outside_live(self, uuid: str) -> Contribution | None:
        if "/" in uuid or uuid.startswith("."):
            return None
        try:
            record = json.loads(self._archive_file(uuid).read_text(encoding="utf-8"))
            return Contribution.from_record(record)
        except FileNotFoundError:
            pass
        try:
            entry = json.loads(self._quarantine_file(uuid).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return replace(Contribution.from_record(entry["record"]), state=QUARANTINED, failure=entry["reason"])

    def _media_present(self, item: MediaRef) -> bool:
        try:
            return self.media_path(item.sha256).stat().st_size == item.size
        except FileNotFoundError:
            return False

    def _in_state(self, state: str) -> list[Contribution]:
        with self._transaction() as tx:
            records = sorted(tx.live.search(Query().state == state),
                             key=lambda record: (record.get("seq", 0), record.doc_id))
        return [Contribution.from_record(record) for record in records]

    def _number_old_records(self, tx: _Transaction) -> None:
        # Records stored before the sequence existed keep their insertion order.
        unnumbered = sorted((record for record in tx.live.all() if "seq" not in record), key=lambda r: r.doc_id)
        seq = tx.meta()["seq"]
        for record in unnumbered:
            seq += 1
            tx.live.update({"seq": seq}, doc_ids=[record.doc_id])
        if unnumbered:
            tx.set_meta(seq=seq)

    def _resolve_delivered(self, tx: _Transaction, record: Document) -> bool:
        archive = self._archive_file(record["uuid"])
        if not archive.exists():
            return False
        try:
            archived = json.loads(archive.read_text(encoding="utf-8"))
            if archived.get("uuid") != record["uuid"] or archived.get("state") != DELIVERED:
                raise ValueError("it is not a delivered copy of this contribution")
        except (OSError, ValueError) as error:
            # Keep the live record, which will be sent again; put the unreadable copy where staff can see it.
            aside = self.quarantine_dir / f"{archive.stem}.archive-damaged"
            os.replace(archive, aside)
            log.error("Archive copy of %s was unreadable (%s); moved it to %s", record["uuid"], error, aside)
            return False
        tx.live.remove(doc_ids=[record.doc_id])
        meta = tx.meta()
        tx.set_meta(delivered=meta["delivered"] + 1, archived=meta["archived"] + 1)
        log.info("Contribution %s was archived just before a stop; it is delivered", record["uuid"])
        return True

    def _media_problem(self, record: dict) -> str | None:
        try:
            media = Contribution.from_record(record).media
        except (TypeError, ValueError) as error:
            return f"the record cannot be read: {error}"
        problems = [problem for item in media
                    if (problem := blob_problem(self.media_path(item.sha256), item.sha256, item.size))]
        return "; ".join(problems) or None

    def _quarantine(self, tx: _Transaction, record: Document, reason: str) -> None:
        uuid = record["uuid"]
        target = self._quarantine_file(uuid)
        if not target.exists():
            atomic_write_json(target, {"reason": reason, "quarantined_at": iso_utc(self._clock()),
                                       "record": dict(record)}, mode=0o600)
        for item in record.get("media") or ():
            path = self.media_dir / str(item.get("sha256"))
            if is_sha256(str(item.get("sha256"))) and path.exists() and \
                    blob_problem(path, item["sha256"], item.get("size", -1)) is not None:
                # A damaged file must not stand in for the real bytes if the same photo is added again.
                os.replace(path, self.quarantine_dir / f"{item['sha256']}.damaged")
        fsync_dir(self.quarantine_dir)
        tx.live.remove(doc_ids=[record.doc_id])
        log.error("Contribution %s was quarantined in %s: %s", uuid, target, reason)

    def _prune_archive(self, tx: _Transaction) -> int:
        # File ages are read against the wall clock that wrote them; only delivered copies are ever pruned.
        limit = time.time() - self.archive_days * DAY
        pruned = kept = 0
        with os.scandir(self.archive_dir) as entries:
            for entry in entries:
                if not entry.name.endswith(".json") or entry.name.startswith("."):
                    continue
                if entry.stat().st_mtime < limit:
                    os.unlink(entry.path)
                    pruned += 1
                else:
                    kept += 1
        if pruned:
            fsync_dir(self.archive_dir)
            log.info("Pruned %d delivered contributions older than %g days", pruned, self.archive_days)
        if tx.meta()["archived"] != kept:
            tx.set_meta(archived=kept)
        return pruned

    def _remove_orphans(self, tx: _Transaction) -> int:
        limit = time.time() - self.orphan_grace
        candidates = []
        with os.scandir(self.media_dir) as entries:
            for entry in entries:
                if is_sha256(entry.name) and entry.stat().st_mtime < limit:
                    candidates.append(entry.name)
        if not candidates:
            return 0
        used = self._referenced_media(tx)
        removed = 0
        for name in candidates:
            if name not in used:
                (self.media_dir / name).unlink(missing_ok=True)
                removed += 1
        if removed:
            fsync_dir(self.media_dir)
            log.info("Removed %d media files no contribution points to", removed)
        return removed

    def _referenced_media(self, tx: _Transaction) -> set[str]:
        used = {item.get("sha256") for record in tx.live.all() for item in record.get("media") or ()}
        for folder, unwrap in ((self.archive_dir, lambda value: value),
                               (self.quarantine_dir, lambda value: value.get("record") or {})):
            for path in folder.glob("*.json"):
                try:
                    record = unwrap(json.loads(path.read_text(encoding="utf-8")))
                except (OSError, ValueError) as error:
                    # When in doubt keep every file: an unreadable record might point to any of them.
                    log.error("Cannot read %s (%s); no media removed", path, error)
                    return {entry.name for entry in os.scandir(self.media_dir)}
                used.update(item.get("sha256") for item in record.get("media") or ())
        return used

    @contextmanager
    def _lock(self) -> Iterator[None]:
        if self._closed:
            raise StoreError(f"the store {self.path} is closed")
        # A new open file per transaction: flock then also keeps this process's own threads apart.
        with self._thread_lock, locked(self.folder / LOCK_FILE):
            yield

    @contextmanager
    def _transaction(self) -> Iterator[_Transaction]:
        with self._lock():
            # A fresh TinyDB per transaction: TinyDB caches query results and the next document id,
            # which would be stale after another process's write.
            db = TinyDB(self.path, storage=_TransactionStorage)
            # Written only if the whole block succeeded: an error anywhere leaves the file as it was.
            yield _Transaction(db)
            db.storage.flush()


def _read_store_file(path: Path) -> dict | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return json.loads(text) if text.strip() else None


def _set_aside_if_damaged(path: Path) -> None:
    try:
        _read_store_file(path)
    except ValueError as error:
        # Atomic writes make this near impossible; if it happens, keep the damaged file for recovery and
        # carry on collecting rather than leave the kiosk unusable.
        aside = path.with_name(f"{path.stem}.damaged-{int(time.time())}.json")
        os.replace(path, aside)
        log.error("The store %s was unreadable (%s); moved it to %s and started a new one", path, error, aside)
