"""The attract screen: the museum's name and a calm invitation; a touch anywhere starts a visit."""

from pathlib import Path

from kivy.animation import Animation
from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget

from kiosk.ui.staff import HOLD_SECONDS
from kiosk.ui.theme import JourneyScreen


class TouchAnywhere(ButtonBehavior, FloatLayout):
    """The whole screen as one button."""


class CornerHold(Widget):
    """The hidden staff corner: a press held there is timed by the app; a short one starts a visit as usual."""

    held_since = ObjectProperty(None, allownone=True)
    fired = BooleanProperty(False)

    def on_touch_down(self, touch):
        if not self.collide_point(*touch.pos) or touch.is_mouse_scrolling:
            return False
        touch.grab(self)
        self.held_since = App.get_running_app().now()
        self.fired = False
        return True

    def on_touch_up(self, touch):
        if touch.grab_current is not self:
            return False
        touch.ungrab(self)
        app = App.get_running_app()
        held = app.now() - self.held_since if self.held_since is not None else 0.0
        self.held_since = None
        if not self.fired and held < HOLD_SECONDS and app.current == "attract":
            app.begin()
        return True

    def release(self) -> None:
        """The hold has opened the staff keypad: lifting the finger afterwards does nothing more."""
        self.fired = True
        self.held_since = None


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
