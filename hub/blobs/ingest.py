"""Taking in a blob chunk by chunk: resumable, idempotent, checked on the last byte, never half-stored."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from hub.blobs.media import EXTENSIONS, Limits, MediaRefused, check, kind_of, thumbnail_of
from hub.blobs.models import Blob
from hub.devices.models import Device
from hub.durability import lazy_commits
from sync.protocol import AUDIO_TYPES, MEDIA_KIND_PHOTO, PHOTO_TYPES

CHUNK = 1 << 20
# A copy being written beside the stored blobs, renamed into place once flushed (blob pruning clears leftovers).
TEMPORARY_PREFIX = "."
TEMPORARY_SUFFIX = ".tmp"


class BlobRefused(Exception):
    """The request cannot be taken; `status` is the HTTP answer, `offset` is set when the client should resume."""

    def __init__(self, status: int, message: str, offset: int | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class Progress:
    offset: int
    complete: bool


@dataclass(frozen=True)
class Chunk:
    """One PUT: `length` bytes at `start` of a blob of `total` bytes, read from `read(n)`."""

    content_type: str
    start: int
    total: int
    length: int
    read: Callable[[int], bytes]


def limits() -> Limits:
    return Limits(
        max_photo_pixels=settings.AGORA_HUB_MAX_PHOTO_MEGAPIXELS * 1_000_000,
        max_audio_seconds=settings.AGORA_HUB_MAX_AUDIO_SECONDS,
    )


def max_bytes(kind: str) -> int:
    megabytes = settings.AGORA_HUB_MAX_PHOTO_MB if kind == MEDIA_KIND_PHOTO else settings.AGORA_HUB_MAX_AUDIO_MB
    return megabytes * 1024 * 1024


def uploads_dir() -> Path:
    folder = Path(settings.AGORA_HUB_UPLOADS_DIR)
    _make_folder(folder / "locks")
    return folder


def partial_path(sha256: str) -> Path:
    return uploads_dir() / f"{sha256}.part"


@contextmanager
def blob_lock(sha256: str) -> Iterator[None]:
    """Serialises work on one blob across threads and gunicorn workers; 256 lock files cover every hash."""
    path = uploads_dir() / "locks" / sha256[:2]
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def progress(sha256: str) -> Progress | None:
    """What the hub holds of a blob: None for nothing, else the offset and whether it is complete."""
    blob = Blob.objects.filter(pk=sha256).order_by().first()
    if blob is None:
        return None
    if blob.complete:
        return Progress(blob.size, True)
    part = partial_path(sha256)
    offset = part.stat().st_size if part.exists() else 0
    if offset == blob.size:
        # The last chunk arrived but the hub stopped before checking it: finish the job now.
        with blob_lock(sha256):
            blob.refresh_from_db()
            if not blob.complete:
                try:
                    _finalise(blob, None)
                except BlobRefused:
                    return None
        return Progress(blob.size, True)
    return Progress(offset, False) if offset else None


def receive_chunk(device: Device | None, sha256: str, chunk: Chunk) -> tuple[Progress, bool]:
    """The blob's progress after this chunk, and whether this chunk completed it. Raises BlobRefused."""
    kind = kind_of(chunk.content_type)
    if kind is None:
        raise BlobRefused(
            415,
            f"Content-Type {chunk.content_type or '(none)'!r} is not a media type the hub takes; "
            f"send photos as one of {', '.join(PHOTO_TYPES)} and recordings as one of {', '.join(AUDIO_TYPES)}.",
        )
    with blob_lock(sha256):
        blob = Blob.objects.filter(pk=sha256).order_by().first()
        if blob is not None and blob.complete:
            return Progress(blob.size, True), False
        if chunk.total == 0:
            raise BlobRefused(422, "The body is empty; a blob needs at least one byte. Send the file's bytes.")
        limit = max_bytes(kind)
        if chunk.total > limit:
            raise BlobRefused(
                413,
                f"The {kind} has {chunk.total} bytes, more than the {limit // (1024 * 1024)} MB the hub accepts "
                f"for a {kind}; send a smaller file.",
            )
        part = partial_path(sha256)
        offset = part.stat().st_size if part.exists() and blob is not None else 0
        if blob is not None and (blob.size != chunk.total or blob.declared_type != chunk.content_type):
            if offset:
                raise BlobRefused(
                    409,
                    f"This blob is already being received as {blob.size} bytes of {blob.declared_type}; "
                    "resume that upload at the offset given, or check the file's hash.",
                    offset,
                )
            blob.delete()
            blob = None
        if chunk.start != offset:
            raise BlobRefused(
                409, f"The hub holds {offset} bytes of this blob; send the bytes from offset {offset} on.", offset
            )
        now = timezone.now()
        if blob is None:
            part.unlink(missing_ok=True)
        running = hashlib.sha256() if offset == 0 else None
        received = _append(part, chunk, running)
        if blob is None:
            # Recorded once the bytes are in: a blob sent whole in one request costs one write, its insert as
            # complete. Only a hub stopped in the middle of a body forgets those bytes (the kiosk resends them).
            blob = Blob(
                sha256=sha256, kind=kind, declared_type=chunk.content_type, size=chunk.total, device=device,
                created_at=now, updated_at=now,
            )
        if received < chunk.length or offset + received < chunk.total:
            with lazy_commits():
                if blob._state.adding:
                    blob.save(force_insert=True)
                else:
                    Blob.objects.filter(pk=sha256).update(updated_at=now)
        if received < chunk.length:
            raise BlobRefused(
                400,
                f"The body ended after {received} of {chunk.length} bytes; resume from offset {offset + received}.",
                offset + received,
            )
        if offset + received < chunk.total:
            return Progress(offset + received, False), False
        _finalise(blob, running)
        return Progress(blob.size, True), True


