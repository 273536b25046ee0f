"""Capture settings from AGORA_KIOSK_* environment variables: which microphone and camera, how long a recording."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.config import ConfigError

DEFAULT_MAX_RECORDING_SECONDS = 180.0


@dataclass(frozen=True)
class CaptureSettings:
    """`microphone`: part of the input device's name (None = the system default).
    `camera`: "auto", "none", "picamera", a /dev/v4l/by-id/... path, or "files:<folder of JPEGs>" (test camera).
    `max_recording_seconds`: the longest recording (an exhibit may ask for less)."""

    microphone: str | None = None
    camera: str = "auto"
    max_recording_seconds: float = DEFAULT_MAX_RECORDING_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> CaptureSettings:
        microphone = environ.get("AGORA_KIOSK_MICROPHONE", "").strip() or None
        camera = _camera(environ.get("AGORA_KIOSK_CAMERA", "").strip() or "auto", "AGORA_KIOSK_CAMERA")
        raw = environ.get("AGORA_KIOSK_MAX_RECORDING_SECONDS", "").strip()
        seconds = _seconds(raw, "AGORA_KIOSK_MAX_RECORDING_SECONDS") if raw else DEFAULT_MAX_RECORDING_SECONDS
        return cls(microphone=microphone, camera=camera, max_recording_seconds=seconds)


def _camera(value: str, what: str) -> str:
    if value in ("auto", "none", "picamera") or value.startswith("/dev/"):
        return value
    if value.startswith("files:") and value[len("files:"):].strip():
        return value
    raise ConfigError(f"{what} is {value!r}; expected auto, none, picamera, a webcam path such as "
                      "/dev/v4l/by-id/usb-...-video-index0, or files:/folder/of/jpegs for the test camera")


def _seconds(value: str, what: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{what} is {value!r}; expected a number of seconds, e.g. 180") from None
    if not math.isfinite(number) or not 5 <= number <= 1800:
        raise ConfigError(f"{what} is {value!r}; expected a number of seconds between 5 and 1800, e.g. 180")
    return number
