"""Back, Start over, Edit links and the end of a visit take the visitor where they expect."""

import pytest

pytestmark = pytest.mark.ui

STEPS = ("language", "exhibit", "prompt", "write", "author", "consent", "review")


def test_back_on_every_step_returns_to_the_previous_one_and_keeps_what_was_entered(visitor):
    visitor.walks_to("consent", story="Le canal gelé de 1956.", author="Camille", exhibit=1)
    visitor.taps(visitor.screen.cards()["cc0-1.0"])
    visitor.taps(visitor.screen.ids.next)
    assert visitor.app.current == "review"

    for expected in reversed(STEPS[:-1]):
        visitor.taps(visitor.screen.ids["bar"].ids.back)
        assert visitor.app.current == expected
        if expected == "consent":
            assert visitor.screen.choice == "cc0-1.0"
        elif expected == "author":
            assert visitor.screen.ids.name.text == "Camille"
        elif expected == "write":
            assert visitor.screen.ids.story.text == "Le canal gelé de 1956."
        elif expected == "prompt":
            assert visitor.screen.title == "La carte du canal"

    visitor.taps(visitor.screen.ids["bar"].ids.back)
    assert visitor.app.current == "attract"
    assert visitor.app.draft is None


def test_coming_back_to_a_step_and_going_forward_again_keeps_the_story(visitor):
    visitor.walks_to("author", story="Le bal du 14 juillet.")
    visitor.taps(visitor.screen.ids["bar"].ids.back)
    visitor.taps(visitor.screen.ids["bar"].ids.back)
    assert visitor.app.current == "prompt"

    visitor.taps(visitor.screen.ids.answer)

    assert visitor.screen.ids.story.text == "Le bal du 14 juillet."


@pytest.mark.parametrize("step", STEPS)
def test_start_over_on_any_step_returns_to_the_start_and_forgets_the_visit(visitor, step):
    visitor.walks_to(step, story="Une histoire à oublier.", author="Camille")

    visitor.taps(visitor.screen.ids["bar"].ids.start_over)

    assert visitor.app.current == "attract"
    assert visitor.app.draft is None
    assert visitor.store.pending() == []
    visitor.taps(visitor.screen.ids.touch_anywhere)
    visitor.walks_to("write")
    assert visitor.screen.ids.story.text == ""


def test_thanks_returns_to_the_start_after_the_configured_seconds(visitor):
    visitor.walks_to("thanks")
    assert visitor.screen.ids.countdown.text == "Retour à l'accueil dans 8 s"

    visitor.waits(5.5)
    assert visitor.app.current == "thanks"
    assert visitor.screen.ids.countdown.text == "Retour à l'accueil dans 3 s"

    visitor.waits(2.6)
    assert visitor.app.current == "attract"
    assert visitor.app.draft is None


def test_edit_from_the_review_goes_to_that_step_and_next_comes_back_to_the_review(visitor):
    visitor.walks_to("review", story="Première version.")
    story_row = visitor.screen.ids.rows.children[-3]
    assert story_row.step == "write"

    visitor.taps_in_a_list(story_row.ids.edit)
    assert visitor.app.current == "write"
    visitor.types(" Corrigée.")
    visitor.taps(visitor.screen.ids.next)

    assert visitor.app.current == "review"
    assert visitor.screen.story == "Première version. Corrigée."


def test_exhibits_pulled_from_the_hub_appear_when_the_kiosk_returns_to_the_start(visitor):
    visitor.walks_to("exhibit")
    assert [card.slug for card in visitor.screen.cards()] == ["la-tapisserie", "la-carte-du-canal", "le-poste-radio"]
    visitor.taps(visitor.screen.ids["bar"].ids.start_over)

    visitor.catalogue.replace(_hub_config("la-locomotive"), {})
    visitor.taps(visitor.screen.ids.touch_anywhere)
    visitor.taps(visitor.screen.ids.french)

    assert [card.title for card in visitor.screen.cards()] == ["La locomotive"]


def test_an_exhibit_without_a_question_is_not_offered(visitor):
    config = _hub_config("la-locomotive")
    silent = dict(config["exhibits"][0], slug="la-vitrine-vide", prompts=[])
    config["exhibits"].append(silent)
    visitor.catalogue.replace(config, {})

    visitor.walks_to("exhibit")

    assert [card.slug for card in visitor.screen.cards()] == ["la-locomotive"]


def test_with_nothing_to_offer_the_visitor_is_told_to_fetch_staff(visitor):
    config = _hub_config("la-locomotive")
    config["exhibits"][0]["prompts"] = []
    visitor.catalogue.replace(config, {})

    visitor.walks_to("exhibit")

    assert visitor.screen.cards() == []
    assert "membre du personnel" in visitor.screen.empty


def _hub_config(slug: str) -> dict:
    return {
        "museum": {"name": "Musée de la Vallée"},
        "languages": ["fr", "en"],
        "exhibits": [{
            "slug": slug,
            "title": {"fr": "La locomotive", "en": "The locomotive"},
            "description": {"fr": "", "en": ""},
            "image_url": None,
            "image_credit": "",
            "prompts": [{"id": "voyage", "text": {"fr": "Un voyage ?", "en": "A journey?"}}],
        }],
    }
