"""The thanks screen: the receipt code, big and clear, and a visible countdown back to the start."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty

from kiosk.ui.theme import JourneyScreen


class ThanksScreen(JourneyScreen):
    receipt = StringProperty("")
    seconds_left = NumericProperty(0)
    progress = NumericProperty(0.0)

    def show(self, receipt: str, seconds: float) -> None:
        self.receipt = receipt
        self.countdown(0.0, seconds)

    def countdown(self, elapsed: float, total: float) -> None:
        self.progress = min(1.0, elapsed / total) if total else 1.0
        self.seconds_left = max(0, int(total - elapsed + 0.999))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
