"""The author screen: an optional first name or pseudonym, or the choice to stay anonymous."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty

from kiosk.ui.keyboard import KEYBOARD_LAYOUTS
from kiosk.ui.screens.write import KEYBOARD_SHARE
from kiosk.ui.theme import JourneyScreen


class AuthorScreen(JourneyScreen):
    limit = NumericProperty(60)
    message = StringProperty("")
    keyboard_share = NumericProperty(KEYBOARD_SHARE)

    def show(self, name: str, language: str, limit: int) -> None:
        self.limit = limit
        self.message = ""
        self.ids.keyboard.layout = KEYBOARD_LAYOUTS[language]
        self.ids.name.text = name
        self.ids.name.cursor = (len(name), 0)

    def on_enter(self, *_):
        self.ids.name.focus = True

    def on_leave(self, *_):
        self.ids.name.focus = False

    def show_problem(self, message: str) -> None:
        self.message = message


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
