"""A kiosk killed mid-recording: the samples on disk are intact, and a restart deletes or finishes them as agreed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import soundfile

from kiosk.capture.files import CaptureFolder
from kiosk.capture.recording import recordings_in
from tests.capture.fakemic import speech_match

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fake_microphone")]

ROOT = Path(__file__).resolve().parents[2]

_KIOSK = """
import sys, time
from pathlib import Path
from kiosk.capture.audio import Recorder
from kiosk.capture.files import CaptureFolder
from kiosk.store import Store

store = Store(Path(sys.argv[1]))
recorder = Recorder(CaptureFolder(store.folder), store=store)
assert recorder.start() is None
print("recording", flush=True)
if sys.argv[2] == "keep":
    time.sleep(2.5)
    take = recorder.stop()
    take.recording.confirm()
    print("confirmed", flush=True)
time.sleep(60)
"""


def _kiosk_killed_after(data: Path, mode: str, signal_line: str, delay: float) -> None:
    process = subprocess.Popen([sys.executable, "-c", _KIOSK, str(data), mode], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in process.stdout:
            if line.strip() == signal_line:
                break
        else:
            raise AssertionError(f"the kiosk process ended before saying {signal_line!r}")
        time.sleep(delay)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def test_a_recording_cut_off_by_a_crash_holds_everything_said_and_is_deleted_at_restart(fake_microphone, store):
    _kiosk_killed_after(store.folder, "record", "recording", delay=3.0)

    [recording] = recordings_in(store.folder / "capture")
    samples = recording.samples()
    assert 2.0 <= len(samples) / recording.samplerate <= 3.5, "all but the last moments are on disk"
    assert speech_match(samples, fake_microphone.speech) >= 0.9
    assert not recording.confirmed

    finished = CaptureFolder(store.folder).recover(store)

    assert finished == []
    assert list((store.folder / "capture").iterdir()) == [], "a recording Alice never kept is gone"
    assert list(store.media_dir.iterdir()) == []


def test_a_recording_alice_kept_just_before_a_crash_is_finished_as_flac_at_restart(fake_microphone, store):
    _kiosk_killed_after(store.folder, "keep", "confirmed", delay=0.1)

    [media] = CaptureFolder(store.folder).recover(store)

    samples, rate = soundfile.read(store.media_path(media.sha256), dtype="int16")
    assert soundfile.info(str(store.media_path(media.sha256))).format == "FLAC"
    assert 2.2 <= len(samples) / rate <= 2.8
    assert speech_match(samples, fake_microphone.speech) >= 0.9
    assert list((store.folder / "capture").iterdir()) == []