def _append(part: Path, chunk: Chunk, running) -> int:
    """Appends what arrives, so that a cut request still moves the offset on by what it carried.

    Not flushed to disk here: a partial file that a power cut leaves short or damaged costs the kiosk a resend
    (the whole blob is hashed on its last byte, a mismatch answers 422 and the kiosk starts again from 0), and
    the complete file is flushed once, with its folder, before the hub calls it complete.
    """
    received = 0
    with open(part, "ab") as handle:
        while received < chunk.length:
            try:
                data = chunk.read(min(CHUNK, chunk.length - received))
            except OSError:
                break
            if not data:
                break
            handle.write(data)
            if running is not None:
                running.update(data)
            received += len(data)
    return received


def _finalise(blob: Blob, running) -> None:
    """Checks the whole blob and moves it into storage, or discards it with the reason. Called under the lock."""
    part = partial_path(blob.sha256)
    if running is None:
        running = hashlib.sha256()
        with open(part, "rb") as handle:
            while data := handle.read(CHUNK):
                running.update(data)
    digest = running.hexdigest()
    if digest != blob.sha256:
        _discard(blob)
        raise BlobRefused(
            422,
            f"The bytes received hash to {digest}, not to the {blob.sha256} in the address; nothing was kept. "
            "Send the whole blob again from offset 0.",
        )
    try:
        checked = check(part, blob.declared_type, limits())
    except MediaRefused as refusal:
        _discard(blob)
        raise BlobRefused(refusal.status, refusal.message + " Nothing was kept.") from None
    extension = EXTENSIONS[checked.content_type]
    name = f"blobs/{blob.sha256[:2]}/{blob.sha256}.{extension}"
    thumbnail = thumbnail_name(blob.sha256) if checked.thumbnail else ""
    _replace(name, ContentFile(checked.cleaned) if checked.cleaned is not None else _ReceivedFile(part))
    if thumbnail:
        _replace(thumbnail, ContentFile(checked.thumbnail))
    now = timezone.now()
    blob.complete, blob.content_type, blob.file, blob.thumbnail = True, checked.content_type, name, thumbnail
    blob.width, blob.height, blob.duration = checked.width, checked.height, checked.duration
    blob.completed_at = blob.updated_at = now
    # Lost in a power cut, this record costs the kiosk a resend of a file it still has (no receipt names the
    # blob yet), and the receipt's own flushed commit will carry it to disk: no flush of its own.
    with lazy_commits():
        if blob._state.adding:
            blob.save(force_insert=True)
        else:
            Blob.objects.filter(pk=blob.sha256).update(
                complete=True, content_type=checked.content_type, file=name, thumbnail=thumbnail,
                width=checked.width, height=checked.height, duration=checked.duration, completed_at=now,
                updated_at=now,
            )
    part.unlink(missing_ok=True)


