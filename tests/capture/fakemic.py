"""A real microphone without a sound card: PulseAudio's null sink fed with espeak-ng speech, heard through ALSA.

PortAudio -> ALSA `default` -> ALSA pulse plugin -> PulseAudio source `fakemic` (the monitor of a null sink)
<- `pacat` playing the speech in a loop, paced in real time. A second source, `quietmic`, fed with zeros at the
same pace, is a microphone in a silent room (an idle null sink's monitor gives no samples at all).
Used by the capture tests and bench/capture.py.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

RATE = 48000
SPEECH_FR = ("Bonjour, je m'appelle Alice. Cette tapisserie était accrochée dans la maison de ma grand-mère, "
             "au bord de la rivière, et nous la regardions chaque hiver.")

_SCRIPT = """\
load-module module-native-protocol-unix auth-anonymous=1
load-module module-null-sink sink_name=micsink format=s16le rate=48000 channels=1
load-module module-remap-source source_name=fakemic master=micsink.monitor
load-module module-null-sink sink_name=quietsink format=s16le rate=48000 channels=1
load-module module-remap-source source_name=quietmic master=quietsink.monitor
set-default-source fakemic
set-default-sink quietsink
"""

_PR_SET_PDEATHSIG = 1
TOOLS = ("pulseaudio", "pacat", "parec", "pactl", "espeak-ng", "sox")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def make_speech(folder: Path, text: str = SPEECH_FR, voice: str = "fr") -> Path:
    """Speech as raw 48 kHz mono signed 16-bit samples (`speech.s16le`), made by espeak-ng and sox."""
    folder.mkdir(parents=True, exist_ok=True)
    spoken, wav, raw = folder / "spoken.wav", folder / "speech.wav", folder / "speech.s16le"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(spoken), text], check=True, capture_output=True)
    subprocess.run(["sox", str(spoken), "-r", str(RATE), "-c", "1", "-b", "16", str(wav)], check=True,
                   capture_output=True)
    subprocess.run(["sox", str(wav), "-t", "raw", "-e", "signed", str(raw)], check=True, capture_output=True)
    return raw


class FakeMicrophone:
    """Starts PulseAudio and the speech feeder in `folder`; points this process (and children) at it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.runtime = self.folder / "run"
        self.server = f"unix:{self.runtime}/pulse/native"
        self.speech_path: Path | None = None
        self._pulse: subprocess.Popen | None = None
        self._feeder: subprocess.Popen | None = None
        self._quiet: subprocess.Popen | None = None
        self._saved_env: dict[str, str | None] = {}

    @property
    def speech(self) -> np.ndarray:
        """The looped speech as int16 samples."""
        return np.fromfile(self.speech_path, dtype="<i2")

    def start(self) -> None:
        self.speech_path = make_speech(self.folder / "speech")
        self.runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        (self.folder / "home").mkdir(exist_ok=True)
        script = self.folder / "fakemic.pa"
        script.write_text(_SCRIPT)
        env = dict(os.environ, HOME=str(self.folder / "home"), XDG_RUNTIME_DIR=str(self.runtime),
                   PULSE_SERVER=self.server)
        with open(self.folder / "pulseaudio.log", "wb") as log:
            self._pulse = subprocess.Popen(
                ["pulseaudio", "-n", "-F", str(script), "--daemonize=no", "--exit-idle-time=-1"],
                env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
            )
        self._wait_for_server(env)
        pacat = ["pacat", "--playback", "--format=s16le", "--rate=48000", "--channels=1", "--latency-msec=200",
                 "--raw"]
        self._feeder = subprocess.Popen([*pacat, "--device=micsink"], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=_die_with_parent)
        threading.Thread(target=_loop_into, args=(self.speech_path.read_bytes(), self._feeder.stdin),
                         name="fakemic-speech", daemon=True).start()
        with open("/dev/zero", "rb") as zeros:
            self._quiet = subprocess.Popen([*pacat, "--device=quietsink"], env=env, stdin=zeros,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                           preexec_fn=_die_with_parent)
        # The first capture stream after the server starts loses about a second: spend it here.
        subprocess.run(["timeout", "2", "parec", "--device=fakemic", "--format=s16le", "--rate=48000",
                        "--channels=1", "--raw"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for name, value in (("PULSE_SERVER", self.server), ("XDG_RUNTIME_DIR", str(self.runtime))):
            self._saved_env[name] = os.environ.get(name)
            os.environ[name] = value
        from kiosk.capture import microphone

        microphone.rescan()

    def stop(self) -> None:
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for process in (self._feeder, self._quiet, self._pulse):
            if process is not None and process.poll() is None:
                # Terminated first: closing the pipe while the speech loop is blocked writing into it would wait
                # for pacat to drain the whole speech in real time.
                process.terminate()
            if process is not None and process.stdin is not None:
                try:
                    process.stdin.close()
                except OSError:
                    pass
            if process is not None:
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self._feeder = self._quiet = self._pulse = None

    @contextmanager
    def silent_room(self):
        """The default input becomes a microphone nobody speaks into."""
        self._pactl("set-default-source", "quietmic")
        try:
            yield
        finally:
            self._pactl("set-default-source", "fakemic")

    @contextmanager
    def unplugged(self):
        """The sound server disappears from this process's view, as a USB microphone does when pulled out."""
        from kiosk.capture import microphone

        os.environ["PULSE_SERVER"] = f"unix:{self.folder}/nowhere"
        microphone.rescan()
        try:
            yield
        finally:
            os.environ["PULSE_SERVER"] = self.server
            microphone.rescan()

    def _pactl(self, *args: str) -> None:
        subprocess.run(["pactl", *args], env=dict(os.environ, PULSE_SERVER=self.server), check=True,
                       capture_output=True)

    def _wait_for_server(self, env: dict) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self._pulse.poll() is not None:
                raise RuntimeError(f"PulseAudio stopped at start; see {self.folder / 'pulseaudio.log'}")
            if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"PulseAudio did not answer within 15 s; see {self.folder / 'pulseaudio.log'}")


_shared: FakeMicrophone | None = None
_users = 0


def shared_microphone(folder: Path) -> FakeMicrophone:
    """This test process's one test microphone, started by its first user (the capture and kiosk UI tests
    share it: one sound server, one warm-up)."""
    global _shared, _users
    if _shared is None:
        microphone = FakeMicrophone(folder)
        microphone.start()
        _shared = microphone
    _users += 1
    return _shared


def release_microphone() -> None:
    """One user is done with the shared microphone; the last one stops it."""
    global _shared, _users
    _users = max(0, _users - 1)
    if _users == 0 and _shared is not None:
        _shared.stop()
        _shared = None


@pytest.fixture(scope="session")
def fake_microphone(tmp_path_factory):
    """A real-time microphone hearing Alice's recorded speech in a loop, for the whole session.

    Both tests/capture and tests/kiosk_ui import this fixture, so they share one PulseAudio server.
    """
    missing = missing_tools()
    if missing:
        pytest.skip(f"the test microphone needs {', '.join(missing)} (make system-test installs them from "
                    "tools/packages/audio.txt)")
    yield shared_microphone(tmp_path_factory.mktemp("fakemic"))
    release_microphone()


def speech_match(recorded: np.ndarray, source: np.ndarray, window_seconds: float = 0.5) -> float:
    """The share of half-second windows of `recorded` that are the looped `source` (correlation above 0.9),
    among the windows with sound in them.

    Windows rather than the whole: when the machine is busy the feeder may skip, which puts a gap in what the
    test microphone hears (a real microphone has no such gaps; recorder losses show up as overflows).
    """
    recorded = recorded.ravel()
    size = int(window_seconds * RATE)
    windows = [recorded[start:start + size] for start in range(0, len(recorded) - size + 1, size)]
    # Pauses between sentences say nothing about the match either way.
    voiced = [window for window in windows if np.abs(window).max() > 300]
    matches = [best_match(window, source) > 0.9 for window in voiced]
    return sum(matches) / len(matches) if matches else 0.0


def _die_with_parent() -> None:
    # If the test run is killed, the sound server and feeders go with it instead of running on for ever.
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _loop_into(speech: bytes, pipe) -> None:
    # Blocking writes into the pipe are what pace the loop; pacat plays it in real time.
    try:
        while True:
            pipe.write(speech)
    except (BrokenPipeError, ValueError, OSError):
        return


def best_match(window: np.ndarray, source: np.ndarray) -> float:
    """How well `window` matches some stretch of the looped `source` (normalised correlation, -1..1)."""
    window = window.astype(np.float64).ravel()
    source = source.astype(np.float64).ravel()
    size = len(window)
    looped = np.tile(source, int(np.ceil((len(window) + len(source)) / len(source))) + 1)
    length = 1 << int(np.ceil(np.log2(len(looped) + len(window))))
    spectrum = np.fft.rfft(looped, length) * np.conj(np.fft.rfft(window, length))
    correlation = np.fft.irfft(spectrum, length)[:len(source)]
    energy = np.cumsum(np.concatenate([[0.0], looped * looped]))
    local = energy[size:size + len(source)] - energy[:len(source)]
    norm = np.sqrt(np.maximum(local, 1e-9) * float(np.dot(window, window)))
    return float(np.max(correlation / norm))
