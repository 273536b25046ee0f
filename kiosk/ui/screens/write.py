"""The write screen: the story field, a character counter, and the on-screen keyboard docked below."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.ui.keyboard import KEYBOARD_LAYOUTS
from kiosk.ui.theme import JourneyScreen

# The keyboard's share of the screen height: big keys, and still room for three lines of story above.
KEYBOARD_SHARE = 0.42


class WriteScreen(JourneyScreen):
    question = StringProperty("")
    limit = NumericProperty(2000)
    count = NumericProperty(0)
    over = BooleanProperty(False)
    message = StringProperty("")
    keyboard_share = NumericProperty(KEYBOARD_SHARE)

    def show(self, story: str, question: str, language: str, limit: int) -> None:
        self.question = question
        self.limit = limit
        self.message = ""
        self.ids.keyboard.layout = KEYBOARD_LAYOUTS[language]
        self.ids.story.text = story
        self.ids.story.cursor = self.ids.story.get_cursor_from_index(len(story))

    def on_enter(self, *_):
        self.ids.story.focus = True

    def on_leave(self, *_):
        self.ids.story.focus = False

    def count_characters(self, story: str, over_message: str) -> None:
        """Keep the counter and the over-limit warning in step with what the visitor types."""
        self.count = len(story.strip())
        self.over = self.count > self.limit
        if self.over:
            self.message = over_message.format(extra=self.count - self.limit, limit=self.limit)
        elif self.message and (self.count or not story):
            self.message = ""

    def show_problem(self, message: str) -> None:
        self.message = message


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
