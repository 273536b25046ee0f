"""An empty or over-long story stops the visitor with a clear message, and nothing typed is lost."""

import pytest

from sync.protocol import MAX_TEXT_LENGTH

pytestmark = pytest.mark.ui


def test_an_empty_story_gets_a_message_and_cannot_go_further(visitor):
    visitor.walks_to("write", story="")

    visitor.taps(visitor.screen.ids.next)

    assert visitor.app.current == "write"
    assert visitor.screen.ids.message.text == "Écrivez quelques mots avant d'envoyer."


def test_a_story_of_only_spaces_counts_as_empty(visitor):
    visitor.walks_to("write", story="   \n  ")

    visitor.taps(visitor.screen.ids.next)

    assert visitor.app.current == "write"
    assert visitor.screen.ids.message.text
    assert visitor.screen.ids.counter.text == f"0 / {MAX_TEXT_LENGTH}"


def test_the_empty_story_message_goes_away_once_the_visitor_writes(visitor):
    visitor.walks_to("write", story="")
    visitor.taps(visitor.screen.ids.next)

    visitor.types("Il était une fois")

    assert visitor.screen.ids.message.text == ""


def test_an_over_long_story_is_kept_with_a_message_saying_how_much_to_cut(visitor):
    visitor.walks_to("write", story="")
    story = "a" * MAX_TEXT_LENGTH
    visitor.screen.ids.story.text = story
    visitor.types("bc")

    assert visitor.screen.ids.counter.text == f"{MAX_TEXT_LENGTH + 2} / {MAX_TEXT_LENGTH}"
    assert "2 caractère(s) de trop" in visitor.screen.ids.message.text

    visitor.taps(visitor.screen.ids.next)

    assert visitor.app.current == "write"
    assert visitor.screen.ids.story.text == story + "bc"
    assert visitor.screen.ids.message.text


def test_shortening_an_over_long_story_lets_the_visitor_continue(visitor):
    visitor.walks_to("write", story="")
    visitor.screen.ids.story.text = "a" * (MAX_TEXT_LENGTH + 1)
    visitor.frames()

    visitor.tap_at(*visitor.screen.ids.keyboard.key_position(special="backspace"))
    assert visitor.screen.ids.message.text == ""
    visitor.taps(visitor.screen.ids.next)

    assert visitor.app.current == "author"
