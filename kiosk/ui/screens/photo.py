"""The photo screen: the camera's live picture, a calm 3-2-1, then retake or keep; the kept photo is shown again."""

import io
import math
from pathlib import Path

from kivy.clock import Clock
from kivy.core.image import Image as CoreImage
from kivy.graphics.texture import Texture
from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty, OptionProperty, StringProperty

from kiosk.capture.photo import KeptPhoto, Photo
from kiosk.contribution import Problem
from kiosk.ui.theme import JourneyScreen

COUNTDOWN_SECONDS = 3
# The live picture is copied to the screen this often: smooth enough to aim, light on a Raspberry Pi.
PREVIEW_FPS = 15


class PhotoScreen(JourneyScreen):
    """States: starting (camera opening), preview, countdown, taking, taken, keeping, kept, problem."""

    state = OptionProperty("starting", options=(
        "starting", "preview", "countdown", "taking", "taken", "keeping", "kept", "problem"))
    countdown = NumericProperty(0)
    picture = ObjectProperty(None, allownone=True)
    message = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._desk = None
        self._language = "fr"
        self._photo: Photo | None = None
        self._countdown_from = 0.0
        self._blitting = None
        self._last_frame = None
        self._live: Texture | None = None

    def show(self, desk, kept: KeptPhoto | None, language: str) -> None:
        self._desk, self._language = desk, language
        self._photo = None
        self.message = ""
        if kept is not None:
            self.state = "kept"
            self.picture = CoreImage(str(kept.preview_path)).texture
        else:
            self.start_camera()

    def start_camera(self) -> None:
        self.state, self.message, self.picture = "starting", "", None
        self._desk.run(self._desk.open_camera, self._camera_opened)

    def _camera_opened(self, problem: Problem | None) -> None:
        if problem is not None:
            self._problem(problem)
            return
        self._last_frame = None
        self.state = "preview"
        self._start_preview()

    # Live picture (main thread: textures belong to the GL context)

    def _start_preview(self) -> None:
        if self._blitting is None:
            self._blitting = Clock.schedule_interval(self._blit, 1 / PREVIEW_FPS)
        self._blit(0)

    def _stop_preview(self) -> None:
        if self._blitting is not None:
            self._blitting.cancel()
            self._blitting = None

    def _blit(self, _dt) -> None:
        camera = self._desk.camera if self._desk else None
        frame = camera.frame() if camera is not None else None
        if frame is None or frame is self._last_frame:
            return
        self._last_frame = frame
        height, width = frame.shape[:2]
        if self._live is None or self._live.size != (width, height):
            self._live = Texture.create(size=(width, height), colorfmt="rgb")
            # Camera rows come top first; OpenGL's come bottom first.
            self._live.flip_vertical()
        self._live.blit_buffer(frame.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
        if self.picture is not self._live:
            self.picture = self._live
        self.ids.picture.canvas.ask_update()

    # The visitor's actions

    def take(self) -> None:
        if self.state != "preview":
            return
        self.state = "countdown"
        self._countdown_from = self._now()
        self.countdown = COUNTDOWN_SECONDS

    def tick(self, now: float) -> None:
        """Called every frame by the app with its clock: the countdown follows it (tests move it by hand)."""
        if self.state != "countdown":
            return
        left = COUNTDOWN_SECONDS - (now - self._countdown_from)
        if left > 0:
            self.countdown = math.ceil(left)
            return
        self.state = "taking"
        self._stop_preview()
        self._desk.run(self._desk.take_photo, self._taken)

    def _taken(self, outcome) -> None:
        if isinstance(outcome, Problem):
            self._problem(outcome)
            return
        self._photo = outcome
        self.picture = CoreImage(io.BytesIO(outcome.preview), ext="jpg").texture
        self.state = "taken"

    def retake(self) -> None:
        if self.state == "kept":
            self.app.drop_photo()
            self.start_camera()
        elif self.state == "taken":
            self._photo = None
            self._last_frame = None
            self.state = "preview"
            self._start_preview()

    def keep(self) -> None:
        if self.state == "kept":
            self.app.photo_done()
        elif self.state == "taken" and self._photo is not None:
            self.state = "keeping"
            photo = self._photo
            self._desk.run(lambda: self._desk.keep_photo(photo), self._kept)

    def _kept(self, outcome) -> None:
        if isinstance(outcome, Problem):
            self._problem(outcome)
            return
        self._photo = None
        self.state = "kept"
        self.app.keep_photo(outcome)

    def _problem(self, problem: Problem) -> None:
        self._stop_preview()
        self.state = "problem"
        self.picture = None
        self.message = problem.message(self._language)

    def on_leave(self, *_):
        self._stop_preview()
        self._photo = None
        if self._desk is not None:
            self._desk.run(self._desk.close_camera)

    @property
    def app(self):
        from kivy.app import App

        return App.get_running_app()

    def _now(self) -> float:
        return self.app.now()


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
