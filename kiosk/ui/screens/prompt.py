"""The prompt screen: the exhibit's picture and title, and the museum's question (or a choice of them)."""

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from kiosk.ui.theme import ChoiceCard, JourneyScreen


class PromptScreen(JourneyScreen):
    __events__ = ("on_choose",)

    title = StringProperty("")
    description = StringProperty("")
    image = StringProperty("")
    credit = StringProperty("")
    question = StringProperty("")
    chosen = StringProperty("")
    # With a camera or microphone the visitor chooses how to answer next; without, they write.
    offers_choice = BooleanProperty(False)
    # With several questions to show, the exhibit's description keeps to one line.
    description_lines = NumericProperty(0)

    def show(self, exhibit, language: str, chosen: str, offers_choice: bool = False) -> None:
        self.offers_choice = offers_choice
        self.title = exhibit.title.get(language, "")
        self.description = exhibit.description.get(language, "")
        self.image = str(exhibit.image) if exhibit.image else ""
        self.credit = exhibit.image_credit
        self.chosen = chosen
        choices = self.ids.choices
        choices.clear_widgets()
        self.description_lines = 1 if len(exhibit.prompts) > 1 else 0
        if len(exhibit.prompts) == 1:
            self.question = exhibit.prompts[0].text.get(language, "")
            return
        self.question = ""
        for prompt in exhibit.prompts:
            card = ChoiceCard(
                key=prompt.id, title=prompt.text.get(language, ""), selected=prompt.id == chosen, compact=True
            )
            card.bind(on_release=self._on_card)
            choices.add_widget(card)

    def on_chosen(self, _screen, chosen: str) -> None:
        for card in self.ids.choices.children:
            card.selected = card.key == chosen

    def _on_card(self, card) -> None:
        self.dispatch("on_choose", card.key)

    def cards(self) -> list[ChoiceCard]:
        return list(reversed(self.ids.choices.children))

    def on_choose(self, prompt_id: str) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
