"""The consent screen: publish under CC BY (preselected), CC BY-SA or CC0, or keep for the archive only."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import StringProperty

from kiosk.ui.theme import JourneyScreen

# What the visitor chooses between, in the order shown; "archive" means never public, so no licence.
ARCHIVE = "archive"
SHARING_CHOICES = ("cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0", ARCHIVE)


class ConsentScreen(JourneyScreen):
    choice = StringProperty("cc-by-4.0")

    def show(self, choice: str) -> None:
        self.choice = choice

    def cards(self) -> dict:
        return {card.key: card for card in self.ids.cards.children}


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
