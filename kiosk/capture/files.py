"""The capture folder `<data>/capture/`: temporary, private, emptied on start over, on attract and at start-up."""

from __future__ import annotations

import logging
import os
import secrets
import shutil
from pathlib import Path

from kiosk.capture.recording import FLAC_TYPE, RecordingFile, recordings_in
from kiosk.contribution import MediaRef

log = logging.getLogger(__name__)

CAPTURE_DIR = "capture"


class CaptureFolder:
    """Where recordings and photo previews live until the visitor keeps them (then they go into the store)."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / CAPTURE_DIR
        self.path.mkdir(parents=True, exist_ok=True)
        # Visitors' voices and faces: only the kiosk's own user may read them.
        os.chmod(self.path, 0o700)

    def new_name(self, prefix: str) -> str:
        """A fresh name such as `recording-3f9a0c1d2e4b` (no extension)."""
        return f"{prefix}-{secrets.token_hex(6)}"

    def clear(self) -> int:
        """Delete everything captured (start over, back to attract); returns how many entries went.

        Stop any recorder or player first: a file still being written would reappear.
        """
        removed = 0
        for entry in list(self.path.iterdir()):
            removed += _remove(entry)
        if removed:
            log.info("Deleted %d captured file(s) from %s", removed, self.path)
        return removed

    def recover(self, store) -> list[MediaRef]:
        """At start-up: finish as FLAC in the store every recording the visitor had kept, delete the rest.

        A kept recording that cannot be finished now (e.g. the store is full) stays for the next start.
        Returns the media finished; they belong to no contribution (the visitor's draft did not survive), so
        the store treats them as it treats any unreferenced media.
        """
        finished, waiting = [], set()
        for recording in recordings_in(self.path):
            if not recording.confirmed:
                log.info("Deleting %s: the visitor had not kept it", recording.raw_path.name)
                continue
            try:
                finished.append(finish_recording(recording, store))
                log.info("Finished %s, kept by a visitor before the restart", recording.raw_path.name)
            except (OSError, RuntimeError) as error:
                log.error("Could not finish the kept recording %s yet (%s); will retry at the next start",
                          recording.raw_path.name, error)
                waiting.update(path.name for path in (recording.state_path, recording.raw_path))
        for entry in list(self.path.iterdir()):
            if entry.name not in waiting:
                _remove(entry)
        return finished


def finish_recording(recording: RecordingFile, store) -> MediaRef:
    """Encode a confirmed recording as FLAC, hand it to the store, then delete the capture files."""
    flac = recording.write_flac()
    media = store.add_media(flac, FLAC_TYPE, "audio")
    recording.delete()
    return media


def _remove(entry: Path) -> bool:
    try:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    except FileNotFoundError:
        return False
    return True
