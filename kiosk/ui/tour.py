"""A guided visit for demos and README screenshots: real taps and key presses through a whole journey."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from kivy.base import EventLoop
from kivy.clock import Clock
from kivy.input.motionevent import MotionEvent

log = logging.getLogger(__name__)

SAMPLE_STORY = (
    "Chaque été, ma grand-mère m'emmenait à la fête des moissons. On dansait sous la tapisserie, "
    "et je croyais que les épis brodés bougeaient avec nous."
)
SAMPLE_AUTHOR = "Camille"
# The first words are tapped key by key on the on-screen keyboard; the rest arrives word by word as a
# hardware keyboard would send it, so the tour stays short even on a slow software renderer.
TAPPED_CHARACTERS = 32


class Finger(MotionEvent):
    """One touch on the screen, made by the tour instead of a hand."""

    def __init__(self, x: float, y: float):
        window = EventLoop.window
        super().__init__(
            "tour", id(self), {"x": x / (window.width - 1.0), "y": y / (window.height - 1.0)},
            is_touch=True, type_id="touch",
        )
        self.profile = ["pos"]

    def depack(self, args):
        self.sx, self.sy = args["x"], args["y"]
        super().depack(args)


def tap_at(x: float, y: float) -> None:
    finger = Finger(x, y)
    EventLoop.post_dispatch_input("begin", finger)
    EventLoop.post_dispatch_input("end", finger)


def tap(widget) -> None:
    tap_at(*widget.to_window(*widget.center))


class Tour:
    """Drives the running app one step per clock event, so the screen redraws between steps."""

    def __init__(self, app, pace: float = 1.2, key_pace: float = 0.06):
        self.app = app
        self.pace = pace
        self.key_pace = key_pace
        self._steps: Iterator[float] | None = None

    def start(self) -> None:
        log.info("Tour: a visitor walks through the kiosk")
        self._steps = self._visit()
        Clock.schedule_once(self._next, self.pace)

    def _next(self, _dt) -> None:
        try:
            delay = next(self._steps)
        except StopIteration:
            log.info("Tour finished; the kiosk keeps running")
            return
        except Exception:
            # A demo must never take the kiosk down (e.g. a catalogue with no exhibits to tap).
            log.exception("Tour stopped early; the kiosk keeps running")
            return
        Clock.schedule_once(self._next, delay)

    def _arrive(self, name: str) -> Iterator[float]:
        while self.app.current != name or self.app.manager.transition.is_active:
            yield 0.1
        yield self.pace

    def _visit(self) -> Iterator[float]:
        app = self.app
        yield from self._arrive("attract")
        tap(app.screen("attract").ids.touch_anywhere)
        yield from self._arrive("language")
        tap(app.screen("language").ids.french)
        yield from self._arrive("exhibit")
        tap(app.screen("exhibit").cards()[0])
        yield from self._arrive("prompt")
        tap(app.screen("prompt").ids.answer)
        if app.offers_choice:
            yield from self._arrive("answer")
            if app.screen("answer").cards()["photo"].available:
                yield from self._take_photo()
            tap(app.screen("answer").cards()["write"])
        yield from self._arrive("write")
        yield from self._type(app.screen("write").ids.keyboard, SAMPLE_STORY[:TAPPED_CHARACTERS])
        yield from self._send_words(app.screen("write").ids.keyboard.target, SAMPLE_STORY[TAPPED_CHARACTERS:])
        yield self.pace
        app.screenshot("write-story")
        tap(app.screen("write").ids.next)
        if app.offers_choice:
            yield from self._arrive("answer")
            tap(app.screen("answer").ids.next)
        yield from self._arrive("author")
        yield from self._type(app.screen("author").ids.keyboard, SAMPLE_AUTHOR)
        yield self.pace
        tap(app.screen("author").ids.next)
        yield from self._arrive("consent")
        tap(app.screen("consent").cards()["cc-by-4.0"])
        yield self.pace / 2
        tap(app.screen("consent").ids.next)
        yield from self._arrive("review")
        tap(app.screen("review").ids.submit)
        yield from self._arrive("thanks")

    def _take_photo(self) -> Iterator[float]:
        """Photo, the 3-2-1, keep; back on the answer screen whatever the camera did."""
        app = self.app
        tap(app.screen("answer").cards()["photo"])
        yield from self._arrive("photo")
        photo = app.screen("photo")
        while photo.state == "starting":
            yield 0.1
        if photo.state == "preview":
            tap(photo.ids.take)
            yield 1.2
            app.screenshot("photo-countdown")
            while photo.state in ("countdown", "taking"):
                yield 0.1
        if photo.state == "taken":
            yield self.pace
            app.screenshot("photo-taken")
            tap(photo.ids.keep)
        else:
            tap(photo.ids.bar.ids.back)
        yield from self._arrive("answer")

    def _send_words(self, field, text: str) -> Iterator[float]:
        for word in re.findall(r"\s*\S+", text):
            self._send_text(field, word)
            yield self.key_pace * 2

    @staticmethod
    def _send_text(field, text: str) -> None:
        if field.focus:
            EventLoop.window.dispatch("on_textinput", text)
        else:
            field.insert_text(text)

    def _type(self, keyboard, text: str) -> Iterator[float]:
        for char in text:
            if keyboard.key_position(char, mode="normal"):
                tap_at(*keyboard.key_position(char))
            elif keyboard.key_position(char, mode="shift"):
                # Caps lock on, the key, caps lock off; the keyboard changes layer on the next frame.
                tap_at(*keyboard.key_position(special="capslock"))
                yield self.key_pace
                tap_at(*keyboard.key_position(char))
                yield self.key_pace
                tap_at(*keyboard.key_position(special="capslock"))
            else:
                # A character this layout lacks (ê on azerty) arrives as a hardware keyboard sends it.
                self._send_text(keyboard.target, char)
            yield self.key_pace
