"""Sending a contribution's photos and recordings: send what the hub lacks, resuming where it stands, in chunks."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sync.client import BlobState, BodySlice, HubClient, HubError
from sync.retry import REFUSED, RetryPolicy

# Big chunks cost nothing on a cut (the hub keeps the bytes a cut request carried) and spare a request and a
# flush on the hub per chunk. A reverse proxy with a smaller body limit answers 413: the chunk is then halved.
DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024
MIN_CHUNK_SIZE = 256 * 1024
# A photo and a recording go up side by side: the hub checks one while the other is on the wire.
DEFAULT_PARALLEL = 2
KIND_WORDS = {"photo": "photo", "audio": "recording"}


class ItemRefused(Exception):
    """This contribution can never be delivered as it is; the message says why, in plain words."""


class BlobUploader:
    """Uploads blobs resumably: HEAD, then PUT from the hub's offset in chunks of `chunk_size` bytes."""

    def __init__(self, client: HubClient, media_path: Callable[[str], Path], policy: RetryPolicy,
                 chunk_size: int = DEFAULT_CHUNK_SIZE, parallel: int = DEFAULT_PARALLEL):
        if chunk_size < 1:
            raise ValueError(f"the upload chunk size must be at least one byte, not {chunk_size}")
        self.client = client
        self.media_path = media_path
        self.policy = policy
        self.chunk_size = chunk_size
        self.parallel = max(1, parallel)
        self._pool: ThreadPoolExecutor | None = None
        self._ahead: Future | None = None
        self._begun: set[str] = set()  # blobs this uploader has sent bytes of (or tried to)

    def send_ahead(self, media: Iterable) -> None:
        """Start sending these blobs in the background, ahead of their turn: the next contribution's files go up
        while the hub acknowledges the current one and the kiosk records its receipt.

        Only the files travel early; their contribution is sent, and marked delivered, in its turn. Whatever
        goes wrong here is left for send_all to meet again, and report, when that turn comes.
        """
        media = list(media)

        def send_each() -> set[str]:
            sent = set()
            for ref in media:
                try:
                    self.send(ref, _ignore)
                except (HubError, ItemRefused, OSError):
                    continue
                sent.add(ref.sha256)
            return sent

        # One after the other, on one thread: the other connection stays free for the current contribution.
        self._ahead = self._executor().submit(send_each)

    def send_all(self, media: Iterable, progress: Callable[[int], None]) -> None:
        """Make sure the hub holds every blob; `progress(bytes)` hears how many bytes of them it holds so far.

        Raises ItemRefused when a blob can never be sent, HubError when sending must be tried again later.
        """
        media = list(media)
        held = dict.fromkeys((ref.sha256 for ref in media), 0)
        lock = threading.Lock()

        def reporter(sha256: str) -> Callable[[int], None]:
            def report(count: int) -> None:
                with lock:
                    held[sha256] = count
                    progress(sum(held.values()))

            return report

        ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.exception() is None:
            sent = ahead.result()
            for ref in media:
                if ref.sha256 in sent:
                    reporter(ref.sha256)(ref.size)
            media = [ref for ref in media if ref.sha256 not in sent]
        if self.parallel == 1 or len(media) < 2:
            for ref in media:
                self.send(ref, reporter(ref.sha256))
            return
        pool = self._executor()
        futures = [pool.submit(self.send, ref, reporter(ref.sha256)) for ref in media]
        problems = [future.exception() for future in futures if future.exception() is not None]
        # A file that can never go decides the contribution's fate before any passing network trouble.
        refused = [problem for problem in problems if isinstance(problem, ItemRefused)]
        if refused or problems:
            raise (refused or problems)[0]

    def close(self) -> None:
        """Let the upload threads end (they are idle between contributions)."""
        self._ahead = None
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="agora-upload")
        return self._pool

    def send(self, ref, report: Callable[[int], None]) -> None:
        if ref.sha256 in self._begun:
            # Sent before (perhaps cut, perhaps by another contribution): ask the hub how much it holds.
            state = self.client.blob_state(ref.sha256)
            if state.complete:
                report(ref.size)
                return
        else:
            # Nothing says the hub holds any of it, so no question first: should it hold some after all (a
            # kiosk restarted mid-upload), it answers 409 with its offset, or 200 if it has the whole file.
            state = BlobState(0, False)
        self._begun.add(ref.sha256)
        path = Path(self.media_path(ref.sha256))
        what = KIND_WORDS.get(ref.kind, ref.kind)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise ItemRefused(f"its {what} file {path} is missing from the kiosk") from None
        with handle:
            size = os.fstat(handle.fileno()).st_size
            if size != ref.size:
                raise ItemRefused(f"its {what} file {path} is damaged ({size} bytes instead of {ref.size})")
            self._upload(ref, what, path, handle, state.offset, report)

    def _upload(self, ref, what: str, path: Path, handle, offset: int, report: Callable[[int], None]) -> None:
        conflicts = restarts = 0
        chunk_size = self.chunk_size
        while True:
            report(offset)
            end = min(ref.size, offset + chunk_size)
            sent = [offset]

            def on_read(count: int, sent: list = sent) -> None:
                sent[0] += count
                report(sent[0])

            try:
                state = self.client.put_blob(ref.sha256, ref.type, BodySlice(handle, offset, end, on_read), ref.size)
            except HubError as error:
                if error.status in (400, 409) and error.offset is not None and conflicts < self.policy.offset_conflicts:
                    # Another attempt got further (or less far) than this one knew, or the body arrived short:
                    # resume where the hub is.
                    conflicts += 1
                    offset = min(error.offset, ref.size)
                    continue
                if error.status == 413 and end - offset > MIN_CHUNK_SIZE:
                    # Perhaps a proxy's body limit rather than the hub's verdict on the whole file: try smaller.
                    chunk_size = max(MIN_CHUNK_SIZE, (end - offset) // 2)
                    continue
                if error.status == 422 and restarts < self.policy.reuploads:
                    # The hub threw its copy away (the hash did not match); send it all again, but only if the
                    # kiosk's own file is still what its name says.
                    if _sha256(path) != ref.sha256:
                        raise ItemRefused(f"its {what} file {path} is damaged (its content changed)") from None
                    restarts += 1
                    offset = 0
                    continue
                if self.policy.verdict(error.status) == REFUSED:
                    raise ItemRefused(f"the hub refused its {what} ({error.status}): {error.detail}") from None
                raise
            if state.complete:
                report(ref.size)
                return
            if state.offset <= offset:
                raise HubError(None, f"the hub did not keep the bytes sent for {ref.sha256[:12]}; "
                                     "will try again", False)
            offset = state.offset


def _ignore(count: int) -> None:
    """Progress of a file sent ahead of its turn: the status line shows the contribution being delivered."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
