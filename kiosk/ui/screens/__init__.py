"""The visitor's screens in journey order, then the staff's; importing this package loads their kv rules once."""

from kiosk.ui.screens.answer import AnswerScreen
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.author import AuthorScreen
from kiosk.ui.screens.consent import ConsentScreen
from kiosk.ui.screens.exhibit import ExhibitScreen
from kiosk.ui.screens.language import LanguageScreen
from kiosk.ui.screens.photo import PhotoScreen
from kiosk.ui.screens.pin import PinScreen
from kiosk.ui.screens.prompt import PromptScreen
from kiosk.ui.screens.record import RecordScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.staff import StaffScreen
from kiosk.ui.screens.thanks import ThanksScreen
from kiosk.ui.screens.write import WriteScreen

JOURNEY = (
    AttractScreen,
    LanguageScreen,
    ExhibitScreen,
    PromptScreen,
    AnswerScreen,
    WriteScreen,
    PhotoScreen,
    RecordScreen,
    AuthorScreen,
    ConsentScreen,
    ReviewScreen,
    ThanksScreen,
)

# Reached through the hidden gesture on the attract screen, never counted as steps of a visit.
STAFF = (PinScreen, StaffScreen)

__all__ = ["JOURNEY", "STAFF"]
