"""Two quick taps on Submit store one contribution."""

import pytest

pytestmark = pytest.mark.ui


def test_two_quick_taps_on_submit_store_one_contribution(visitor):
    from kivy.tests.common import UnitTestTouch

    visitor.walks_to("review")
    submit = visitor.screen.ids.submit
    x, y = submit.to_window(*submit.center)

    # Both taps land before the kiosk draws another frame.
    for _ in range(2):
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()
    visitor.frames()

    assert len(visitor.store.pending()) == 1
    assert visitor.app.current == "thanks"


def test_submit_is_disabled_as_soon_as_it_is_tapped(visitor):
    visitor.walks_to("review")
    submit = visitor.screen.ids.submit
    assert not submit.disabled

    visitor.app.submit()

    assert submit.disabled
    visitor.app.submit()
    assert len(visitor.store.pending()) == 1


def test_submit_works_again_for_the_next_visitor(visitor):
    visitor.walks_to("thanks")
    visitor.taps(visitor.screen.ids.done)

    visitor.walks_to("thanks", story="Une autre histoire, celle du canal.")

    assert len(visitor.store.pending()) == 2
