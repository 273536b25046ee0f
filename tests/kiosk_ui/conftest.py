"""Headless Kivy harness: one offscreen window per test session, a fresh Agora app per test, time moved by hand."""

import os
import sys
import tempfile
import time

# Kivy reads these when it is first imported, so they come before any import of Kivy or kiosk.ui.
os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ["KIVY_NO_ARGS"] = "1"
os.environ["KIVY_HOME"] = tempfile.mkdtemp(prefix="agora-kivy-")  # a shared one races on $KIVY_HOME/mods
os.environ["KIVY_USE_DEFAULTCONFIG"] = "1"
os.environ["KIVY_NO_FILELOG"] = "1"
os.environ["KIVY_LOG_MODE"] = "PYTHON"
os.environ["KIVY_METRICS_DENSITY"] = "1"

import pytest  # noqa: E402

from kiosk.catalogue import CatalogueCache  # noqa: E402
from kiosk.config import KioskSettings  # noqa: E402
from kiosk.store import Store  # noqa: E402
from tests.capture.fakemic import fake_microphone  # noqa: F401  (a shared session fixture)

SMALL_SCREEN = (800, 480)


class FakeClock:
    """The monotonic clock the app reads for its idle and thanks timeouts, moved forward by the test."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Visitor:
    """Someone at the kiosk: taps widgets, types, waits; every action lets the app draw a few frames."""

    def __init__(self, app, clock: FakeClock, store: Store, catalogue: CatalogueCache):
        self.app = app
        self.clock = clock
        self.store = store
        self.catalogue = catalogue

    @property
    def screen(self):
        return self.app.screen(self.app.current)

    def frames(self, count: int = 2) -> None:
        from kivy.base import EventLoop

        for _ in range(count):
            EventLoop.idle()

    def tap_at(self, x: float, y: float) -> None:
        from kivy.tests.common import UnitTestTouch

        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
        self.frames()

    def taps(self, widget) -> None:
        self.tap_at(*widget.to_window(*widget.center))

    def taps_in_a_list(self, widget) -> None:
        """A tap inside a scrolling list: Kivy waits 0.2 s of real time to tell a tap from a swipe."""
        self.taps(widget)
        deadline = time.monotonic() + 0.5
        screen = self.app.current
        while time.monotonic() < deadline and self.app.current == screen:
            self.frames(1)

    def types(self, text: str) -> None:
        """Typing on a hardware keyboard (the focused field receives it through the window)."""
        from kivy.core.window import Window

        for char in text:
            Window.dispatch("on_textinput", char)
        self.frames()

    def types_on_screen_keyboard(self, text: str) -> None:
        """Tapping the keys of the current screen's on-screen keyboard, with caps lock for capitals."""
        keyboard = self.screen.ids.keyboard
        for char in text:
            if keyboard.key_position(char, mode="normal"):
                self.tap_at(*keyboard.key_position(char))
                continue
            assert keyboard.key_position(char, mode="shift"), f"no key for {char!r} on {keyboard.layout}"
            self.tap_at(*keyboard.key_position(special="capslock"))
            self.tap_at(*keyboard.key_position(char))
            self.tap_at(*keyboard.key_position(special="capslock"))

    def waits(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.frames()

    def waits_for(self, condition, what: str, seconds: float = 10) -> None:
        """Lets the app run in real time until `condition()` holds: cameras, microphones and disks take it."""
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"no {what} within {seconds} s (the kiosk shows {self.app.current})"
            self.frames(1)
            time.sleep(0.01)
        # A screen change finishes on the next frame.
        self.frames()

    def lets_time_pass(self, seconds: float) -> None:
        """Real time, with the app drawing all along (audio is recorded and played in real time)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.frames(1)
            time.sleep(0.01)

    def walks_to(self, step: str, *, language: str = "fr", exhibit: int = 0,
                 story: str = "Les soirs de fête, on dansait sous la tapisserie.", author: str = "") -> None:
        """Taps through the journey from where the visitor is (or the attract screen) up to `step`,
        answering by writing `story` when the kiosk offers a choice of answers."""
        if self.app.current == "attract":
            self.taps(self.screen.ids.touch_anywhere)
        for _ in range(len(JOURNEY_STEPS)):
            here = self.app.current
            if here == step:
                break
            if here == "language":
                self.taps(self.screen.ids.french if language == "fr" else self.screen.ids.english)
            elif here == "exhibit":
                self.taps(self.screen.cards()[exhibit])
            elif here == "prompt":
                self.taps(self.screen.ids.answer)
            elif here == "answer":
                answered = self.app.draft.text.strip() or self.app.draft.media
                self.taps(self.screen.ids.next if answered else self.screen.cards()["write"])
            elif here == "write":
                self.types(story)
                self.taps(self.screen.ids.next)
            elif here == "author":
                self.types(author)
                self.taps(self.screen.ids.next)
            elif here == "consent":
                self.taps(self.screen.ids.next)
            elif here == "review":
                self.taps(self.screen.ids.submit)
            else:
                raise AssertionError(f"walks_to cannot go on from the {here} screen")
            assert self.app.current != here, f"the visitor is stuck on the {here} screen"
        assert self.app.current == step


JOURNEY_STEPS = ("language", "exhibit", "prompt", "answer", "write", "author", "consent", "review", "thanks")


@pytest.fixture(scope="session")
def window():
    """The one offscreen window of this test process, 800x480 like the official Raspberry Pi screen."""
    if "kivy" in sys.modules and "kivy.core.window" in sys.modules:
        pytest.fail("Kivy's window was opened before the UI harness could configure it")
    from kivy.config import Config

    Config.set("graphics", "width", str(SMALL_SCREEN[0]))
    Config.set("graphics", "height", str(SMALL_SCREEN[1]))
    Config.set("graphics", "maxfps", "0")
    Config.set("kivy", "keyboard_mode", "system")
    # Tests make every touch themselves; no mouse or touchscreen of the machine may add any.
    for option in Config.options("input"):
        Config.remove_option("input", option)

    from kivy.core.window import Window

    Window.register()
    # App.stop() would close the window; the session keeps one open for every test.
    Window.close = lambda *args, **kwargs: None
    return Window


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def settings(tmp_path):
    return KioskSettings(data_dir=tmp_path / "hall-kiosk", idle_timeout=90, thanks_seconds=8)


@pytest.fixture
def store(settings):
    store = Store(settings.data_dir)
    yield store
    store.close()


@pytest.fixture
def agent():
    """No sync agent unless a test module provides one."""
    return None


class SleepingAgent:
    """Stands in for the sync agent, whose thread talks to the hub over the network."""

    def __init__(self):
        self.woken = 0

    def wake(self):
        self.woken += 1


@pytest.fixture
def sleeping_agent():
    """A sync agent that only counts how often the app wakes it; modules pass it as their `agent`."""
    return SleepingAgent()


@pytest.fixture
def capture():
    """No camera and no microphone (a kiosk that takes text) unless a test module provides them."""
    return None


@pytest.fixture
def staff_pin():
    """Staff access off (no AGORA_KIOSK_STAFF_PIN) unless a test module sets a PIN."""
    return None


@pytest.fixture
def test_camera(tmp_path):
    """The test camera, showing a sideways family photo from a phone, GPS position and all."""
    from kiosk.capture.camera import FileCamera
    from tests.capture.pictures import write_photo

    return FileCamera([write_photo(tmp_path / "grand-mere.jpg", size=(640, 480), orientation=6, gps=True)])


@pytest.fixture
def visitor(window, settings, store, clock, agent, capture, staff_pin):
    """The Agora app running in the window, with a visitor in front of it."""
    from kivy.base import EventLoop

    from kiosk.ui.app import AgoraApp

    if tuple(window.size) != SMALL_SCREEN:
        window.size = SMALL_SCREEN
    catalogue = CatalogueCache(settings.data_dir)
    app = AgoraApp(settings, store, catalogue, agent, clock=clock, animate=False, capture=capture,
                   staff_pin=staff_pin)
    app._run_prepare()
    person = Visitor(app, clock, store, catalogue)
    person.frames()
    yield person
    app.stop()
    EventLoop.status = "idle"
    EventLoop.quit = False
    EventLoop.stopping = False
    for child in window.children[:]:
        window.remove_widget(child)

