"""The exhibit screen: the catalogue's exhibits as picture cards titled in the visitor's language."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.ui.theme import JourneyScreen

COLUMNS = 3


class ExhibitCard(ButtonBehavior, BoxLayout):
    slug = StringProperty("")
    title = StringProperty("")
    image = StringProperty("")


class ExhibitScreen(JourneyScreen):
    rows = NumericProperty(1)
    empty = StringProperty("")

    def show(self, exhibits, language: str, empty_message: str) -> None:
        grid = self.ids.grid
        grid.clear_widgets()
        for exhibit in exhibits:
            grid.add_widget(ExhibitCard(
                slug=exhibit.slug,
                title=exhibit.title.get(language) or next(iter(exhibit.title.values()), exhibit.slug),
                image=str(exhibit.image) if exhibit.image else "",
            ))
        # Up to two rows fill the screen; more scroll.
        self.rows = max(1, -(-len(exhibits) // COLUMNS))
        self.empty = "" if exhibits else empty_message

    def cards(self) -> list[ExhibitCard]:
        return list(reversed(self.ids.grid.children))


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
