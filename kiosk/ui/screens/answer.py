"""The answer screen: write, take a photo, record, or several of them; each one done shows a tick."""

from pathlib import Path

from kivy.graphics import Color, Ellipse, Line, RoundedRectangle
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.ui.theme import JourneyScreen

KINDS = ("write", "photo", "record")


class AnswerIcon(Widget):
    """A line drawing of a sheet of writing, a camera or a microphone, in one colour."""

    kind = StringProperty("write")
    colour = ColorProperty([0, 0, 0, 1])

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in ("pos", "size", "kind", "colour"):
            self.fbind(name, self._draw)

    def _draw(self, *_):
        self.canvas.clear()
        side = min(self.width, self.height)
        if side <= 0:
            return
        x, y = self.center_x - side / 2, self.center_y - side / 2
        width = max(1.5, side * 0.045)
        with self.canvas:
            Color(rgba=self.colour)
            if self.kind == "write":
                Line(rounded_rectangle=(x + side * 0.2, y + side * 0.08, side * 0.6, side * 0.84, side * 0.06),
                     width=width)
                for row, length in enumerate((0.4, 0.4, 0.4, 0.26)):
                    line_y = y + side * (0.72 - row * 0.15)
                    Line(points=[x + side * 0.3, line_y, x + side * (0.3 + length), line_y], width=width, cap="round")
            elif self.kind == "photo":
                Line(rounded_rectangle=(x + side * 0.06, y + side * 0.18, side * 0.88, side * 0.6, side * 0.08),
                     width=width)
                RoundedRectangle(pos=(x + side * 0.3, y + side * 0.78), size=(side * 0.22, side * 0.08),
                                 radius=[side * 0.02])
                Line(circle=(x + side * 0.5, y + side * 0.48, side * 0.19), width=width)
                Ellipse(pos=(x + side * 0.75, y + side * 0.64), size=(side * 0.07, side * 0.07))
            else:
                Line(rounded_rectangle=(x + side * 0.37, y + side * 0.4, side * 0.26, side * 0.52, side * 0.13),
                     width=width)
                Line(ellipse=(x + side * 0.24, y + side * 0.22, side * 0.52, side * 0.56, 90, 270), width=width)
                Line(points=[x + side * 0.5, y + side * 0.22, x + side * 0.5, y + side * 0.08], width=width)
                Line(points=[x + side * 0.34, y + side * 0.08, x + side * 0.66, y + side * 0.08], width=width,
                     cap="round")


class AnswerCard(ButtonBehavior, BoxLayout):
    """One way to answer; `done` shows a tick, an unavailable one says why instead of doing nothing silently."""

    kind = StringProperty("write")
    title = StringProperty("")
    status = StringProperty("")
    done = BooleanProperty(False)
    available = BooleanProperty(True)


class AnswerScreen(JourneyScreen):
    hint = StringProperty("")
    message = StringProperty("")

    def show(self, cards: dict[str, dict], hint: str) -> None:
        """`cards` maps write/photo/record to their title, status, done and available."""
        for kind in KINDS:
            card = self.ids[kind]
            for name, value in cards[kind].items():
                setattr(card, name, value)
        self.hint = hint
        self.message = ""

    def cards(self) -> dict[str, AnswerCard]:
        return {kind: self.ids[kind] for kind in KINDS}

    def show_problem(self, message: str) -> None:
        self.message = message


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
