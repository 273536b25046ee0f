"""A long recording loses nothing: no input overflow while the test microphone speaks for half a minute."""

from __future__ import annotations

import time

import pytest

from kiosk.capture.audio import Recorder, Take
from tests.capture.fakemic import speech_match

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fake_microphone")]


def test_half_a_minute_of_speech_is_recorded_without_a_single_overflow(fake_microphone, store, capture_folder):
    recorder = Recorder(capture_folder, store=store)
    assert recorder.start() is None
    for _ in range(25 * 30):
        # The UI's 30 frames a second, reading the meter.
        recorder.level, recorder.elapsed, recorder.warning  # noqa: B018
        time.sleep(1 / 30)

    take = recorder.stop()

    assert isinstance(take, Take)
    assert recorder.overflows == 0
    assert take.duration >= 24.5
    assert speech_match(take.samples(), fake_microphone.speech) >= 0.9
    assert recorder.writer_cpu_seconds < 0.05 * take.duration, "writing takes under 5 % of one core"
    recorder.discard()