def thumbnail_name(sha256: str) -> str:
    return f"blobs/{sha256[:2]}/{sha256}.thumb.jpg"


def ensure_thumbnail(blob: Blob) -> str:
    """The name of the photo's thumbnail, made now if ingest left it for later."""
    if blob.thumbnail or blob.kind != MEDIA_KIND_PHOTO or not blob.complete:
        return blob.thumbnail
    with blob_lock(blob.sha256):
        blob.refresh_from_db()
        if not blob.thumbnail:
            with default_storage.open(blob.file, "rb") as handle:
                small = thumbnail_of(handle.read())
            name = thumbnail_name(blob.sha256)
            _replace(name, ContentFile(small))
            Blob.objects.filter(pk=blob.sha256).update(thumbnail=name)
            blob.thumbnail = name
    return blob.thumbnail


class _ReceivedFile(File):
    """The received bytes as they are: moved into place on a local disk, copied to an object store."""

    def __init__(self, path: Path):
        super().__init__(open(path, "rb"), name=path.name)
        self.moved_from = path


def _replace(name: str, content: File) -> None:
    """Saves under exactly this name, durably; a leftover from an interrupted attempt is replaced."""
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:
        local = None  # an object store makes its own promises about durability
    try:
        if local is None:
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, content)
            if saved != name:
                raise RuntimeError(f"The storage saved {name} as {saved}.")
        else:
            _replace_local(local, content)
    finally:
        content.close()


def _replace_local(local: Path, content: File) -> None:
    """Puts the bytes at `local` in one rename, after flushing them, then flushes the folder's entry.

    The receipt tells the kiosk it may forget the file, so the hub's copy must survive a power cut: the bytes
    are on disk before the name points at them, and the name is on disk before the blob is called complete.
    One rename also means the name never points at nothing while a leftover is replaced.
    """
    _make_folder(local.parent, default_storage.directory_permissions_mode)
    mode = default_storage.file_permissions_mode
    if isinstance(content, _ReceivedFile):
        os.fsync(content.file.fileno())
        if mode is not None:
            os.chmod(content.moved_from, mode)
        os.replace(content.moved_from, local)
    else:
        fd, temporary = tempfile.mkstemp(dir=local.parent, prefix=f"{TEMPORARY_PREFIX}{local.name}.",
                                         suffix=TEMPORARY_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as handle:
                for data in content.chunks():
                    handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            if mode is not None:
                os.chmod(temporary, mode)
            os.replace(temporary, local)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)  # a full disk must not leave half a copy behind
            raise
    _fsync(local.parent)


_folders: set[Path] = set()


def _make_folder(folder: Path, mode: int | None = None) -> None:
    """Makes a folder (and its parents) once per worker rather than on every call, each new one flushed into
    its parent."""
    if folder in _folders and folder.is_dir():
        return
    missing = []
    step = folder
    while not step.is_dir():
        missing.append(step)
        step = step.parent
    for new in reversed(missing):
        # Another worker may have made it a moment ago without flushing it yet: flushed here either way.
        new.mkdir(exist_ok=True) if mode is None else new.mkdir(mode, exist_ok=True)
        _fsync(new.parent)
    _folders.add(folder)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(blob: Blob) -> None:
    partial_path(blob.sha256).unlink(missing_ok=True)
    Blob.objects.filter(pk=blob.sha256, complete=False).delete()


def delete_unused_blob(blob: Blob, untouched_since) -> bool:
    """Removes a blob's record and files unless a contribution uses it or an upload touched it since."""
    with blob_lock(blob.sha256):
        try:
            with transaction.atomic():
                deleted, _ = Blob.objects.filter(
                    pk=blob.sha256, uses__isnull=True, updated_at__lt=untouched_since
                ).delete()
        except ProtectedError:
            return False  # a contribution claimed it a moment ago
        if not deleted:
            return False
        for name in (blob.file, blob.thumbnail):
            if name and default_storage.exists(name):
                default_storage.delete(name)
        partial_path(blob.sha256).unlink(missing_ok=True)
    return True
