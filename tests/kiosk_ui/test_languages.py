"""Each visitor reads the kiosk in their language and types on their usual keyboard."""

import pytest

pytestmark = pytest.mark.ui


def test_an_english_visitor_reads_english_and_types_on_qwerty(visitor):
    visitor.walks_to("exhibit", language="en")
    assert visitor.screen.ids["bar"].ids.back.text.endswith("Back")
    assert visitor.screen.ids["bar"].ids.start_over.text == "Start over"
    assert [card.title for card in visitor.screen.cards()][0] == "The harvest tapestry"

    visitor.taps(visitor.screen.cards()[2])
    assert visitor.screen.question == "Which voice, song or programme takes you back to your childhood?"
    visitor.taps(visitor.screen.ids.answer)

    assert visitor.screen.ids.keyboard.layout == "qwerty"
    assert visitor.screen.ids.story.hint_text == "Write your story here…"
    visitor.types_on_screen_keyboard("the wireless")
    visitor.taps(visitor.screen.ids.next)
    assert visitor.screen.ids.anonymous.text == "Stay anonymous"
    assert visitor.screen.ids.keyboard.layout == "qwerty"


def test_a_french_visitor_reads_french_and_types_on_azerty_with_accents(visitor):
    visitor.walks_to("write", story="")

    keyboard = visitor.screen.ids.keyboard
    assert keyboard.layout == "azerty"
    assert visitor.screen.ids.next.text.startswith("Suivant")
    for accented in "éèçàù":
        assert keyboard.key_position(accented) is not None
    visitor.types_on_screen_keyboard("çà et là, où")
    assert visitor.screen.ids.story.text == "çà et là, où"


def test_an_english_story_is_stored_in_english(visitor):
    visitor.walks_to("thanks", language="en")

    [stored] = visitor.store.pending()
    assert stored.language == "en"
    assert visitor.screen.ids.done.text == "Finish"


def test_the_next_visitor_starts_in_french_with_both_languages_on_the_attract_screen(visitor):
    visitor.walks_to("author", language="en")
    visitor.taps(visitor.screen.ids["bar"].ids.start_over)

    texts = {label.text for label in visitor.screen.walk() if hasattr(label, "text")}
    assert "Touchez l'écran pour partager votre histoire" in texts
    assert "Touch the screen to share your story" in texts
    assert visitor.app.language == "fr"
