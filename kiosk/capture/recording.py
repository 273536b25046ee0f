"""A recording on disk while it is made: raw 16-bit samples appended in blocks, a small state file, FLAC at the end.

Raw samples are the format a power cut cannot damage: every whole sample written before the last fsync is
there after a restart, and any prefix of the file is valid audio. (A FLAC file being written by libsndfile is
not: killed mid-recording, it reports an unknown length, cannot be read in one go and ends in a torn frame.)
The state file says whether the visitor chose to keep the recording; at start-up a kept one is finished as
FLAC and a not-kept one is deleted.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import numpy as np

from kiosk.fsutil import atomic_write_json, fsync_dir

log = logging.getLogger(__name__)

RAW_SUFFIX = ".s16le"
STATE_SUFFIX = ".json"
FLAC_SUFFIX = ".flac"
SAMPLE_BYTES = 2
FLAC_TYPE = "audio/flac"
# FLAC is encoded in bounded blocks: memory stays small whatever the length, and libsndfile is never handed
# one huge buffer.
_ENCODE_FRAMES = 48000 * 10


class RecordingFile:
    """`<folder>/<name>.s16le` (samples) + `<name>.json` (rate, channels, whether the visitor kept it)."""

    def __init__(self, state_path: Path):
        self.state_path = Path(state_path)
        self.raw_path = self.state_path.with_suffix(RAW_SUFFIX)
        self.flac_path = self.state_path.with_suffix(FLAC_SUFFIX)
        self._fd: int | None = None
        self._state: dict | None = None

    @classmethod
    def create(cls, folder: Path, name: str, samplerate: int, channels: int) -> RecordingFile:
        recording = cls(Path(folder) / f"{name}{STATE_SUFFIX}")
        recording._state = {"format": "s16le", "samplerate": int(samplerate), "channels": int(channels),
                            "confirmed": False, "started_at": time.time()}
        # The state file exists before any sample, so a restart always knows what the samples are.
        atomic_write_json(recording.state_path, recording._state, mode=0o600)
        recording._fd = os.open(recording.raw_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fsync_dir(recording.raw_path.parent)
        return recording

    @property
    def state(self) -> dict:
        if self._state is None:
            self._state = json.loads(self.state_path.read_text(encoding="utf-8"))
        return self._state

    @property
    def samplerate(self) -> int:
        return int(self.state["samplerate"])

    @property
    def channels(self) -> int:
        return int(self.state["channels"])

    @property
    def confirmed(self) -> bool:
        return bool(self.state.get("confirmed"))

    def append(self, samples: np.ndarray) -> None:
        """Write a block of int16 samples (frames x channels); raises OSError (e.g. disk full)."""
        data = np.ascontiguousarray(samples, dtype="<i2").tobytes()
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    def sync(self) -> None:
        """Make every sample written so far survive a power cut."""
        if self._fd is not None:
            os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.fsync(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None

    def confirm(self) -> None:
        """Record that the visitor keeps this recording: from now on a restart finishes it instead of deleting it."""
        self.close()
        state = dict(self.state, confirmed=True)
        atomic_write_json(self.state_path, state, mode=0o600)
        self._state = state

    def frames(self) -> int:
        try:
            size = self.raw_path.stat().st_size
        except FileNotFoundError:
            return 0
        return size // (SAMPLE_BYTES * self.channels)

    def samples(self) -> np.ndarray:
        """All whole frames on disk as int16 (frames x channels); a torn last sample is left out."""
        frames = self.frames()
        data = np.fromfile(self.raw_path, dtype="<i2", count=frames * self.channels)
        return data.reshape(frames, self.channels)

    def write_flac(self) -> Path:
        """Encode the samples as `<name>.flac` next to them (temp name, fsync, rename) and return its path."""
        import soundfile

        temp = self.flac_path.with_name(f".{self.flac_path.name}.partial")
        frames = self.frames()
        with open(self.raw_path, "rb") as raw, soundfile.SoundFile(
            temp, "w", samplerate=self.samplerate, channels=self.channels, format="FLAC", subtype="PCM_16",
        ) as flac:
            remaining = frames
            while remaining > 0:
                count = min(remaining, _ENCODE_FRAMES)
                block = np.frombuffer(raw.read(count * SAMPLE_BYTES * self.channels), dtype="<i2")
                flac.write(block.reshape(count, self.channels))
                remaining -= count
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, self.flac_path)
        return self.flac_path

    def delete(self) -> None:
        self.close()
        for path in (self.raw_path, self.flac_path, self.flac_path.with_name(f".{self.flac_path.name}.partial"),
                     self.state_path):
            try:
                path.unlink()
            except FileNotFoundError:
                pass


def recordings_in(folder: Path) -> list[RecordingFile]:
    """The recordings (by their state files) found in a capture folder."""
    if not Path(folder).is_dir():
        return []
    return [RecordingFile(path) for path in sorted(Path(folder).glob(f"recording-*{STATE_SUFFIX}"))]
