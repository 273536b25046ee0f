"""A visit left alone is cleared after a gentle warning; any touch keeps it going."""

import pytest

pytestmark = pytest.mark.ui


def test_an_idle_visit_is_warned_then_cleared(visitor):
    visitor.walks_to("write")
    visitor.types("Un souvenir à moitié écrit")

    visitor.waits(89)
    assert not visitor.app.warning_shown
    visitor.waits(2)
    assert visitor.app.warning_shown
    assert visitor.app.current == "write"
    assert visitor.app.draft.text == "Un souvenir à moitié écrit"

    visitor.waits(10)
    assert visitor.app.current == "attract"
    assert not visitor.app.warning_shown
    assert visitor.app.draft is None
    assert visitor.store.pending() == []


def test_the_warning_counts_down_the_seconds_left(visitor):
    visitor.walks_to("exhibit")

    visitor.waits(93)

    assert visitor.app.idle_warning.seconds_left == 7


def test_continue_on_the_warning_keeps_the_visit(visitor):
    visitor.walks_to("author", story="Mon histoire")
    visitor.waits(95)
    assert visitor.app.warning_shown

    visitor.taps(visitor.app.idle_warning.ids.keep_going)
    visitor.waits(80)

    assert not visitor.app.warning_shown
    assert visitor.app.current == "author"
    assert visitor.app.draft.text == "Mon histoire"


def test_a_touch_resets_the_idle_timer(visitor):
    visitor.walks_to("consent")
    visitor.waits(80)

    visitor.taps(visitor.screen.cards()["archive"])
    visitor.waits(80)

    assert not visitor.app.warning_shown
    assert visitor.app.current == "consent"


def test_typing_resets_the_idle_timer(visitor):
    visitor.walks_to("write", story="")
    visitor.waits(80)

    visitor.types("Encore un mot")
    visitor.waits(80)

    assert not visitor.app.warning_shown


def test_the_attract_screen_waits_forever(visitor):
    visitor.waits(3600)

    assert visitor.app.current == "attract"
    assert not visitor.app.warning_shown
