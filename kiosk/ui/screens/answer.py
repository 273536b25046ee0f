"""The answer screen: write, take a photo, record, or several of them; each one done shows a tick."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.theme import JourneyScreen

KINDS = ("write", "photo", "record")


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
