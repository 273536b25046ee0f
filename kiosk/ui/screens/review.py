"""The review screen: everything the visitor entered, an Edit link back to each step, and Submit."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.theme import JourneyScreen


class ReviewRow(BoxLayout):
    heading = StringProperty("")
    value = StringProperty("")
    step = StringProperty("")


class ReviewPhotoRow(BoxLayout):
    image = StringProperty("")
    step = StringProperty("")


class ReviewRecordingRow(BoxLayout):
    value = StringProperty("")
    step = StringProperty("")
    playing = BooleanProperty(False)


class ReviewScreen(JourneyScreen):
    exhibit = StringProperty("")
    question = StringProperty("")
    story = StringProperty("")
    author = StringProperty("")
    sharing = StringProperty("")
    message = StringProperty("")

    def on_kv_post(self, base_widget):
        # Rows for what this visitor did not give are taken out of the list; these (strong, unlike ids) keep them.
        self._optional = {name: (self.ids[name].__self__, self.ids.rows.children.index(self.ids[name]))
                          for name in ("story_row", "photo_row", "recording_row")}

    def show(self, *, exhibit: str, question: str, story: str, author: str, sharing: str,
             photo: Path | None = None, recording: str | None = None) -> None:
        """`photo`: the kept photo's preview; `recording`: the kept recording's length, as shown."""
        self.exhibit, self.question, self.story = exhibit, question, story
        self.author, self.sharing = author, sharing
        self.message = ""
        self.ids.photo_row.image = str(photo) if photo else ""
        self.ids.recording_row.value = recording or ""
        self.ids.recording_row.playing = False
        self._place({"story_row": bool(story) or not (photo or recording), "photo_row": photo is not None,
                     "recording_row": recording is not None})
        self.ids.scroll.scroll_y = 1

    def _place(self, wanted: dict[str, bool]) -> None:
        rows = self.ids.rows
        for row, _index in self._optional.values():
            if row.parent is not None:
                rows.remove_widget(row)
        # Put them back top to bottom, just above the rows that follow them in the kv order (Kivy counts
        # children from the bottom).
        below = min(index for _row, index in self._optional.values())
        for name, (row, _index) in sorted(self._optional.items(), key=lambda item: -item[1][1]):
            if wanted[name]:
                rows.add_widget(row, index=below)

    def show_playing(self, playing: bool) -> None:
        self.ids.recording_row.playing = playing

    def show_problem(self, message: str) -> None:
        self.message = message


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
