"""The record screen: a calm level meter and clock while the visitor speaks, then listen, record again or keep."""

import math
from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, OptionProperty, StringProperty

from kiosk.capture.audio import STOPPED, Take
from kiosk.contribution import Problem
from kiosk.ui.capture import NO_ROOM, KeptRecording
from kiosk.ui.strings import minutes
from kiosk.ui.theme import JourneyScreen

# The meter shows loudness from this many decibels below full scale (a quiet room) up to full scale.
METER_FLOOR_DB = -50.0
# Each frame the meter falls back by this share at most: it rises with the voice and settles gently.
METER_SETTLE = 0.08


def meter_level(rms: float) -> float:
    """A block's RMS (0..1 of full scale) as the meter's fill (0..1), on a decibel scale like the ear's."""
    if rms <= 0:
        return 0.0
    decibels = 20 * math.log10(rms)
    return min(1.0, max(0.0, 1 - decibels / METER_FLOOR_DB))


class RecordScreen(JourneyScreen):
    """States: ready, starting, recording, stopping, taken, keeping, kept, problem."""

    # The buttons each state shows, left to right (the others are taken out, so these stay centred).
    BUTTONS = {"ready": ("start",), "starting": ("start",), "problem": ("start",), "recording": ("stop",),
               "stopping": ("stop",), "taken": ("listen", "again", "keep"), "keeping": ("listen", "again", "keep"),
               "kept": ("listen", "again", "keep")}

    state = OptionProperty("ready", options=(
        "ready", "starting", "recording", "stopping", "taken", "keeping", "kept", "problem"))
    level = NumericProperty(0.0)
    elapsed = NumericProperty(0.0)
    limit = NumericProperty(180.0)
    seconds_left = NumericProperty(0)
    warning = BooleanProperty(False)
    duration = NumericProperty(0.0)
    playing = BooleanProperty(False)
    message = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._desk = None
        self._language = "fr"
        self._take: Take | None = None
        self._kept: KeptRecording | None = None
        self._player_started = False

    def on_kv_post(self, base_widget):
        # ids are weak: the buttons taken out of the row must be held here.
        self._buttons = {name: self.ids[name].__self__ for name in ("start", "stop", "listen", "again", "keep")}
        self.on_state(self, self.state)

    def on_state(self, _screen, state: str) -> None:
        actions = self.ids.actions
        wanted = [self._buttons[name] for name in self.BUTTONS[state]]
        if list(reversed(actions.children)) != wanted:
            actions.clear_widgets()
            for button in wanted:
                actions.add_widget(button)

    def show(self, desk, kept: KeptRecording | None, limit: float, language: str) -> None:
        self._desk, self._language, self.limit = desk, language, limit
        self._take, self._kept = None, kept
        self.message, self.level, self.elapsed, self.warning, self.playing = "", 0.0, 0.0, False, False
        if kept is not None:
            self.state, self.duration = "kept", kept.duration
        else:
            self.state, self.duration = "ready", 0.0

    # The visitor's actions

    def record(self) -> None:
        if self.state not in ("ready", "taken", "kept", "problem"):
            return
        if self.state == "kept":
            self.app.drop_recording()
            self._kept = None
        if not self._desk.has_room():
            self._problem(NO_ROOM)
            return
        self._take = None
        self.message, self.elapsed, self.level, self.state = "", 0.0, 0.0, "starting"
        limit = self.limit
        self._desk.run(lambda: self._desk.start_recording(limit), self._started)

    def _started(self, problem: Problem | None) -> None:
        if problem is not None:
            self._problem(problem)
            return
        self.state = "recording"

    def stop(self) -> None:
        if self.state != "recording":
            return
        self.state = "stopping"
        self._desk.run(self._desk.stop_recording, self._stopped)

    def _stopped(self, outcome) -> None:
        self.level, self.warning = 0.0, False
        if isinstance(outcome, Problem):
            self._problem(outcome)
            return
        self._take = outcome
        self.duration = outcome.duration
        self.state = "taken"

    def listen(self) -> None:
        if self.playing:
            self._desk.run(self._desk.stop_playing)
            self.playing = False
            return
        source = self._take if self.state == "taken" else None
        if self.state == "kept" and self._kept is not None:
            source = self._desk.store.media_path(self._kept.media.sha256)
        if source is None:
            return
        self.playing, self._player_started = True, False
        self._desk.run(lambda: self._desk.play(source), self._play_started)

    def _play_started(self, problem: Problem | None) -> None:
        self._player_started = True
        if problem is not None:
            self.playing = False
            self.message = problem.message(self._language)

    def keep(self) -> None:
        if self.state == "kept":
            self.app.recording_done()
        elif self.state == "taken":
            self.state, self.playing = "keeping", False
            self._desk.run(self._desk.keep_recording, self._keeping_done)

    def _keeping_done(self, outcome) -> None:
        if isinstance(outcome, Problem):
            self._problem(outcome)
            return
        self._take, self._kept = None, outcome
        self.state = "kept"
        self.app.keep_recording(outcome)

    def _problem(self, problem: Problem) -> None:
        self.state = "problem"
        self.level, self.warning, self.playing = 0.0, False, False
        self.message = problem.message(self._language)

    # Every frame, from the app

    def tick(self, _now: float) -> None:
        desk = self._desk
        if desk is None:
            return
        if self.playing and self._player_started and not desk.playing:
            self.playing = False  # played to the end
        if self.state != "recording":
            return
        recorder = desk.recorder
        self.elapsed = recorder.elapsed
        target = meter_level(recorder.level.rms)
        self.level = max(target, self.level - METER_SETTLE)
        self.warning = recorder.warning
        self.seconds_left = math.ceil(recorder.remaining)
        if recorder.state == STOPPED:
            # The exhibit's limit was reached: the take ended by itself.
            self.stop_at_limit()

    def stop_at_limit(self) -> None:
        self.state = "stopping"
        self._desk.run(self._desk.stop_recording, self._stopped)

    def on_leave(self, *_):
        # Properties stay as they are (show() sets them again): the app also calls this while stopping, when
        # kv rules must no longer be woken.
        if self._desk is None:
            return
        if self.state in ("starting", "recording", "stopping", "taken", "problem"):
            # Not kept: the take's files go now.
            self._desk.run(self._desk.discard_recording)
        else:
            self._desk.run(self._desk.stop_playing)

    @property
    def app(self):
        from kivy.app import App

        return App.get_running_app()

    def status_text(self, strings: dict, state: str, duration: float, message: str, limit: float) -> str:
        """The sentence above the clock, for each state (a problem's message replaces it)."""
        if state == "problem":
            return message
        key = {"ready": "record.hint", "starting": "record.starting", "recording": "record.recording",
               "stopping": "record.working", "keeping": "record.working", "taken": "record.taken",
               "kept": "record.kept"}[state]
        return strings[key].format(limit=minutes(limit), duration=minutes(duration))



Builder.load_file(str(Path(__file__).with_suffix(".kv")))
