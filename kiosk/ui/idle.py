"""The gentle "Are you still there?" veil shown before an idle visit (or an open staff area) is cleared."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout

# How long the warning stays before the draft is discarded.
WARNING_SECONDS = 10


class IdleWarning(ButtonBehavior, FloatLayout):
    """Covers the screen so a stray touch can't press what is underneath; any touch on it continues."""

    seconds_left = NumericProperty(WARNING_SECONDS)
    # Staff are told the staff area closes; a visitor, that the story is cleared.
    staff = BooleanProperty(False)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
