"""The kiosk looks like the museum's own: its colours, Lato type, and text that stays readable (WCAG AA)."""

import pytest

from kiosk.ui.colours import DANGER, INK, MUTED_INK, SURFACE, WARM_WHITE, contrast_ratio, readable_on, rgba

pytestmark = pytest.mark.ui

AA_BODY_TEXT = 4.5


@pytest.mark.parametrize("text", [INK, MUTED_INK, DANGER])
@pytest.mark.parametrize("background", [WARM_WHITE, SURFACE])
def test_text_colours_are_readable_on_the_page_and_on_cards(text, background):
    assert contrast_ratio(rgba(text), rgba(background)) >= AA_BODY_TEXT


@pytest.mark.parametrize("museum_colour", ["#1F3A5F", "#E0A526", "#F4E04D", "#7A1F2B", "#2E7D32", "#FFFFFF"])
def test_text_on_the_museum_colours_is_readable_whatever_colour_the_museum_picks(museum_colour):
    background = rgba(museum_colour)

    assert contrast_ratio(readable_on(background), background) >= AA_BODY_TEXT


def test_lato_is_the_kiosk_typeface(visitor):
    from kivy.core.text import LabelBase

    assert "Lato" in LabelBase._fonts
    labels = [w for w in visitor.app.root.walk() if getattr(w, "font_name", None) and hasattr(w, "text")]
    assert labels and all(w.font_name in ("Lato", "LatoBlack") for w in labels if w.text)
