"""Recording a visitor's voice and playing it back: a non-blocking recorder written to disk as it goes, and a player.

Threads: PortAudio calls the stream callback on its own thread; the callback only copies each block into a
queue (it never waits on a lock, a disk or the UI). A writer thread appends the blocks to disk, measures the
level and syncs the file every second. The UI thread only reads plain attributes (`state`, `level`,
`elapsed`, `warning`) and calls start/stop/keep.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.capture import microphone
from kiosk.capture.files import CaptureFolder, finish_recording
from kiosk.capture.recording import RecordingFile
from kiosk.capture.settings import CaptureSettings
from kiosk.contribution import MediaRef, Problem

log = logging.getLogger(__name__)

IDLE = "idle"
RECORDING = "recording"
STOPPED = "stopped"


@dataclass(frozen=True)
class RecordingPolicy:
    """The rules of a recording, in one place."""

    samplerate: int = 48000
    channels: int = 1
    block_seconds: float = 0.02
    warning_seconds: float = 15.0       # "15 seconds left" before the end
    min_seconds: float = 1.0            # shorter is refused as too short
    noise_floor: float = 0.02           # block RMS, full scale = 1 (about -34 dBFS): below is silence
    min_voiced_seconds: float = 0.3     # less sound than this above the floor is refused as silence
    sync_every: float = 1.0             # seconds of audio a power cut may lose at most


POLICY = RecordingPolicy()

NO_MICROPHONE = Problem(
    "recording", "no_microphone",
    "Le micro ne répond pas. Vous pouvez écrire votre histoire ou prendre une photo.",
    "The microphone is not responding. You can write your story or take a photo instead.")
TOO_SHORT = Problem(
    "recording", "too_short",
    "L'enregistrement est très court. Parlez un peu plus longtemps avant d'arrêter.",
    "The recording is very short. Speak a little longer before you stop.")
SILENT = Problem(
    "recording", "silent",
    "Nous n'avons rien entendu. Parlez tout près du micro et réessayez.",
    "We could not hear anything. Speak close to the microphone and try again.")
NO_ROOM = Problem(
    "recording", "no_room",
    "Les enregistrements sont en pause pour le moment. Vous pouvez écrire votre histoire.",
    "Recordings are paused for now. You can write your story instead.")
NO_SPEAKER = Problem(
    "playback", "no_speaker",
    "Le haut-parleur ne répond pas ; votre enregistrement est bien gardé.",
    "The speaker is not responding; your recording is safe.")


@dataclass(frozen=True)
class Level:
    """The loudness of the latest block, 0..1 of full scale."""

    rms: float = 0.0
    peak: float = 0.0


class Take:
    """A finished recording waiting for the visitor: listen, keep, or record again."""

    def __init__(self, recording: RecordingFile, voiced_seconds: float, peak: float, overflows: int):
        self.recording = recording
        self.samplerate = recording.samplerate
        self.channels = recording.channels
        self.frames = recording.frames()
        self.duration = self.frames / self.samplerate
        self.voiced_seconds = voiced_seconds
        self.peak = peak
        self.overflows = overflows

    def samples(self) -> np.ndarray:
        """The recorded int16 samples (frames x channels)."""
        return self.recording.samples()

    def keep(self, store) -> MediaRef:
        """The visitor keeps it: record that, encode FLAC, add it to the store, delete the capture files.

        Takes a fraction of a second per minute of audio; raises the store's StoreFull (an OSError) when the
        disk is too full, in which case the take stays and a restart finishes it.
        """
        self.recording.confirm()
        return finish_recording(self.recording, store)

    def discard(self) -> None:
        self.recording.delete()


class Recorder:
    """Records one take at a time from the configured microphone into the capture folder.

    `start()` and `stop()` return a Problem for the visitor instead of raising. The take ends by itself at
    `max_seconds`; then `state` becomes "stopped" and `result` holds the Take or the Problem.
    """

    def __init__(self, folder: CaptureFolder, settings: CaptureSettings | None = None, *,
                 max_seconds: float | None = None, store=None, policy: RecordingPolicy = POLICY):
        self.folder = folder
        self.settings = settings or CaptureSettings()
        self.max_seconds = float(max_seconds or self.settings.max_recording_seconds)
        self.store = store
        self.policy = policy
        self.state = IDLE
        self.level = Level()
        self.result: Take | Problem | None = None
        self.overflows = 0
        self.microphone_name: str | None = None
        self.samplerate = policy.samplerate
        self.writer_cpu_seconds = 0.0
        self._frames = 0
        self._max_frames = 0
        self._stream = None
        self._stream_lock = threading.Lock()
        self._writer: threading.Thread | None = None
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._recording: RecordingFile | None = None
        self._control = threading.Lock()
        self._failed: OSError | None = None

    # What the UI reads, at any rate, from any thread

    @property
    def elapsed(self) -> float:
        return self._frames / self.samplerate if self.samplerate else 0.0

    @property
    def remaining(self) -> float:
        return max(0.0, self.max_seconds - self.elapsed)

    @property
    def warning(self) -> bool:
        """True in the last seconds before the recording stops by itself."""
        return self.state == RECORDING and self.remaining <= self.policy.warning_seconds

    # Control, from the UI thread

    def start(self) -> Problem | None:
        """Start a new take (dropping any previous one); a Problem if it cannot start."""
        with self._control:
            if self.state == RECORDING:
                return None
            self._drop_take()
            if self.store is not None and not self.store.has_room_for_capture():
                return NO_ROOM
            sd = microphone.sounddevice()
            if sd is None:
                log.warning("No recording: PortAudio is missing (%s)", microphone.missing_portaudio_reason())
                return NO_MICROPHONE
            try:
                self._open(sd)
            except (sd.PortAudioError, OSError, ValueError) as error:
                log.warning("Could not start recording: %s", error)
                self._close_stream()
                if self._writer is not None:
                    self._writer.join()
                    self._writer = None
                if self._recording is not None:
                    self._recording.delete()
                    self._recording = None
                self.result, self.state = None, IDLE
                return NO_ROOM if isinstance(error, OSError) and error.errno == 28 else NO_MICROPHONE
            self.state = RECORDING
            return None

    def stop(self) -> Take | Problem:
        """Stop the take and return it (or why it was refused). Returns within a block or two."""
        with self._control:
            if self.state == IDLE:
                return self.result or TOO_SHORT
            self._close_stream()
            if self._writer is not None:
                self._writer.join()
                self._writer = None
            return self.result

    def keep(self, store=None) -> MediaRef | Problem:
        """Keep the last take in the store (see Take.keep); a Problem if there is none or no room."""
        take = self.result
        if not isinstance(take, Take):
            return take or TOO_SHORT
        try:
            media = take.keep(store or self.store)
        except OSError as error:
            log.error("Could not keep the recording: %s", error)
            return NO_ROOM
        self.result = None
        self.state = IDLE
        return media

    def discard(self) -> None:
        """Stop if needed and delete the take (record again, start over, back to attract)."""
        with self._control:
            self._close_stream()
            if self._writer is not None:
                self._writer.join()
                self._writer = None
            self._drop_take()

    # Internals

    def _open(self, sd) -> None:
        with microphone.portaudio_lock():
            mic = microphone.find_microphone(self.settings.microphone)
            if mic is None:
                raise sd.PortAudioError("no input device")
            samplerate = self.policy.samplerate
            try:
                sd.check_input_settings(device=mic.index, samplerate=samplerate, channels=self.policy.channels,
                                        dtype="int16")
            except (sd.PortAudioError, ValueError):
                samplerate = int(mic.default_samplerate)
            self.samplerate = samplerate
            self.microphone_name = mic.name
            self._frames = 0
            self._max_frames = int(self.max_seconds * samplerate)
            self.overflows = 0
            self._failed = None
            self.level = Level()
            self.result = None
            self._queue = queue.SimpleQueue()
            self._recording = RecordingFile.create(self.folder.path, self.folder.new_name("recording"),
                                                   samplerate, self.policy.channels)
            self._stream = sd.InputStream(
                device=mic.index, samplerate=samplerate, channels=self.policy.channels, dtype="int16",
                blocksize=max(1, int(samplerate * self.policy.block_seconds)), latency="high",
                callback=self._callback, finished_callback=self._stream_finished,
            )
            microphone.stream_opened()
            self._writer = threading.Thread(target=self._write, args=(self._recording, self._queue, self._stream),
                                            name="agora-recording-writer", daemon=True)
            self._writer.start()
            self._stream.start()
        log.info("Recording from %r at %d Hz (at most %.0f s)", mic.name, samplerate, self.max_seconds)

    def _callback(self, indata, frames, time_info, status) -> None:
        # PortAudio's thread: copy and hand over, nothing that can wait.
        if status.input_overflow:
            self.overflows += 1
        if self._failed is not None:
            raise microphone.sounddevice().CallbackAbort
        wanted = min(frames, self._max_frames - self._frames)
        if wanted > 0:
            self._queue.put(indata[:wanted].copy())
            self._frames += wanted
        if self._frames >= self._max_frames:
            raise microphone.sounddevice().CallbackStop

    def _stream_finished(self) -> None:
        self._queue.put(None)

    def _write(self, recording: RecordingFile, blocks: queue.SimpleQueue, stream) -> None:
        started = time.thread_time()
        last_sync = time.monotonic()
        voiced = 0
        peak = 0.0
        try:
            while True:
                block = blocks.get()
                if block is None:
                    break
                if self._failed is not None:
                    continue
                try:
                    recording.append(block)
                    if time.monotonic() - last_sync >= self.policy.sync_every:
                        recording.sync()
                        last_sync = time.monotonic()
                except OSError as error:
                    log.error("Recording stopped: cannot write %s (%s)", recording.raw_path, error)
                    self._failed = error
                    continue
                level = _level(block)
                self.level = level
                peak = max(peak, level.peak)
                if level.rms >= self.policy.noise_floor:
                    voiced += len(block)
            recording.close()
        except OSError as error:
            self._failed = self._failed or error
        finally:
            self.writer_cpu_seconds = time.thread_time() - started
        self.level = Level()
        self.result = self._judge(recording, voiced / self.samplerate, peak)
        self.state = STOPPED
        # Stopped by the time limit or a full disk: release the device now, not when the UI calls stop().
        self._close_stream(only=stream)

    def _judge(self, recording: RecordingFile, voiced_seconds: float, peak: float) -> Take | Problem:
        if self._failed is not None:
            recording.delete()
            return NO_ROOM
        take = Take(recording, voiced_seconds, peak, self.overflows)
        problem = None
        if take.duration < self.policy.min_seconds:
            problem = TOO_SHORT
        elif voiced_seconds < self.policy.min_voiced_seconds:
            problem = SILENT
        if problem is not None:
            log.info("Recording refused (%s): %.1f s, %.2f s above the noise floor, peak %.3f",
                     problem.code, take.duration, voiced_seconds, peak)
            recording.delete()
            return problem
        log.info("Recorded %.1f s (%d overflows)", take.duration, self.overflows)
        return take

    def _close_stream(self, only=None) -> None:
        stream = _take_stream(self, only)
        if stream is not None:
            _stop_and_close(stream, "microphone")
        self._queue.put(None)

    def _drop_take(self) -> None:
        if isinstance(self.result, Take):
            self.result.discard()
        self._recording = None
        self.result = None
        self.state = IDLE
        self._frames = 0
        self.level = Level()


def _level(block: np.ndarray) -> Level:
    samples = block.astype(np.float32) / 32768.0
    if not samples.size:
        return Level()
    return Level(rms=min(1.0, math.sqrt(float(np.mean(samples * samples)))),
                 peak=min(1.0, float(np.max(np.abs(samples)))))


class Player:
    """Plays a take or a FLAC file through the default output, for the visitor's review; never blocks the UI."""

    def __init__(self, source: Take | Path):
        if isinstance(source, Take):
            self._samples = source.samples()
            self.samplerate = source.samplerate
        else:
            import soundfile

            self._samples, self.samplerate = soundfile.read(Path(source), dtype="int16", always_2d=True)
        self.duration = len(self._samples) / self.samplerate
        self.playing = False
        self._position = 0
        self._stream = None
        self._stream_lock = threading.Lock()
        self._control = threading.Lock()

    @property
    def position(self) -> float:
        return self._position / self.samplerate

    def play(self) -> Problem | None:
        """Play from the start; a Problem if there is no working output."""
        with self._control:
            self._close()
            sd = microphone.sounddevice()
            if sd is None:
                return NO_SPEAKER
            self._position = 0
            try:
                with microphone.portaudio_lock():
                    self._stream = sd.OutputStream(
                        samplerate=self.samplerate, channels=self._samples.shape[1], dtype="int16",
                        callback=self._callback, finished_callback=self._finished,
                    )
                    microphone.stream_opened()
                    self.playing = True
                    self._stream.start()
            except (sd.PortAudioError, OSError, ValueError) as error:
                log.warning("Could not play the recording: %s", error)
                self.playing = False
                self._close()
                return NO_SPEAKER
            return None

    def stop(self) -> None:
        with self._control:
            self._close()

    close = stop

    def _callback(self, outdata, frames, time_info, status) -> None:
        chunk = self._samples[self._position:self._position + frames]
        outdata[:len(chunk)] = chunk
        outdata[len(chunk):] = 0
        self._position += len(chunk)
        if len(chunk) < frames:
            raise microphone.sounddevice().CallbackStop

    def _finished(self) -> None:
        self.playing = False
        # Release the device once the end is reached; PortAudio forbids closing from its own thread.
        stream = self._stream
        if stream is None:
            return
        threading.Thread(target=self._close, args=(stream,), name="agora-player-close", daemon=True).start()

    def _close(self, only=None) -> None:
        stream = _take_stream(self, only)
        if stream is None:
            return
        self.playing = False
        _stop_and_close(stream, "speaker")


def _take_stream(owner: Recorder | Player, only=None):
    """The owner's stream, which it no longer holds; None when it held none, or not `only`. Thread-safe: the
    stream is stopped and closed by whoever takes it, once."""
    with owner._stream_lock:
        if only is not None and owner._stream is not only:
            return None
        stream, owner._stream = owner._stream, None
    return stream


def _stop_and_close(stream, what: str) -> None:
    try:
        stream.stop()
        stream.close()
    except Exception as error:  # an unplugged device fails to stop; it is gone either way
        log.warning("Could not close the %s cleanly: %s", what, error)
    finally:
        microphone.stream_closed()
