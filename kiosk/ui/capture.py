"""The kiosk's camera, microphone, recorder and player for the journey, worked one job at a time off the UI thread."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kivy.clock import Clock

from kiosk.capture.audio import NO_MICROPHONE, RECORDING, Player, Recorder, Take
from kiosk.capture.camera import NO_CAMERA, Camera, CameraUnavailable, find_camera
from kiosk.capture.files import CaptureFolder
from kiosk.capture.microphone import MicrophoneWatcher
from kiosk.capture.photo import KeptPhoto, Photo, PhotoError, keep_photo, process_photo
from kiosk.capture.settings import CaptureSettings
from kiosk.contribution import MediaRef, Problem

log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = Problem(
    "capture", "failed",
    "Un souci technique est survenu. Réessayez, ou écrivez votre histoire.",
    "Something went wrong. Please try again, or write your story instead.")
NO_ROOM = Problem(
    "capture", "no_room",
    "Cette borne ne peut pas prendre de photos ni d'enregistrements pour le moment. "
    "Vous pouvez toujours écrire votre histoire.",
    "This kiosk can't take photos or recordings right now. You can still write your story.")


@dataclass(frozen=True)
class KeptRecording:
    """A recording the visitor kept: in the store, with its length for the screens."""

    media: MediaRef
    duration: float


class CaptureDesk:
    """Everything a visit captures goes through here.

    Camera, recorder and player calls can wait on hardware or disk, so they run on one worker thread, in the
    order they were asked for; their outcome comes back on the UI thread through Kivy's clock. `reset()`
    ends a visit: outcomes of jobs asked for before it are dropped, and its clean-up runs after them.
    """

    def __init__(self, store, settings: CaptureSettings | None = None, *, camera: Camera | None = None,
                 microphone: MicrophoneWatcher | None = None, find_camera_again: bool = False):
        self.store = store
        self.settings = settings or CaptureSettings()
        self.folder = CaptureFolder(store.folder)
        self.camera = camera
        self.microphone = microphone
        self.recorder = Recorder(self.folder, self.settings, store=store)
        self.player: Player | None = None
        self._camera_open = False
        self._find_camera_again = find_camera_again
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agora-capture")
        self._visit = 0
        self._closed = False

    @classmethod
    def from_env(cls, store, environ: Mapping[str, str] = os.environ) -> CaptureDesk:
        """The camera and microphone the AGORA_KIOSK_* settings name; the microphone is watched for replugging."""
        settings = CaptureSettings.from_env(environ)
        watcher = MicrophoneWatcher(settings.microphone)
        watcher.start()
        return cls(store, settings, camera=find_camera(settings), microphone=watcher, find_camera_again=True)

    # What the screens read on the UI thread

    @property
    def camera_present(self) -> bool:
        return self.camera is not None

    @property
    def microphone_present(self) -> bool:
        return self.microphone is not None and self.microphone.available

    @property
    def max_recording_seconds(self) -> float:
        return self.settings.max_recording_seconds

    def has_room(self) -> bool:
        """Whether a photo or recording may start (the store keeps a disk reserve for text)."""
        return self.store.has_room_for_capture()

    @property
    def playing(self) -> bool:
        return self.player is not None and self.player.playing

    @property
    def busy(self) -> bool:
        """A recording or playback is going on: the visitor is there even without touching the screen."""
        return self.recorder.state == RECORDING or self.playing

    # Running jobs

    def run(self, job: Callable[[], object], done: Callable[[object], None] | None = None) -> Future | None:
        """Run `job` on the worker; `done(outcome)` on the UI thread, unless the visit ended meanwhile.

        An unexpected exception reaches `done` as SOMETHING_WENT_WRONG (and the log). Once the desk is closed
        (the app stopping, a screen leaving after that) nothing runs.
        """
        if self._closed:
            return None
        visit = self._visit
        future = self._worker.submit(job)
        if done is not None:
            future.add_done_callback(
                lambda finished: Clock.schedule_once(lambda _dt: self._deliver(finished, visit, done)))
        return future

    def _deliver(self, future: Future, visit: int, done: Callable[[object], None]) -> None:
        if visit != self._visit:
            return
        error = future.exception()
        if error is not None:
            log.error("A capture job failed", exc_info=error)
            done(SOMETHING_WENT_WRONG)
            return
        done(future.result())

    def reset(self) -> Future | None:
        """End the visit: stop any sound, close the camera, delete every captured file."""
        self._visit += 1
        if self._closed:
            return None
        return self._worker.submit(self._forget_everything)

    def recover(self) -> Future | None:
        """At start-up: finish recordings a visitor had kept before a restart, delete the rest."""
        return self.run(lambda: self.folder.recover(self.store))

    def close(self) -> None:
        self.reset()
        self._closed = True
        self._worker.shutdown(wait=True)
        if self.microphone is not None:
            self.microphone.stop()

    def _forget_everything(self) -> None:
        self.stop_playing()
        self.recorder.discard()
        self.close_camera()
        self.folder.clear()
        if self.camera is None and self._find_camera_again:
            # A webcam plugged in since the kiosk started is offered to the next visitor.
            self.camera = find_camera(self.settings)

    # Jobs (worker thread)

    def open_camera(self) -> Problem | None:
        if self.camera is None:
            return NO_CAMERA
        if not self.has_room():
            return NO_ROOM
        if not self._camera_open:
            try:
                self.camera.open()
            except CameraUnavailable as error:
                log.warning("The %s is unavailable: %s", self.camera.name, error)
                return error.problem
            self._camera_open = True
        return None

    def close_camera(self) -> None:
        if self.camera is not None and self._camera_open:
            self._camera_open = False
            try:
                self.camera.close()
            except Exception:
                log.exception("Could not close the %s cleanly", self.camera.name)

    def take_photo(self) -> Photo | Problem:
        try:
            return process_photo(self.camera.capture())
        except (CameraUnavailable, PhotoError) as error:
            log.warning("No photo: %s", error)
            return error.problem

    def keep_photo(self, photo: Photo) -> KeptPhoto | Problem:
        return keep_photo(photo, self.store, self.folder)

    def start_recording(self, max_seconds: float) -> Problem | None:
        self.stop_playing()
        if not self.microphone_present:
            return NO_MICROPHONE
        self.recorder.max_seconds = float(max_seconds)
        return self.recorder.start()

    def stop_recording(self) -> Take | Problem:
        return self.recorder.stop()

    def discard_recording(self) -> None:
        self.stop_playing()
        self.recorder.discard()

    def keep_recording(self) -> KeptRecording | Problem:
        take = self.recorder.result
        self.stop_playing()
        outcome = self.recorder.keep()
        if isinstance(outcome, MediaRef) and isinstance(take, Take):
            return KeptRecording(outcome, take.duration)
        return outcome

    def play(self, source: Take | Path) -> Problem | None:
        self.stop_playing()
        self.player = Player(source)
        return self.player.play()

    def stop_playing(self) -> None:
        player, self.player = self.player, None
        if player is not None:
            player.stop()
