"""The staff screen: what the sync is doing, in plain words, read from files every 2 s while it is shown."""

from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, DictProperty, NumericProperty, StringProperty

from kiosk.ui.theme import JourneyScreen

REFRESH_SECONDS = 2.0


# Every figure the screen shows, empty until the first reading.
BLANK = {"hub": "", "paired": True, "pending": "", "oldest": "", "failed": "", "quarantined": "", "disk": "",
         "fraction": 0.0, "sending": "", "busy": False, "paused": "", "error": "", "last_success": "",
         "next_attempt": ""}


class StaffScreen(JourneyScreen):
    info = DictProperty(BLANK)
    fraction = NumericProperty(0.0)
    has_agent = BooleanProperty(False)
    notice = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._refresher = None

    def on_enter(self, *_):
        self.refresh()
        self._refresher = Clock.schedule_interval(self.refresh, REFRESH_SECONDS)

    def on_leave(self, *_):
        if self._refresher is not None:
            self._refresher.cancel()
            self._refresher = None
        self.notice = ""

    def refresh(self, *_):
        self.info = dict(BLANK, **App.get_running_app().staff_info())
        self.fraction = self.info["fraction"]


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
