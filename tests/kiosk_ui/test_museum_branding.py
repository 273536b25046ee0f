"""The Musée de la Vallée's name, colours and logo, from its settings, dress the kiosk."""

import pytest
from PIL import Image

from kiosk.config import KioskSettings
from kiosk.ui.colours import INK, SURFACE, rgba

pytestmark = pytest.mark.ui

BURGUNDY, PRIMROSE = "#7A1F2B", "#F4E04D"


@pytest.fixture
def settings(tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), BURGUNDY).save(logo)
    return KioskSettings(data_dir=tmp_path / "hall-kiosk", museum_name="Musée des Tisserands",
                         primary_color=BURGUNDY, accent_color=PRIMROSE, logo=logo)


def test_the_attract_screen_shows_the_museums_name_and_logo(visitor, settings):
    attract = visitor.screen

    assert attract.name == "attract"
    assert attract.museum_name == "Musée des Tisserands"
    assert attract.logo == str(settings.logo)
    texts = {widget.text for widget in attract.walk() if hasattr(widget, "text")}
    assert "Musée des Tisserands" in texts


def test_the_museum_colours_dress_buttons_with_readable_text(visitor):
    theme = visitor.app.theme
    visitor.walks_to("language")

    assert theme.primary == rgba(BURGUNDY)
    assert theme.primary_ink == rgba(SURFACE)
    assert theme.accent_ink == rgba(INK)
    french = visitor.screen.ids.french
    assert french.fill == rgba(BURGUNDY)
    assert french.color == rgba(SURFACE)
