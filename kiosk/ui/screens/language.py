"""The language screen: two large buttons, Français and English."""

from pathlib import Path

from kivy.lang import Builder

from kiosk.ui.theme import JourneyScreen


class LanguageScreen(JourneyScreen):
    pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
