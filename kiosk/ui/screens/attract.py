"""The attract screen: the museum's name and a calm invitation; a touch anywhere starts a visit."""

from pathlib import Path

from kivy.animation import Animation
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout

from kiosk.ui.theme import JourneyScreen


class TouchAnywhere(ButtonBehavior, FloatLayout):
    """The whole screen as one button."""


class AttractScreen(JourneyScreen):
    museum_name = StringProperty("")
    logo = StringProperty("")
    glow = NumericProperty(0.0)
    breathing = BooleanProperty(True)

    def show(self, museum_name: str, logo: Path | None) -> None:
        self.museum_name = museum_name
        self.logo = str(logo) if logo else ""

    def on_enter(self, *_):
        if self.breathing:
            # A slow breathing ring: enough motion to catch an eye across the room, never a flashing banner.
            breathing = Animation(glow=1.0, duration=2.2, t="in_out_sine") + Animation(
                glow=0.0, duration=2.2, t="in_out_sine"
            )
            breathing.repeat = True
            breathing.start(self)

    def on_leave(self, *_):
        self._be_still()

    def on_breathing(self, _screen, breathing: bool) -> None:
        # The first screen is entered as soon as it is added, before the app can say it must keep still.
        if not breathing:
            self._be_still()

    def _be_still(self) -> None:
        Animation.cancel_all(self, "glow")
        self.glow = 0.0


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
