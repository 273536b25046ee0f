"""The kiosk app: navigation between the journey's screens, the visitor's draft, and the actions screens call."""

from __future__ import annotations

import logging
import math
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

# Nothing imported here opens a window: run_app configures Kivy first, screens are imported in build().
from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, DictProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager, SlideTransition

from kiosk.contribution import Draft, InvalidContribution
from kiosk.ui.staff import HOLD_SECONDS, STATUS_FILE, StaffLock, describe_sync, staff_pin_from_env
from kiosk.ui.strings import STRINGS, minutes
from sync.protocol import CONSENT_ARCHIVE, CONSENT_PUBLIC, MAX_AUTHOR_LENGTH, MAX_TEXT_LENGTH

log = logging.getLogger(__name__)

JOURNEY = ("attract", "language", "exhibit", "prompt", "answer", "write", "photo", "record", "author", "consent",
           "review", "thanks")
# How the visitor answers (the choice, writing, a photo, a recording) counts as one step of the journey.
ANSWERING = ("answer", "write", "photo", "record")
STEP_COUNT = 7
# Screens the review screen's Edit links lead to; after them, Next goes straight back to the review.
EDITABLE = ("exhibit", "prompt", "answer", "write", "author", "consent")
# Screens that follow the clock every frame (countdowns, level meters, playback).
LIVE = ("photo", "record")
# The staff area behind the PIN: closed, not cleared, when left alone.
STAFF_SCREENS = ("pin", "staff")
TRANSITION_SECONDS = 0.3


