"""Cameras behind one small interface: the Raspberry Pi camera, a USB webcam, and a test camera serving image files.

Every camera: `open()` (CameraUnavailable if it cannot), `frame()` -> the latest preview as an RGB array
(height x width x 3, uint8, top row first) or None before the first one, never waiting; `capture()` -> the
still as JPEG bytes (may take a second: call it off the UI thread); `close()` (safe twice). Frames are read
by a background thread, so `frame()` is cheap at 30 frames a second.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from kiosk.capture.settings import CaptureSettings
from kiosk.contribution import Problem

log = logging.getLogger(__name__)

V4L_BY_ID = Path("/dev/v4l/by-id")
PREVIEW_SIZE = (800, 600)
NO_CAMERA = Problem(
    "photo", "no_camera",
    "L'appareil photo ne répond pas. Vous pouvez écrire ou enregistrer votre histoire.",
    "The camera is not responding. You can write or record your story instead.")


class CameraUnavailable(RuntimeError):
    """The camera is missing, unplugged or busy; `problem` says so to the visitor."""

    problem = NO_CAMERA


class Camera:
    """The interface every camera implements; use it as a context manager to be sure it is closed."""

    name = "camera"

    def open(self) -> None:
        raise NotImplementedError

    def frame(self) -> np.ndarray | None:
        raise NotImplementedError

    def capture(self) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Camera:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FileCamera(Camera):
    """The test camera: shows one image file at a time; `capture()` gives that file's bytes, EXIF and all.

    `show(i)` switches image (deterministic tests); `advance()` moves to the next one.
    """

    name = "test camera"

    def __init__(self, images: Sequence[Path], preview_size: tuple[int, int] = PREVIEW_SIZE):
        self.images = [Path(path) for path in images]
        self.preview_size = preview_size
        self.current = 0
        self._previews: dict[int, np.ndarray] = {}
        self._open = False

    @classmethod
    def from_folder(cls, folder: Path) -> FileCamera:
        images = sorted(path for path in Path(folder).iterdir() if path.suffix.lower() in (".jpg", ".jpeg", ".png"))
        return cls(images)

    def open(self) -> None:
        if not self.images or not all(path.is_file() for path in self.images):
            raise CameraUnavailable(f"the test camera has no images to show in {self.images!r}")
        self._open = True

    def show(self, index: int) -> None:
        self.current = index % len(self.images)

    def advance(self) -> None:
        self.show(self.current + 1)

    def frame(self) -> np.ndarray | None:
        if not self._open:
            return None
        if self.current not in self._previews:
            with Image.open(self.images[self.current]) as image:
                image.draft("RGB", self.preview_size)
                upright = ImageOps.exif_transpose(image).convert("RGB")
            upright.thumbnail(self.preview_size)
            self._previews[self.current] = np.asarray(upright)
        return self._previews[self.current]

    def capture(self) -> bytes:
        if not self._open:
            raise CameraUnavailable("the test camera is closed")
        return self.images[self.current].read_bytes()

    def close(self) -> None:
        self._open = False


class _GrabbingCamera(Camera):
    """Shared by real cameras: a thread keeps the latest frame so that `frame()` never waits on the device."""

    def __init__(self):
        self._latest: np.ndarray | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failure: str | None = None

    def frame(self) -> np.ndarray | None:
        return self._latest

    def _start_grabbing(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._grab_loop, name=f"agora-{self.name}", daemon=True)
        self._thread.start()

    def _stop_grabbing(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._latest = None

    def _grab_loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                frame = self._grab()
            except Exception as error:  # the device vanished mid-stream: report it, do not take the app down
                frame, self._failure = None, str(error)
            if frame is None:
                failures += 1
                if failures > 50:
                    log.warning("The %s stopped sending frames (%s)", self.name, self._failure)
                    self._latest = None
                    return
                time.sleep(0.02)
                continue
            failures = 0
            self._latest = frame

    def _grab(self) -> np.ndarray | None:
        raise NotImplementedError


class OpenCVCamera(_GrabbingCamera):
    """A USB webcam through V4L2 and OpenCV, named by its stable /dev/v4l/by-id path."""

    name = "webcam"

    def __init__(self, device: str | Path, resolution: tuple[int, int] = (1920, 1080),
                 preview_size: tuple[int, int] = PREVIEW_SIZE):
        super().__init__()
        self.device = str(device)
        self.resolution = resolution
        self.preview_size = preview_size
        self._capture = None
        self._still: np.ndarray | None = None
        self._lock = threading.Lock()

    def open(self) -> None:
        try:
            import cv2
        except ImportError as error:
            raise CameraUnavailable(f"OpenCV is not installed ({error}); pip install 'agora[webcam]'") from None
        capture = cv2.VideoCapture(self.device, cv2.CAP_V4L2)
        if not capture.isOpened():
            capture.release()
            raise CameraUnavailable(f"cannot open the webcam {self.device}")
        capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*"MJPG"))
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.resolution[0])
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.resolution[1])
        ok, frame = capture.read()
        if not ok or frame is None:
            capture.release()
            raise CameraUnavailable(f"the webcam {self.device} opened but sends no picture")
        self._capture = capture
        self._still = frame
        self._latest = self._preview(frame)
        self._start_grabbing()

    def capture(self) -> bytes:
        import cv2

        with self._lock:
            still = self._still
        if self._capture is None or still is None:
            raise CameraUnavailable(f"the webcam {self.device} is closed")
        ok, encoded = cv2.imencode(".jpg", still, [cv2.IMWRITE_JPEG_QUALITY, 95])
        if not ok:
            raise CameraUnavailable(f"the webcam {self.device} gave a picture that could not be encoded")
        return encoded.tobytes()

    def close(self) -> None:
        self._stop_grabbing()
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()
        self._still = None

    def _grab(self) -> np.ndarray | None:
        ok, frame = self._capture.read()
        if not ok or frame is None:
            return None
        with self._lock:
            self._still = frame
        return self._preview(frame)

    def _preview(self, bgr: np.ndarray) -> np.ndarray:
        import cv2

        height, width = bgr.shape[:2]
        scale = min(self.preview_size[0] / width, self.preview_size[1] / height, 1.0)
        if scale < 1.0:
            bgr = cv2.resize(bgr, (int(width * scale), int(height * scale)), interpolation=cv2.INTER_AREA)
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


class PiCamera(_GrabbingCamera):
    """The Raspberry Pi camera through picamera2 (Debian's python3-picamera2; the venv needs system packages)."""

    name = "Raspberry Pi camera"

    def __init__(self, preview_size: tuple[int, int] = PREVIEW_SIZE):
        super().__init__()
        self.preview_size = preview_size
        self._camera = None
        self._still_config = None
        self._lock = threading.Lock()

    def open(self) -> None:
        try:
            from picamera2 import Picamera2
        except ImportError as error:
            raise CameraUnavailable(f"picamera2 is not available ({error})") from None
        try:
            camera = Picamera2()
            # picamera2's RGB888 is B, G, R in memory; frames are flipped to RGB in _grab.
            camera.configure(camera.create_preview_configuration(
                main={"size": self.preview_size, "format": "RGB888"}))
            self._still_config = camera.create_still_configuration()
            camera.start()
        except Exception as error:  # picamera2 raises RuntimeError, IndexError or OSError for a missing camera
            raise CameraUnavailable(f"cannot start the Raspberry Pi camera: {error}") from None
        self._camera = camera
        self._start_grabbing()

    def capture(self) -> bytes:
        if self._camera is None:
            raise CameraUnavailable("the Raspberry Pi camera is closed")
        out = io.BytesIO()
        try:
            with self._lock:
                self._camera.switch_mode_and_capture_file(self._still_config, out, format="jpeg")
        except Exception as error:
            raise CameraUnavailable(f"the Raspberry Pi camera could not take the picture: {error}") from None
        return out.getvalue()

    def close(self) -> None:
        self._stop_grabbing()
        camera, self._camera = self._camera, None
        if camera is not None:
            try:
                camera.stop()
            finally:
                camera.close()

    def _grab(self) -> np.ndarray | None:
        with self._lock:
            bgr = self._camera.capture_array("main")
        return np.ascontiguousarray(bgr[:, :, 2::-1])


def webcams() -> list[Path]:
    """USB webcams by their stable names (card numbers move between boots; these do not)."""
    if not V4L_BY_ID.is_dir():
        return []
    return sorted(path for path in V4L_BY_ID.iterdir() if path.name.endswith("-video-index0"))


def picamera_present() -> bool:
    if importlib.util.find_spec("picamera2") is None:
        return False
    try:
        from picamera2 import Picamera2

        return bool(Picamera2.global_camera_info())
    except Exception as error:
        log.info("picamera2 is installed but lists no camera: %s", error)
        return False


def find_camera(settings: CaptureSettings | None = None) -> Camera | None:
    """The configured camera if it is there (not opened yet), else None: the UI then hides the photo option.

    Cheap enough to call every few seconds to notice a webcam plugged in.
    """
    choice = (settings or CaptureSettings()).camera
    if choice == "none":
        return None
    if choice.startswith("files:"):
        folder = Path(choice[len("files:"):])
        return FileCamera.from_folder(folder) if folder.is_dir() and any(folder.iterdir()) else None
    if choice.startswith("/dev/"):
        return OpenCVCamera(choice) if Path(choice).exists() and _opencv_installed() else None
    if choice in ("auto", "picamera") and picamera_present():
        return PiCamera()
    if choice == "auto" and _opencv_installed():
        found = webcams()
        if found:
            return OpenCVCamera(found[0])
    return None


def camera_available(settings: CaptureSettings | None = None) -> bool:
    return find_camera(settings) is not None


def _opencv_installed() -> bool:
    return importlib.util.find_spec("cv2") is not None
