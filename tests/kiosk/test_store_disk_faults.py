"""A full disk (ENOSPC) or an I/O error (EIO) at any write step leaves the store as it was, and usable.

The fault is injected at the edge Agora does not own, the operating system: the n-th call to os.write,
os.fsync or os.replace fails, for every n the operation makes.
"""

import errno
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.contribution import Draft, MediaRef
from kiosk.fsutil import TEMP_SUFFIX
from kiosk.store import LOCK_FILE, Store

UUIDS = ("01a21c97-0c2b-773f-b106-31c3f4cbcf36", "01a21c97-0c2b-773f-b106-31c3f4cbcf37")
PHOTO = b"\xff\xd8\xff\xe0 Chloe's photo of the tapestry " * 200
NEW_PHOTO = b"\xff\xd8\xff\xe0 Bob's photo of the harvest " * 300
STEPS = ("write", "fsync", "replace")


class FakeClock:
    def __call__(self) -> float:
        return 1_795_000_000.0


def open_hall(folder: Path) -> Store:
    return Store(folder, clock=FakeClock(), clock_synchronised=lambda: True)


def story(uuid: str, **changes) -> Draft:
    return Draft(uuid=uuid, exhibit="la-tapisserie", prompt="souvenir", text="Alice's memory", **changes)


def add_photo(store):
    store.add_media(NEW_PHOTO, "image/jpeg", "photo")


def submit_text(store):
    store.submit(story(UUIDS[1]))


def submit_with_photo(store):
    # The photo was kept when the visitor took it, long before they tapped "send".
    photo = MediaRef(sha256=hashlib.sha256(PHOTO).hexdigest(), size=len(PHOTO), type="image/jpeg", kind="photo")
    store.submit(story(UUIDS[1], media=[photo]))


def mark_delivered(store):
    store.mark_delivered(UUIDS[0], {"uuid": UUIDS[0], "receipt": "R", "blobs": []})


def mark_failed(store):
    store.mark_failed(UUIDS[0], "refused by the hub (422): exhibit: unknown")


OPERATIONS = {f.__name__: f for f in (add_photo, submit_text, submit_with_photo, mark_delivered, mark_failed)}


def prepare(folder: Path) -> Path:
    """The "Hall" kiosk with one contribution waiting and a photo kept; the same bytes on disk every time."""
    store = open_hall(folder)
    store.submit(story(UUIDS[0]))
    store.add_media(PHOTO, "image/jpeg", "photo")
    store.close()
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != LOCK_FILE}


def observe(folder: Path) -> dict:
    """What the store says, as the app and the agent see it (no start-up recovery)."""
    store = Store(folder, recover=False)
    return {
        "pending": [c.uuid for c in store.pending()],
        "failed": [c.uuid for c in store.failed()],
        "states": {uuid: (c.state if (c := store.get(uuid)) else None) for uuid in UUIDS},
        "media": sorted(path.name for path in store.media_dir.iterdir()),
    }


class Faults:
    """Counts calls to the chosen os functions and makes the n-th call of one of them fail."""

    def __init__(self, step: str | None = None, at: int = 0, code: int = errno.EIO):
        self.step, self.at, self.code = step, at, code
        self.calls = dict.fromkeys(STEPS, 0)
        self.replaced = 0

    @contextmanager
    def installed(self):
        real = {name: getattr(os, name) for name in STEPS}

        def wrap(name):
            def call(*args, **kwargs):
                self.calls[name] += 1
                if name == self.step and self.calls[name] == self.at:
                    raise OSError(self.code, os.strerror(self.code))
                result = real[name](*args, **kwargs)
                if name == "replace":
                    self.replaced += 1
                return result
            return call

        for name in STEPS:
            setattr(os, name, wrap(name))
        try:
            yield self
        finally:
            for name, function in real.items():
                setattr(os, name, function)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_failing_write_step_leaves_the_store_as_it_was(tmp_path, operation, step, code):
    run = OPERATIONS[operation]
    reference = prepare(tmp_path / "reference")
    before_files, before = snapshot(reference), observe(reference)
    store = open_hall(reference)
    with Faults().installed() as counted:
        run(store)
    after = observe(reference)
    assert counted.calls[step] > 0, f"{operation} never calls os.{step}"

    for at in range(1, counted.calls[step] + 1):
        hall = prepare(tmp_path / f"hall-{at}")
        store = open_hall(hall)
        with Faults(step, at, code).installed() as fault, pytest.raises(OSError) as raised:
            run(store)

        assert raised.value.errno == code
        assert not list(hall.rglob(f"*{TEMP_SUFFIX}")), f"temp file left after os.{step} call {at} failed"
        if fault.replaced == 0:
            # Nothing had been put in place yet: every byte on disk is as it was.
            assert snapshot(hall) == before_files, f"changed after os.{step} call {at} failed"
        else:
            # The failure came after a file was put in place: the store says before or after, nothing else.
            assert observe(hall) in (before, after), f"torn state after os.{step} call {at} failed"
        # And the kiosk carries on: the same operation now succeeds, with the same outcome.
        run(open_hall(hall))
        assert observe(hall) == after
        reopened = open_hall(hall)
        assert reopened.recovery.quarantined == []
        assert observe(hall) == after
