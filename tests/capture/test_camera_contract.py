"""The camera contract: what the photo screen relies on, run on the test camera and on a real webcam when present."""

from __future__ import annotations

import glob
import importlib.util
import io
import time

import numpy as np
import pytest
from PIL import Image

from kiosk.capture.camera import CameraUnavailable, FileCamera, OpenCVCamera, camera_available, find_camera, webcams
from kiosk.capture.settings import CaptureSettings
from tests.capture.pictures import write_photo


@pytest.fixture
def test_camera(tmp_path):
    return FileCamera([write_photo(tmp_path / "tapisserie.jpg", size=(1600, 1200), orientation=6),
                       write_photo(tmp_path / "grand-mere.jpg", size=(640, 480), orientation=1)])


def _webcam():
    if importlib_missing("cv2"):
        pytest.skip("OpenCV is not installed (pip install 'agora[webcam]')")
    found = webcams()
    if found:
        return OpenCVCamera(found[0])
    devices = sorted(glob.glob("/dev/video*"))
    if not devices:
        pytest.skip("no /dev/video* device on this machine: the webcam half of the contract needs a real camera")
    return OpenCVCamera(devices[0])


def importlib_missing(name: str) -> bool:
    return importlib.util.find_spec(name) is None


@pytest.fixture(params=["test camera", "webcam"])
def camera(request, test_camera):
    chosen = test_camera if request.param == "test camera" else _webcam()
    yield chosen
    chosen.close()


def test_a_closed_camera_gives_no_preview_frame(camera):
    assert camera.frame() is None


def test_an_open_camera_gives_rgb_preview_frames_the_ui_can_show(camera):
    camera.open()
    frame = _first_frame(camera)

    assert isinstance(frame, np.ndarray) and frame.dtype == np.uint8
    assert frame.ndim == 3 and frame.shape[2] == 3
    assert 0 < frame.shape[1] <= 800 and 0 < frame.shape[0] <= 600, "preview frames are small enough to blit"


def test_a_capture_is_a_jpeg_at_least_as_large_as_the_preview(camera):
    camera.open()
    frame = _first_frame(camera)

    still = Image.open(io.BytesIO(camera.capture()))

    assert still.format == "JPEG"
    assert max(still.size) >= max(frame.shape[:2])


def test_closing_twice_is_harmless_and_a_closed_camera_refuses_to_capture(camera):
    camera.open()
    camera.close()
    camera.close()

    with pytest.raises(CameraUnavailable) as refused:
        camera.capture()
    assert refused.value.problem.code == "no_camera"
    assert camera.frame() is None


def test_a_camera_works_as_a_context_manager(camera):
    with camera as opened:
        assert _first_frame(opened) is not None
    assert camera.frame() is None


def _first_frame(camera, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = camera.frame()
        if frame is not None:
            return frame
        time.sleep(0.02)
    raise AssertionError(f"the {camera.name} gave no preview frame within {timeout} s")


def test_the_test_camera_preview_is_upright_like_a_real_camera(test_camera):
    with test_camera:
        frame = test_camera.frame()
    assert frame.shape[0] > frame.shape[1], "a 1600x1200 photo with orientation 6 previews as portrait"


def test_the_test_camera_can_show_each_of_its_photos_in_turn(test_camera):
    with test_camera:
        first = test_camera.capture()
        test_camera.advance()
        second = test_camera.capture()
    assert first != second
    assert Image.open(io.BytesIO(second)).size == (640, 480)


def test_a_missing_test_camera_folder_or_an_empty_one_means_no_camera(tmp_path):
    assert find_camera(CaptureSettings(camera=f"files:{tmp_path / 'nowhere'}")) is None
    assert find_camera(CaptureSettings(camera=f"files:{tmp_path}")) is None


def test_the_configured_test_camera_is_found_and_opens(tmp_path):
    write_photo(tmp_path / "tapisserie.jpg")

    camera = find_camera(CaptureSettings(camera=f"files:{tmp_path}"))

    assert isinstance(camera, FileCamera)
    with camera:
        assert camera.frame() is not None


def test_no_camera_configured_or_plugged_in_means_the_photo_option_is_hidden(tmp_path):
    assert not camera_available(CaptureSettings(camera="none"))
    assert find_camera(CaptureSettings(camera="/dev/v4l/by-id/usb-unplugged-video-index0")) is None


def test_opening_a_webcam_that_is_not_there_fails_cleanly():
    if importlib_missing("cv2"):
        pytest.skip("OpenCV is not installed (pip install 'agora[webcam]')")
    camera = OpenCVCamera("/dev/v4l/by-id/usb-unplugged-video-index0")

    with pytest.raises(CameraUnavailable):
        camera.open()
    camera.close()