class AgoraApp(App):
    """Holds navigation and the in-memory draft; screens only show what they are given and call actions."""

    language = StringProperty("fr")
    strings = DictProperty(STRINGS["fr"])
    busy = BooleanProperty(False)
    theme = ObjectProperty(None)
    step_count = STEP_COUNT

    def __init__(
        self,
        settings,
        store,
        catalogue_cache,
        agent=None,
        *,
        clock: Callable[[], float] = time.monotonic,
        animate: bool = True,
        ambient_motion: bool = True,
        screenshots: Path | None = None,
        capture=None,
        staff_pin: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        from kiosk.ui.theme import Theme

        self.settings = settings
        self.store = store
        self.catalogue_cache = catalogue_cache
        self.agent = agent
        # The camera and microphone (kiosk.ui.capture.CaptureDesk); None for a kiosk that only takes text.
        self.capture = capture
        self.photo = None
        self.recording = None
        self._devices_shown = None
        self.title = f"Agora · {settings.museum_name}"
        self.theme = Theme(settings.primary_color, settings.accent_color)
        self.catalogue = catalogue_cache.load()
        self.draft: Draft | None = None
        self.manager: ScreenManager | None = None
        self._clock = clock
        self._animate = animate
        self._ambient_motion = ambient_motion
        self._screenshots = Path(screenshots) if screenshots else None
        self._screenshot_count = 0
        self._editing = False
        self._last_activity = clock()
        self._thanks_since = 0.0
        self._ticker = None
        self._review_player_started = False
        self.idle_warning = None
        # Staff access is off without a PIN (AGORA_KIOSK_STAFF_PIN, read by run_app).
        self.staff_lock = StaffLock(staff_pin, clock) if staff_pin else None

    # Building and lifecycle

    def build(self):
        from kivy.core.window import Window

        from kiosk.ui.idle import IdleWarning
        from kiosk.ui.screens import JOURNEY, STAFF

        self.theme.follow(Window)
        transition = SlideTransition(duration=TRANSITION_SECONDS) if self._animate else NoTransition()
        self.manager = ScreenManager(transition=transition)
        for screen_class in JOURNEY + STAFF:
            screen = screen_class()
            screen.bind(on_enter=self._entered)
            self.manager.add_widget(screen)
        self.manager.get_screen("attract").breathing = self._ambient_motion
        self.idle_warning = IdleWarning()
        root = FloatLayout()
        root.add_widget(self.manager)
        return root

    def on_start(self):
        from kivy.core.window import Window

        for event in ("on_touch_down", "on_key_down", "on_textinput"):
            Window.fbind(event, self._note_activity)
        # Every frame: timeouts read self._clock, so tests can drive time without sleeping.
        self._ticker = Clock.schedule_interval(self._tick, 0)
        if self.capture is not None:
            self.capture.recover()
        self._show("attract")

    def on_stop(self):
        from kivy.core.window import Window

        for event in ("on_touch_down", "on_key_down", "on_textinput"):
            Window.funbind(event, self._note_activity)
        self.theme.unfollow(Window)
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        self.manager.current_screen.dispatch("on_leave")
        if self.capture is not None:
            self.capture.close()

    def screen(self, name: str):
        return self.manager.get_screen(name)

    @property
    def current(self) -> str:
        return self.manager.current

    def now(self) -> float:
        """The app's clock (monotonic seconds), which tests move by hand."""
        return self._clock()

    @property
    def offers_choice(self) -> bool:
        """Whether the visitor chooses how to answer: a camera or microphone is there, or already used."""
        capture = self.capture
        if capture is None:
            return False
        return bool(capture.camera_present or capture.microphone_present or self.photo or self.recording)

    # Actions the screens call

    def begin(self) -> None:
        self.draft = None
        self._reload_catalogue()
        self._show("language")

    def choose_language(self, language: str) -> None:
        self.language = language
        self.strings = STRINGS[language]
        if self.draft is None:
            self.draft = Draft(language=language)
        self.draft.language = language
        self._show("exhibit")

    def choose_exhibit(self, slug: str) -> None:
        exhibit = self.catalogue.exhibit(slug)
        if exhibit is None or self.draft is None:
            return
        if self.draft.exhibit != slug:
            self.draft.exhibit = slug
            self.draft.prompt = exhibit.prompts[0].id if exhibit.prompts else ""
        self._show("prompt")

    def choose_prompt(self, prompt_id: str) -> None:
        if self.draft is not None:
            self.draft.prompt = prompt_id
            self.screen("prompt").chosen = prompt_id

    def answer(self) -> None:
        self._forward("answer" if self.offers_choice else "write")

    def choose_answer(self, kind: str) -> None:
        """Write, photo or record, from the answer screen; an unavailable one explains itself instead."""
        if kind == "write":
            self._show("write")
            return
        kept = self.photo if kind == "photo" else self.recording
        if kept is None and not self.capture.has_room():
            self._prepare_answer()
            return
        if kept is not None or self.answer_card(kind)["available"]:
            self._show(kind)

    def finish_answer(self) -> None:
        if self.draft is None:
            return
        if not self.draft.text.strip() and not self.draft.media:
            self.screen("answer").show_problem(self.strings["answer.empty"])
            return
        if self._stopped_by("text", self.screen("answer")):
            return
        self._forward("author")

    def keep_photo(self, kept) -> None:
        self.photo = kept
        self._update_media()
        self._show("answer", direction="right")

    def photo_done(self) -> None:
        self._show("answer", direction="right")

    def drop_photo(self) -> None:
        self.photo = None
        self._update_media()

    def keep_recording(self, kept) -> None:
        self.recording = kept
        self._update_media()
        self._show("answer", direction="right")

    def recording_done(self) -> None:
        self._show("answer", direction="right")

    def drop_recording(self) -> None:
        self.recording = None
        self._update_media()

    def listen_to_recording(self) -> None:
        """Play or stop the kept recording on the review screen."""
        review = self.screen("review")
        if self.recording is None or self.capture is None:
            return
        if review.ids.recording_row.playing:
            self.capture.run(self.capture.stop_playing)
            review.show_playing(False)
            return
        path = self.store.media_path(self.recording.media.sha256)
        review.show_playing(True)
        self._review_player_started = False
        self.capture.run(lambda: self.capture.play(path), self._review_playing)

    def _review_playing(self, problem) -> None:
        self._review_player_started = True
        if problem is not None:
            self.screen("review").show_playing(False)
            self.screen("review").show_problem(problem.message(self.language))

    def _update_media(self) -> None:
        if self.draft is not None:
            self.draft.media = [kept.media for kept in (self.photo, self.recording) if kept is not None]

    def write_story(self) -> None:
        self._forward("write")

    def edit_story(self, text: str) -> None:
        if self.draft is not None:
            self.draft.text = text

    def finish_story(self) -> None:
        if self.offers_choice:
            # Writing is one way of answering among others: an empty text is fine here, a too long one is not.
            if self._stopped_by("text", self.screen("write"), ignore=("empty",)):
                return
            self._forward("answer")
            return
        if self._stopped_by("text", self.screen("write")):
            return
        self._forward("author")

    def edit_author(self, name: str) -> None:
        if self.draft is not None:
            self.draft.author_name = name

    def stay_anonymous(self) -> None:
        if self.draft is not None:
            self.draft.author_name = ""
            self._forward("consent")

    def finish_author(self) -> None:
        if self._stopped_by("author_name", self.screen("author")):
            return
        self._forward("consent")

    def choose_sharing(self, choice: str) -> None:
        if self.draft is None:
            return
        if choice == CONSENT_ARCHIVE:
            self.draft.consent, self.draft.licence = CONSENT_ARCHIVE, None
        else:
            self.draft.consent, self.draft.licence = CONSENT_PUBLIC, choice
        self.screen("consent").show(choice)

    def finish_sharing(self) -> None:
        self._forward("review")

    def edit(self, step: str) -> None:
        if step in EDITABLE:
            self._editing = True
            self._show(step, direction="right")

    def submit(self) -> None:
        """Store the draft (durable on return), then thank the visitor; a second tap stores nothing more."""
        if self.busy or self.draft is None:
            return
        self.busy = True
        review = self.screen("review")
        if self.capture is not None and self.recording is not None:
            self.capture.run(self.capture.stop_playing)
            review.show_playing(False)
        try:
            contribution = self.store.submit(self.draft)
        except InvalidContribution as invalid:
            self.busy = False
            review.show_problem("\n".join(p.message(self.language) for p in invalid.problems))
            return
        except OSError:
            log.exception("The store could not save contribution %s", self.draft.uuid)
            self.busy = False
            review.show_problem(self.strings["review.cannot_save"])
            return
        self.draft = None
        self.screen("thanks").show(contribution.receipt_code, self.settings.thanks_seconds)
        self._thanks_since = self._clock()
        self._show("thanks")
        if self.agent is not None:
            self.agent.wake()

    def go_back(self) -> None:
        here = self.manager.current
        if here in ("write", "photo", "record"):
            previous = "answer" if self.offers_choice else "prompt"
        elif here == "author":
            previous = "answer" if self.offers_choice else "write"
        elif here == "answer":
            previous = "prompt"
        elif JOURNEY.index(here) <= 1:
            self.start_over()
            return
        else:
            previous = JOURNEY[JOURNEY.index(here) - 1]
        self._show(previous, direction="right")

    def start_over(self) -> None:
        """Back to the attract screen; the draft is discarded, nothing of this visit stays in memory."""
        self.draft = None
        self.photo = self.recording = None
        self._editing = False
        self.busy = False
        self._hide_warning()
        self._show("attract", direction="right")
        if self.capture is not None:
            # After the screen has changed (leaving a capture screen queues its own clean-up first).
            self.capture.reset()

    # Staff access

    def try_staff_pin(self, entry: str) -> None:
        if self.staff_lock is None:
            return
        outcome = self.staff_lock.check(entry)
        if outcome == "open":
            self._show("staff")
        elif outcome == "wrong":
            self.screen("pin").reset(self.strings["pin.wrong"])
        else:
            self.screen("pin").reset(self._locked_message())

    def staff_info(self) -> dict:
        """The sync state for the staff screen, from files only: never the network, never a wait."""
        status_file = getattr(self.agent, "status_file", None) or self.settings.data_dir / STATUS_FILE
        return describe_sync(self.store, self.settings.data_dir, self.language, status_file)

    def sync_now(self) -> None:
        if self.agent is not None:
            self.agent.wake()
            self.screen("staff").notice = self.strings["staff.woken"]

    def staff_language(self) -> None:
        self.language = "en" if self.language == "fr" else "fr"
        self.strings = STRINGS[self.language]
        self.screen("staff").refresh()

    def _locked_message(self) -> str:
        return self.strings["pin.locked"].format(seconds=self.staff_lock.seconds_locked())

    def _follow_corner(self, now: float) -> None:
        corner = self.screen("attract").ids.corner
        if corner.held_since is not None and now - corner.held_since >= HOLD_SECONDS:
            corner.release()
            if self.staff_lock is not None:
                self._show("pin")

    def keep_going(self) -> None:
        self._note_activity()
        self._hide_warning()

    # Navigation

    def _forward(self, step: str) -> None:
        if self._editing and step != "prompt":
            step = "review"
        self._show(step)

    def _show(self, name: str, direction: str = "left") -> None:
        getattr(self, f"_prepare_{name}")()
        if name == "review":
            self._editing = False
        if isinstance(self.manager.transition, SlideTransition):
            self.manager.transition.direction = direction
        self.manager.current = name
        self._note_activity()

    def _prepare_attract(self) -> None:
        self.language = "fr"
        self.strings = STRINGS["fr"]
        self._reload_catalogue()
        self.screen("attract").show(self.settings.museum_name, self.settings.logo)

    def _reload_catalogue(self) -> None:
        # Read again at the start of every visit, so exhibits pulled by the sync agent appear.
        try:
            self.catalogue = self.catalogue_cache.load()
        except Exception:
            log.exception("Could not reload the catalogue; keeping the one already shown")

    def _prepare_language(self) -> None:
        pass

    def _prepare_exhibit(self) -> None:
        # An exhibit without a question can't be answered, so it isn't offered.
        answerable = [exhibit for exhibit in self.catalogue.exhibits if exhibit.prompts]
        self.screen("exhibit").show(answerable, self.language, self.strings["exhibit.none"])

    def _prepare_prompt(self) -> None:
        self.screen("prompt").show(self._exhibit(), self.language, self.draft.prompt, self.offers_choice)

    def _prepare_answer(self) -> None:
        room = self.capture.has_room()
        cards = {kind: self.answer_card(kind, room) for kind in ("write", "photo", "record")}
        unavailable = not cards["photo"]["available"] and not cards["record"]["available"]
        hint = self.strings["answer.hint"]
        if not room and self.photo is None and self.recording is None:
            from kiosk.ui.capture import NO_ROOM

            hint = NO_ROOM.message(self.language)
        elif unavailable:
            hint = ""
        self.screen("answer").show(cards, hint)
        self._devices_shown = (self.capture.camera_present, self.capture.microphone_present)

    def answer_card(self, kind: str, room: bool | None = None) -> dict:
        """What the answer screen's card for `kind` says, whether it is done and whether it can be used."""
        strings = self.strings
        if kind == "write":
            done = bool(self.draft and self.draft.text.strip())
            return {"title": strings["answer.write"], "done": done, "available": True,
                    "status": strings["answer.write.done" if done else "answer.write.help"]}
        if room is None:
            room = self.capture.has_room()
        kept = self.photo if kind == "photo" else self.recording
        present = self.capture.camera_present if kind == "photo" else self.capture.microphone_present
        card = {"title": strings[f"answer.{kind}"], "done": kept is not None,
                "available": kept is not None or (present and room)}
        if kept is not None:
            card["status"] = strings[f"answer.{kind}.done"].format(duration=minutes(getattr(kept, "duration", 0)))
        elif not present:
            card["status"] = strings["answer.no_camera" if kind == "photo" else "answer.no_microphone"]
        elif not room:
            card["status"] = strings["answer.no_room"]
        else:
            card["status"] = strings[f"answer.{kind}.help"].format(limit=minutes(self._max_recording_seconds()))
        return card

    def _prepare_photo(self) -> None:
        self.screen("photo").show(self.capture, self.photo, self.language)

    def _prepare_record(self) -> None:
        self.screen("record").show(self.capture, self.recording, self._max_recording_seconds(), self.language)

    def _max_recording_seconds(self) -> float:
        # An exhibit may ask for shorter (or longer) recordings than the kiosk's setting.
        exhibit = self._exhibit() if self.draft else None
        return float(getattr(exhibit, "max_recording_seconds", None) or self.capture.max_recording_seconds)

    def _prepare_write(self) -> None:
        self.screen("write").show(self.draft.text, self._question(), self.language, MAX_TEXT_LENGTH)

    def _prepare_author(self) -> None:
        self.screen("author").show(self.draft.author_name, self.language, MAX_AUTHOR_LENGTH)

    def _prepare_consent(self) -> None:
        self.screen("consent").show(self.draft.licence or CONSENT_ARCHIVE)

    def _prepare_review(self) -> None:
        self.busy = False
        exhibit = self._exhibit()
        self.screen("review").show(
            exhibit=exhibit.title.get(self.language, exhibit.slug),
            question=self._question(),
            story=self.draft.text.strip(),
            author=self.draft.author_name.strip() or self.strings["review.anonymous"],
            sharing=self.strings[f"consent.{self.draft.licence or CONSENT_ARCHIVE}.title"],
            photo=self.photo.thumbnail_path if self.photo else None,
            recording=minutes(self.recording.duration) if self.recording else None,
        )

    def _prepare_thanks(self) -> None:
        pass

    def _prepare_pin(self) -> None:
        locked = self.staff_lock is not None and self.staff_lock.seconds_locked()
        self.screen("pin").reset(self._locked_message() if locked else "")

    def _prepare_staff(self) -> None:
        self.screen("staff").has_agent = self.agent is not None

    def _exhibit(self):
        return self.catalogue.exhibit(self.draft.exhibit)

    def _question(self) -> str:
        exhibit = self._exhibit()
        prompt = exhibit.prompt(self.draft.prompt) if exhibit else None
        return prompt.text.get(self.language, "") if prompt else ""

    def _stopped_by(self, field: str, screen, ignore: tuple[str, ...] = ()) -> bool:
        """Show the draft's problems with one field on its screen (but those `ignore`d); True if there are any."""
        if self.draft is None:
            return True
        problems = [p for p in self.draft.problems() if p.field == field and p.code not in ignore]
        if problems:
            screen.show_problem(problems[0].message(self.language))
        return bool(problems)

    # Idle visitors and the thanks countdown

    def _note_activity(self, *_args) -> None:
        self._last_activity = self._clock()

    def _tick(self, _dt) -> None:
        from kiosk.ui.idle import WARNING_SECONDS

        now = self._clock()
        current = self.manager.current
        if current == "thanks":
            elapsed = now - self._thanks_since
            self.screen("thanks").countdown(elapsed, self.settings.thanks_seconds)
            if elapsed >= self.settings.thanks_seconds:
                self.start_over()
            return
        if current == "attract":
            self._follow_corner(now)
            return
        if self.capture is not None:
            self._follow_capture(current, now)
        idle = now - self._last_activity
        if idle >= self.settings.idle_timeout + WARNING_SECONDS:
            self.start_over()
        elif idle >= self.settings.idle_timeout:
            self.idle_warning.seconds_left = math.ceil(self.settings.idle_timeout + WARNING_SECONDS - idle)
            self.idle_warning.staff = current in STAFF_SCREENS
            if self.idle_warning.parent is None:
                self.root.add_widget(self.idle_warning)
        else:
            self._hide_warning()

    def _follow_capture(self, current: str, now: float) -> None:
        if self.capture.busy:
            # Someone speaking or listening is there, even without touching the screen.
            self._note_activity()
        if current in LIVE:
            self.screen(current).tick(now)
        if current == "review" and self._review_player_started and not self.capture.playing:
            self.screen("review").show_playing(False)
        if current == "answer" and self._devices_shown != (self.capture.camera_present,
                                                           self.capture.microphone_present):
            # A microphone unplugged or plugged back in while the visitor chooses.
            self._prepare_answer()

    def _hide_warning(self) -> None:
        if self.idle_warning is not None and self.idle_warning.parent is not None:
            self.idle_warning.parent.remove_widget(self.idle_warning)

    @property
    def warning_shown(self) -> bool:
        return self.idle_warning is not None and self.idle_warning.parent is not None

    # Screenshots

    def _entered(self, screen) -> None:
        if self._screenshots is not None:
            Clock.schedule_once(lambda _dt: self._screenshot_when_drawn(screen.name), 0.15)

    def _screenshot_when_drawn(self, name: str) -> None:
        if self.manager.current != name:
            return
        if Clock.frames_displayed < 3:
            # The first screen is entered before the window has laid it out and drawn it.
            Clock.schedule_once(lambda _dt: self._screenshot_when_drawn(name), 0.15)
            return
        self.screenshot(name)

    def screenshot(self, name: str) -> Path | None:
        """Write the window as it is now to NN-<name>.png in the screenshots folder, if there is one."""
        if self._screenshots is None:
            return None
        self._screenshots.mkdir(parents=True, exist_ok=True)
        self._screenshot_count += 1
        path = self._screenshots / f"{self._screenshot_count:02d}-{name}.png"
        self.root.export_to_png(str(path))
        return path


def run_app(
    settings,
    store,
    catalogue_cache,
    agent=None,
    *,
    screenshots: Path | None = None,
    size=(1280, 800),
    fullscreen=False,
    tour=False,
    environ=None,
) -> None:
    """Open the kiosk window and run until stopped (Ctrl-C or SIGTERM stop it cleanly)."""
    from kivy.config import Config

    width, height = size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    # A touchscreen, not a desktop: no red multitouch-emulation dots, no quitting with Escape, and no
    # Kivy keyboard popping up on focus (the writing screens dock their own).
    Config.set("input", "mouse", "mouse,disable_multitouch")
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")

    from kivy.core.window import Window  # noqa: F401  (the window opens here, with the settings above)

    # Offscreen (the demo without a display) every redrawn frame leaks GPU buffers in Mesa's software
    # renderer: measured 36-70 MB/s while the attract screen breathes. Nobody watches an offscreen window, so
    # the attract screen keeps still there.
    ambient_motion = os.environ.get("SDL_VIDEODRIVER") != "offscreen"
    environ = os.environ if environ is None else environ
    app = AgoraApp(settings, store, catalogue_cache, agent, screenshots=screenshots,
                   capture=capture_desk(store, environ), ambient_motion=ambient_motion,
                   staff_pin=staff_pin_from_env(environ))
    if tour:
        from kiosk.ui.tour import Tour

        # Kivy's clock only holds weak references to methods: the closure keeps the tour alive.
        guide = Tour(app)
        app.fbind("on_start", lambda *_: guide.start())

    def stop(_signum, _frame):
        Clock.schedule_once(lambda _dt: app.stop())

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        app.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def capture_desk(store, environ=None):
    """The camera and microphone the AGORA_KIOSK_* settings name, or None when this kiosk can only take text."""
    import os

    try:
        from kiosk.ui.capture import CaptureDesk
    except ImportError as error:  # the kiosk's audio and image libraries are missing: text still works
        log.warning("Photos and recordings are off: %s", error)
        return None
    return CaptureDesk.from_env(store, os.environ if environ is None else environ)
