"""A French visitor shares a story from start to finish, on the on-screen keyboard."""

import pytest

from kiosk.contribution import PENDING

pytestmark = pytest.mark.ui


def test_camille_shares_a_story_and_gets_the_receipt_of_what_was_stored(visitor):
    visitor.taps(visitor.screen.ids.touch_anywhere)
    assert visitor.app.current == "language"

    visitor.taps(visitor.screen.ids.french)
    assert visitor.app.current == "exhibit"
    tapestry = visitor.screen.cards()[0]
    assert tapestry.title == "La tapisserie des moissons"

    visitor.taps(tapestry)
    assert visitor.app.current == "prompt"
    savoir_faire = visitor.screen.cards()[1]
    visitor.taps(savoir_faire)
    assert savoir_faire.selected
    visitor.taps(visitor.screen.ids.answer)

    assert visitor.app.current == "write"
    assert visitor.screen.ids.keyboard.layout == "azerty"
    visitor.types_on_screen_keyboard("la dentelle de grand-mère")
    assert visitor.screen.ids.story.text == "la dentelle de grand-mère"
    assert visitor.screen.ids.counter.text == "25 / 2000"
    visitor.taps(visitor.screen.ids.next)

    assert visitor.app.current == "author"
    visitor.types_on_screen_keyboard("Camille")
    visitor.taps(visitor.screen.ids.next)

    assert visitor.app.current == "consent"
    visitor.taps(visitor.screen.cards()["cc-by-4.0"])
    visitor.taps(visitor.screen.ids.next)

    assert visitor.app.current == "review"
    review = visitor.screen
    assert (review.exhibit, review.story, review.author) == (
        "La tapisserie des moissons", "la dentelle de grand-mère", "Camille")
    assert review.sharing == "Publique · CC BY 4.0"
    visitor.taps(review.ids.submit)

    assert visitor.app.current == "thanks"
    [stored] = visitor.store.pending()
    assert (stored.exhibit, stored.prompt, stored.language) == ("la-tapisserie", "savoir-faire", "fr")
    assert (stored.text, stored.author_name) == ("la dentelle de grand-mère", "Camille")
    assert (stored.consent, stored.licence, stored.state) == ("public", "cc-by-4.0", PENDING)
    assert visitor.screen.ids.receipt.text == stored.receipt_code


def test_the_visit_leaves_nothing_in_memory_once_back_at_the_start(visitor):
    visitor.walks_to("thanks")
    visitor.taps(visitor.screen.ids.done)

    assert visitor.app.current == "attract"
    assert visitor.app.draft is None
    assert len(visitor.store.pending()) == 1

