"""Finding the microphone by name through PortAudio, and noticing when it is unplugged or plugged back."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

# PortAudio is initialised once per process and only sees devices present at that moment; to notice a
# microphone plugged in later it must be terminated and initialised again, which would break any open stream.
# This lock and counter keep re-scans and open streams apart.
_portaudio = threading.RLock()
_open_streams = 0

try:
    import sounddevice as _sd
except OSError as error:  # libportaudio2 missing: no audio at all, but the kiosk still runs
    _sd = None
    _IMPORT_ERROR = str(error)
else:
    _IMPORT_ERROR = ""


@dataclass(frozen=True)
class Microphone:
    """An input device as PortAudio names it; `index` is only valid until the next rescan."""

    index: int
    name: str
    default_samplerate: float
    channels: int


def sounddevice():
    """The sounddevice module, or None when PortAudio is not installed."""
    return _sd


def find_microphone(name: str | None = None) -> Microphone | None:
    """The input whose name contains `name` (case-insensitive), else the default input, else None."""
    if _sd is None:
        return None
    with _portaudio:
        try:
            devices = list(_sd.query_devices())
            default_index = _sd.default.device[0]
            if default_index is None or default_index < 0:
                default_index = _sd.query_hostapis(0)["default_input_device"] if devices else -1
        except Exception as error:  # PortAudio reports a vanished device as a generic error
            log.warning("Could not list audio devices: %s", error)
            return None
    inputs = [(index, device) for index, device in enumerate(devices) if device["max_input_channels"] > 0]
    if name:
        wanted = name.casefold()
        for index, device in inputs:
            if wanted in device["name"].casefold():
                return _microphone(index, device)
        log.info("No microphone named like %r; using the default input", name)
    for index, device in inputs:
        if index == default_index:
            return _microphone(index, device)
    return _microphone(*inputs[0]) if inputs else None


def microphone_available(name: str | None = None) -> bool:
    """Cheap check for the UI: is there a microphone to record from, as of the last scan?"""
    return find_microphone(name) is not None


def rescan() -> bool:
    """Ask PortAudio to list devices again (about 30 ms); skipped while a recording or playback is open."""
    if _sd is None:
        return False
    with _portaudio:
        if _open_streams:
            return False
        try:
            _sd._terminate()
            _sd._initialize()
        except Exception as error:
            log.warning("Could not rescan audio devices: %s", error)
            return False
    return True


def stream_opened() -> None:
    """Count a stream as open: no rescan pulls PortAudio from under it until `stream_closed()`."""
    global _open_streams
    with _portaudio:
        _open_streams += 1


def stream_closed() -> None:
    global _open_streams
    with _portaudio:
        _open_streams = max(0, _open_streams - 1)


def portaudio_lock() -> threading.RLock:
    return _portaudio


def missing_portaudio_reason() -> str:
    return _IMPORT_ERROR


def _microphone(index: int, device: dict) -> Microphone:
    return Microphone(index=index, name=device["name"], default_samplerate=float(device["default_samplerate"]),
                      channels=int(device["max_input_channels"]))


class MicrophoneWatcher:
    """Keeps `available` up to date by rescanning every few seconds, off the UI thread.

    The UI reads `available` (a plain bool) to show or explain the recording option.
    """

    def __init__(self, name: str | None = None, interval: float = 3.0):
        self.name = name
        self.interval = interval
        self.available = microphone_available(name)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll(self) -> bool:
        """One step: rescan (unless a stream is open) and update `available`; True if it changed."""
        rescan()
        available = microphone_available(self.name)
        changed = available != self.available
        if changed:
            log.info("Microphone %s", "plugged in" if available else "gone")
        self.available = available
        return changed

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="agora-microphone-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()
