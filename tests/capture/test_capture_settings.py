"""Capture settings from the environment: the microphone by name, the camera, the recording limit."""

from __future__ import annotations

import pytest

from kiosk.capture.settings import CaptureSettings
from kiosk.config import ConfigError


def test_defaults_use_the_default_microphone_any_camera_and_three_minutes():
    settings = CaptureSettings.from_env({})

    assert settings == CaptureSettings(microphone=None, camera="auto", max_recording_seconds=180.0)


def test_the_hall_kiosk_names_its_usb_microphone_webcam_and_a_shorter_limit():
    settings = CaptureSettings.from_env({
        "AGORA_KIOSK_MICROPHONE": " USB PnP Sound Device ",
        "AGORA_KIOSK_CAMERA": "/dev/v4l/by-id/usb-Logitech_C920-video-index0",
        "AGORA_KIOSK_MAX_RECORDING_SECONDS": "90",
    })

    assert settings.microphone == "USB PnP Sound Device"
    assert settings.camera == "/dev/v4l/by-id/usb-Logitech_C920-video-index0"
    assert settings.max_recording_seconds == 90.0


@pytest.mark.parametrize("variable, value", [
    ("AGORA_KIOSK_CAMERA", "webcam"),
    ("AGORA_KIOSK_CAMERA", "files:"),
    ("AGORA_KIOSK_MAX_RECORDING_SECONDS", "three minutes"),
    ("AGORA_KIOSK_MAX_RECORDING_SECONDS", "0"),
    ("AGORA_KIOSK_MAX_RECORDING_SECONDS", "nan"),
])
def test_a_bad_value_names_the_variable_and_what_to_write(variable, value):
    with pytest.raises(ConfigError) as refused:
        CaptureSettings.from_env({variable: value})

    message = str(refused.value)
    assert variable in message and "expected" in message
