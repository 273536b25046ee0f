"""From the 7-inch 800x480 screen to full HD, every button is on screen, big enough, and clear of the keyboard."""

import pytest

pytestmark = pytest.mark.ui

SIZES = [(800, 480), (1280, 800), (1920, 1080)]
JOURNEY = ("attract", "language", "exhibit", "prompt", "write", "author", "consent", "review", "thanks")
MIN_TOUCH_TARGET = 64


@pytest.fixture
def screen_size(window, request):
    window.size = request.param
    yield request.param
    window.size = (800, 480)


def window_box(widget):
    left, bottom = widget.to_window(widget.x, widget.y)
    right, top = widget.to_window(widget.right, widget.top)
    return left, bottom, right, top


def touch_targets(screen):
    from kivy.uix.behaviors import ButtonBehavior

    return [widget for widget in screen.walk(restrict=True)
            if isinstance(widget, ButtonBehavior) and widget.opacity > 0 and widget.width > 0]


def ancestors(widget):
    """The widget's parents up to the window (whose own parent is itself)."""
    found = []
    parent = widget.parent
    while parent is not None and parent not in found:
        found.append(parent)
        parent = parent.parent
    return found


def inside_a_list(widget):
    from kivy.uix.scrollview import ScrollView

    return any(isinstance(parent, ScrollView) for parent in ancestors(widget))


def check_touch_targets(screen, size):
    width, height = size
    for target in touch_targets(screen):
        name = f"{type(target).__name__} {getattr(target, 'text', '')!r} on the {screen.name} screen at {size}"
        assert target.height >= MIN_TOUCH_TARGET, f"{name} is only {target.height:.0f} px high"
        if not inside_a_list(target):
            left, bottom, right, top = window_box(target)
            assert left >= -0.5 and bottom >= -0.5, f"{name} starts off screen: {window_box(target)}"
            assert right <= width + 0.5 and top <= height + 0.5, f"{name} ends off screen: {window_box(target)}"


def check_nothing_under_the_keyboard(screen, size):
    keyboard = screen.ids.keyboard
    keyboard_top = window_box(keyboard)[3]
    holds_keyboard = {keyboard, *ancestors(keyboard)}
    for widget in screen.walk(restrict=True):
        if widget in holds_keyboard or widget.height <= 0 or widget.opacity == 0:
            continue
        bottom = window_box(widget)[1]
        assert bottom >= keyboard_top - 0.5, (
            f"{type(widget).__name__} {getattr(widget, 'text', '')!r} on the {screen.name} screen at {size} "
            f"reaches down to {bottom:.0f}, under the keyboard's top at {keyboard_top:.0f}")


def check_nothing_rides_up_into_the_top_bar(screen, size):
    bar = screen.ids.get("bar")
    if bar is None:
        return
    bar_bottom = window_box(bar)[1]
    skip = {bar, *ancestors(bar), *bar.walk(restrict=True)}
    for widget in screen.walk(restrict=True):
        if widget in skip or widget.height <= 0 or widget.opacity == 0 or inside_a_list(widget):
            continue
        top = window_box(widget)[3]
        assert top <= bar_bottom + 0.5, (
            f"{type(widget).__name__} {getattr(widget, 'text', '')!r} on the {screen.name} screen at {size} "
            f"rises to {top:.0f}, into the top bar that ends at {bar_bottom:.0f}")


@pytest.mark.parametrize("screen_size", SIZES, indirect=True)
def test_every_screen_fits_with_big_buttons_and_a_clear_keyboard(visitor, screen_size):
    visitor.frames(5)
    for step in JOURNEY:
        if step != "attract":
            visitor.walks_to(step, story="Les soirs de fête, on dansait.", author="Camille")
        visitor.frames(3)
        check_touch_targets(visitor.screen, screen_size)
        check_nothing_rides_up_into_the_top_bar(visitor.screen, screen_size)
        if step in ("write", "author"):
            check_nothing_under_the_keyboard(visitor.screen, screen_size)


@pytest.mark.parametrize("screen_size", SIZES, indirect=True)
def test_text_grows_with_the_screen_and_is_never_small(visitor, screen_size):
    visitor.frames(3)
    scale = min(screen_size[0] / 800, screen_size[1] / 480)

    assert visitor.app.theme.body >= 22
    assert visitor.app.theme.body >= round(22 * scale)
    assert visitor.app.theme.button_height >= MIN_TOUCH_TARGET


@pytest.mark.parametrize("screen_size", SIZES, indirect=True)
def test_the_photo_screens_fit_with_big_buttons(visitor, screen_size, store, test_camera):
    from kiosk.ui.capture import CaptureDesk

    visitor.app.capture = CaptureDesk(store, camera=test_camera)
    visitor.walks_to("answer")
    visitor.frames(3)
    check_touch_targets(visitor.screen, screen_size)
    check_nothing_rides_up_into_the_top_bar(visitor.screen, screen_size)

    visitor.taps(visitor.screen.cards()["photo"])
    photo = visitor.screen
    visitor.waits_for(lambda: photo.state == "preview", "live picture")
    check_touch_targets(photo, screen_size)
    check_nothing_rides_up_into_the_top_bar(photo, screen_size)
    visitor.taps(photo.ids.take)
    visitor.waits(3.1)
    visitor.waits_for(lambda: photo.state == "taken", "photo taken")
    check_touch_targets(photo, screen_size)

    visitor.taps(photo.ids.keep)
    visitor.waits_for(lambda: visitor.app.current == "answer", "answer screen")
    visitor.walks_to("review")
    visitor.frames(3)
    check_touch_targets(visitor.screen, screen_size)
