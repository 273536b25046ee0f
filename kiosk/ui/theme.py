"""The kiosk's look: Lato type, the museum's colours, sizes that follow the screen, and the styled widgets."""

from __future__ import annotations

from pathlib import Path

from kivy.core.text import LabelBase
from kivy.event import EventDispatcher
from kivy.graphics import Color, Ellipse, Line, RoundedRectangle
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget

from kiosk.ui import colours
from kiosk.ui.colours import INK, SURFACE, readable_on, rgba, shade

FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"

# Designed for the official 7" Raspberry Pi screen (800x480); everything grows in proportion on larger screens.
BASE_SIZE = (800, 480)

def register_fonts() -> None:
    """Make Lato available to every label as "Lato" (regular/bold/italic) and "LatoBlack"."""
    LabelBase.register(
        name="Lato",
        fn_regular=str(FONTS_DIR / "Lato-Regular.ttf"),
        fn_bold=str(FONTS_DIR / "Lato-Bold.ttf"),
        fn_italic=str(FONTS_DIR / "Lato-Italic.ttf"),
        fn_bolditalic=str(FONTS_DIR / "Lato-Bold.ttf"),
    )
    LabelBase.register(name="LatoBlack", fn_regular=str(FONTS_DIR / "Lato-Black.ttf"))


class Theme(EventDispatcher):
    """Colours from the museum's settings and sizes scaled to the window; kv rules read `app.theme`."""

    primary = ColorProperty(rgba("#1F3A5F"))
    primary_ink = ColorProperty(rgba(SURFACE))
    accent = ColorProperty(rgba("#E0A526"))
    accent_ink = ColorProperty(rgba(INK))
    background = ColorProperty(rgba(colours.WARM_WHITE))
    surface = ColorProperty(rgba(SURFACE))
    ink = ColorProperty(rgba(INK))
    muted = ColorProperty(rgba(colours.MUTED_INK))
    hairline = ColorProperty(rgba(colours.HAIRLINE))
    danger = ColorProperty(rgba(colours.DANGER))
    veil = ColorProperty(rgba(INK, 0.55))

    unit = NumericProperty(1.0)
    small = NumericProperty(19)
    body = NumericProperty(22)
    lead = NumericProperty(26)
    title = NumericProperty(32)
    display = NumericProperty(52)
    button_height = NumericProperty(68)
    gap = NumericProperty(12)
    padding = NumericProperty(20)
    radius = NumericProperty(14)
    key_font = NumericProperty(20)

    def __init__(self, primary_color: str, accent_color: str, **kwargs):
        super().__init__(**kwargs)
        self.primary = rgba(primary_color)
        self.primary_ink = readable_on(self.primary)
        self.accent = rgba(accent_color)
        self.accent_ink = readable_on(self.accent)

    def follow(self, window) -> None:
        """Scale type and spacing with the window, so 800x480 and 1920x1080 look alike."""
        window.bind(size=self._resize)
        self._resize(window, window.size)

    def unfollow(self, window) -> None:
        window.unbind(size=self._resize)

    def _resize(self, _window, size) -> None:
        width, height = size
        self.unit = unit = max(0.5, min(width / BASE_SIZE[0], height / BASE_SIZE[1]))
        self.small = round(19 * unit)
        self.body = round(22 * unit)
        self.lead = round(26 * unit)
        self.title = round(32 * unit)
        self.display = round(52 * unit)
        self.button_height = max(64, round(64 * unit))
        self.gap = round(12 * unit)
        self.padding = round(18 * unit)
        self.radius = round(14 * unit)
        self.key_font = round(21 * unit)


class TextLabel(Label):
    """Wrapped Lato text whose height follows its content."""


class RoundButton(ButtonBehavior, Label):
    """A flat rounded button drawn on the canvas, darker while pressed, faded while disabled."""

    fill = ColorProperty([0, 0, 0, 0])
    ink = ColorProperty([0, 0, 0, 1])
    outline = ColorProperty([0, 0, 0, 0])
    face = ColorProperty([0, 0, 0, 0])

    def on_kv_post(self, base_widget):
        self._update_face()

    def on_state(self, *_):
        self._update_face()

    def on_fill(self, *_):
        self._update_face()

    def on_disabled(self, *_):
        self._update_face()

    def _update_face(self) -> None:
        colour = list(self.fill)
        if self.state == "down":
            colour = shade(colour, 0.18) if colour[3] else [0, 0, 0, 0.08]
        if self.disabled:
            colour[3] *= 0.45
        self.face = colour


class PrimaryButton(RoundButton):
    """The one action that moves the visitor forward."""


class QuietButton(RoundButton):
    """A secondary action (Back, Start over, Edit): outlined, never competing with the primary."""


class ChoiceCard(ButtonBehavior, BoxLayout):
    """A large tappable card with a title and a one-line explanation; filled in when selected."""

    key = StringProperty("")
    title = StringProperty("")
    help = StringProperty("")
    selected = BooleanProperty(False)
    compact = BooleanProperty(False)


class StepBar(BoxLayout):
    """The top bar of every step: Back, where the visitor is, and Start over."""

    title = StringProperty("")
    step = StringProperty("")


class JourneyScreen(Screen):
    """A screen of the visitor's journey on the warm background; `number` is its step (0 = not a step)."""

    number = NumericProperty(0)


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


class Field(TextInput):
    """A text field drawn as a white rounded sheet with a coloured edge while focused."""


register_fonts()
Builder.load_file(str(Path(__file__).with_name("theme.kv")))
