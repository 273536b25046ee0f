"""The capture folder: private, emptied on start over, and sorted out at start-up after a crash."""

from __future__ import annotations

import stat

import numpy as np
import soundfile

from kiosk.capture.files import CaptureFolder
from kiosk.capture.recording import RecordingFile, recordings_in
from tests.capture.fakemic import RATE, make_speech, missing_tools


def _speech(tmp_path) -> np.ndarray:
    if missing_tools():
        # Any real-world-like signal will do when espeak-ng is missing.
        t = np.arange(RATE * 2) / RATE
        return (np.sin(2 * np.pi * 220 * t) * 8000).astype("<i2")
    return np.fromfile(make_speech(tmp_path / "speech"), dtype="<i2")


def _recording(folder: CaptureFolder, samples: np.ndarray, confirmed: bool) -> RecordingFile:
    recording = RecordingFile.create(folder.path, folder.new_name("recording"), RATE, 1)
    recording.append(samples.reshape(-1, 1))
    recording.close()
    if confirmed:
        recording.confirm()
    return recording


def test_the_capture_folder_is_readable_by_the_kiosk_alone(capture_folder):
    assert stat.S_IMODE(capture_folder.path.stat().st_mode) == 0o700


def test_start_over_empties_the_capture_folder(capture_folder, tmp_path):
    _recording(capture_folder, _speech(tmp_path), confirmed=False)
    (capture_folder.path / "photo-1-preview.jpg").write_bytes(b"\xff\xd8")

    assert capture_folder.clear() == 3
    assert list(capture_folder.path.iterdir()) == []


def test_at_start_up_kept_recordings_are_finished_and_everything_else_deleted(store, capture_folder, tmp_path):
    speech = _speech(tmp_path)
    _recording(capture_folder, speech, confirmed=True)
    _recording(capture_folder, speech[: RATE], confirmed=False)
    (capture_folder.path / "photo-2-thumbnail.jpg").write_bytes(b"\xff\xd8")

    [media] = CaptureFolder(store.folder).recover(store)

    samples, rate = soundfile.read(store.media_path(media.sha256), dtype="int16")
    assert rate == RATE and np.array_equal(samples, speech), "the FLAC holds exactly what was recorded"
    assert list(capture_folder.path.iterdir()) == []


def test_a_torn_last_sample_after_a_power_cut_is_left_out(capture_folder, tmp_path):
    recording = _recording(capture_folder, _speech(tmp_path)[:1000], confirmed=True)
    with open(recording.raw_path, "ab") as raw:
        raw.write(b"\x01")

    [found] = recordings_in(capture_folder.path)

    assert found.frames() == 1000 and found.samples().shape == (1000, 1)


def test_a_kept_recording_waits_for_the_next_start_when_the_disk_is_full(tmp_path):
    from kiosk.store import Store

    full = Store(tmp_path / "hall", free_space=lambda folder: 0)
    folder = CaptureFolder(full.folder)
    recording = _recording(folder, _speech(tmp_path), confirmed=True)

    assert folder.recover(full) == []

    assert recording.raw_path.exists() and recording.state_path.exists()
    assert recordings_in(folder.path)[0].confirmed
