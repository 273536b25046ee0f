"""The staff PIN keypad: digits shown as dots, a gentle message when the code is wrong, Back to the start."""

from pathlib import Path

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty

from kiosk.ui.theme import JourneyScreen, PrimaryButton, QuietButton

MAX_DIGITS = 8


class PinScreen(JourneyScreen):
    entry = StringProperty("")
    message = StringProperty("")
    problem = BooleanProperty(False)

    def on_kv_post(self, base_widget):
        self.keys = {}
        for key in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "erase", "0", "ok"):
            button = PrimaryButton() if key == "ok" else QuietButton() if key == "erase" else Factory.PinKey()
            button.key = key
            button.bind(on_release=self._pressed)
            self.keys[key] = button
            self.ids.keypad.add_widget(button)
        self._label_keys()

    def on_enter(self, *_):
        self._label_keys()

    def reset(self, message: str = "") -> None:
        self.entry = ""
        self.show_problem(message)

    def show_problem(self, message: str) -> None:
        self.message = message
        self.problem = bool(message)

    def _label_keys(self) -> None:
        strings = App.get_running_app().strings
        for key, button in self.keys.items():
            button.text = strings["pin.ok"] if key == "ok" else strings["pin.erase"] if key == "erase" else key

    def _pressed(self, button) -> None:
        if button.key == "ok":
            App.get_running_app().try_staff_pin(self.entry)
        elif button.key == "erase":
            self.entry = self.entry[:-1]
        elif len(self.entry) < MAX_DIGITS:
            self.entry += button.key


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
