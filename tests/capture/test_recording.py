"""Recording a visitor through the real (test) microphone: what is kept is what was said; silence and clips refused."""

from __future__ import annotations

import time

import pytest
import soundfile

from kiosk.capture.audio import RECORDING, STOPPED, Player, Recorder, RecordingPolicy, Take
from kiosk.capture.microphone import MicrophoneWatcher, find_microphone, microphone_available
from kiosk.capture.settings import CaptureSettings
from tests.capture.fakemic import speech_match

pytestmark = pytest.mark.usefixtures("fake_microphone")

# Shorter takes keep these tests quick where the length limits are not what is tested.
BRIEF = RecordingPolicy(min_seconds=0.5)


def _record(recorder: Recorder, seconds: float):
    assert recorder.start() is None
    time.sleep(seconds)
    return recorder.stop()


def test_what_alice_says_is_what_the_kiosk_keeps_as_flac(fake_microphone, store, capture_folder):
    recorder = Recorder(capture_folder, store=store)

    take = _record(recorder, 3.0)
    assert isinstance(take, Take), take
    media = recorder.keep()

    samples, rate = soundfile.read(store.media_path(media.sha256), dtype="int16")
    assert soundfile.info(str(store.media_path(media.sha256))).format == "FLAC"
    assert rate == 48000 and 2.0 <= len(samples) / rate <= 3.3
    assert speech_match(samples, fake_microphone.speech) >= 0.9
    assert (media.type, media.kind) == ("audio/flac", "audio")
    assert recorder.overflows == 0
    assert list(capture_folder.path.iterdir()) == [], "nothing of the take is left in the capture folder"


def test_the_level_meter_and_clock_move_while_alice_speaks(store, capture_folder):
    recorder = Recorder(capture_folder, store=store)
    assert recorder.start() is None
    peaks = []
    for _ in range(12):
        time.sleep(0.1)
        peaks.append(recorder.level.peak)
    assert recorder.state == RECORDING
    assert 0.8 <= recorder.elapsed <= 1.6
    recorder.discard()

    assert max(peaks) > 0.05 and all(0.0 <= peak <= 1.0 for peak in peaks)
    assert recorder.level.peak == 0.0 and recorder.state != RECORDING


def test_the_recording_stops_by_itself_at_the_exhibit_limit_after_a_warning(store, capture_folder):
    recorder = Recorder(capture_folder, store=store, max_seconds=1.5)
    assert recorder.start() is None
    time.sleep(0.3)
    assert recorder.warning, "the last 15 seconds of a short limit: the warning shows at once"

    deadline = time.monotonic() + 5
    while recorder.state != STOPPED and time.monotonic() < deadline:
        time.sleep(0.05)

    assert recorder.state == STOPPED and not recorder.warning
    take = recorder.result
    assert isinstance(take, Take) and take.duration == pytest.approx(1.5, abs=0.001)
    assert recorder.stop() is take


def test_a_recording_of_silence_is_refused_kindly(fake_microphone, store, capture_folder):
    recorder = Recorder(capture_folder, store=store)
    with fake_microphone.silent_room():
        problem = _record(recorder, 1.3)

    assert problem.code == "silent"
    assert "rien entendu" in problem.message_fr and "could not hear" in problem.message_en
    assert list(capture_folder.path.iterdir()) == []


def test_a_too_short_recording_is_refused_kindly(store, capture_folder):
    recorder = Recorder(capture_folder, store=store)

    problem = _record(recorder, 0.3)

    assert problem.code == "too_short"
    assert list(capture_folder.path.iterdir()) == []
    assert recorder.keep().code == "too_short", "nothing to keep"


def test_recording_again_replaces_the_previous_take(store, capture_folder):
    recorder = Recorder(capture_folder, store=store, policy=BRIEF)
    first = _record(recorder, 1.0)
    assert isinstance(first, Take)

    second = _record(recorder, 1.0)

    assert isinstance(second, Take)
    assert not first.recording.raw_path.exists()
    assert second.recording.raw_path.exists()
    recorder.discard()
    assert list(capture_folder.path.iterdir()) == []


def test_start_over_leaves_nothing_of_the_visitor_behind(store, capture_folder):
    recorder = Recorder(capture_folder, store=store)
    assert recorder.start() is None
    time.sleep(0.5)

    recorder.discard()
    capture_folder.clear()

    assert list(capture_folder.path.iterdir()) == []
    assert list(store.media_dir.iterdir()) == []


def test_the_visitor_hears_the_recording_before_sending_it(store, capture_folder):
    recorder = Recorder(capture_folder, store=store, policy=BRIEF)
    take = _record(recorder, 1.0)
    player = Player(take)
    assert player.duration == pytest.approx(take.duration)

    assert player.play() is None
    time.sleep(0.4)
    assert player.playing and 0.1 < player.position < 0.9
    deadline = time.monotonic() + 5
    while player.playing and time.monotonic() < deadline:
        time.sleep(0.05)

    assert not player.playing
    assert player.position == pytest.approx(take.duration)
    player.close()
    recorder.discard()


def test_the_kept_flac_plays_back_too(store, capture_folder):
    recorder = Recorder(capture_folder, store=store, policy=BRIEF)
    _record(recorder, 0.8)
    media = recorder.keep()

    player = Player(store.media_path(media.sha256))

    assert player.play() is None
    time.sleep(0.3)
    player.stop()
    assert not player.playing and 0.1 < player.position < 0.7


def test_no_recording_starts_when_the_kiosk_disk_is_nearly_full(tmp_path):
    from kiosk.capture.files import CaptureFolder
    from kiosk.store import Store

    full = Store(tmp_path / "hall", free_space=lambda folder: 10 * 1024 * 1024)
    recorder = Recorder(CaptureFolder(full.folder), store=full)

    problem = recorder.start()

    assert problem.code == "no_room"
    assert recorder.state != RECORDING


def test_the_microphone_is_chosen_by_name_else_the_default_one():
    assert find_microphone("PULSE").name == "pulse"
    assert find_microphone("USB Audio Device that is not plugged in").name == "default"
    assert find_microphone(None).name == "default"


def test_an_unplugged_microphone_is_explained_and_comes_back_when_plugged_in(fake_microphone, store,
                                                                            capture_folder):
    watcher = MicrophoneWatcher()
    recorder = Recorder(capture_folder, CaptureSettings(microphone="USB"), store=store, policy=BRIEF)
    assert watcher.available

    with fake_microphone.unplugged():
        assert watcher.poll() and not watcher.available
        assert not microphone_available()
        problem = recorder.start()
        assert problem.code == "no_microphone" and "micro" in problem.message_fr

    assert watcher.poll() and watcher.available
    assert isinstance(_record(recorder, 1.0), Take)
    recorder.discard()


def test_the_watcher_does_not_pull_the_microphone_from_under_a_recording(store, capture_folder):
    recorder = Recorder(capture_folder, store=store, policy=BRIEF)
    assert recorder.start() is None
    time.sleep(0.2)

    MicrophoneWatcher().poll()
    time.sleep(0.6)

    take = recorder.stop()
    assert isinstance(take, Take) and take.duration > 0.7
    recorder.discard()
