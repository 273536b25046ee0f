"""Staff open the sync status from a hidden corner of the attract screen, behind the PIN in AGORA_KIOSK_STAFF_PIN."""

import logging

import pytest

from kiosk.device import Device, save_device
from kiosk.ui.staff import staff_pin_from_env
from sync.status import StatusFile

pytestmark = pytest.mark.ui

PIN = "4821"
# The top-right corner of the 800x480 window.
CORNER = (790, 470)


@pytest.fixture
def agent(sleeping_agent):
    return sleeping_agent


@pytest.fixture
def staff_pin(request):
    return getattr(request, "param", PIN)


def holds_the_corner(visitor, seconds):
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*CORNER)
    touch.touch_down()
    visitor.frames()
    visitor.waits(seconds)
    touch.touch_up()
    visitor.frames()


def types_pin(visitor, pin):
    for digit in pin:
        visitor.taps(visitor.screen.keys[digit])
    visitor.taps(visitor.screen.keys["ok"])


def test_alice_holds_the_corner_types_the_pin_and_sees_what_the_hall_kiosk_is_sending(visitor, settings):
    visitor.walks_to("thanks", story="Le bal sous la tapisserie.")
    receipt = visitor.screen.receipt
    visitor.taps(visitor.screen.ids.done)
    pending = visitor.store.pending()[0]
    save_device(settings.data_dir, Device(hub_url="https://hub.musee-vallee.fr", device_id="k-0042",
                                          token="secret", name="Hall"))
    StatusFile(settings.data_dir / "sync_status.json").progress(pending.uuid, receipt, 1_200_000, 3_400_000,
                                                                force=True)

    holds_the_corner(visitor, 3.1)
    assert visitor.app.current == "pin"
    types_pin(visitor, PIN)

    assert visitor.app.current == "staff"
    staff = visitor.screen
    assert staff.ids.pending.value == "1"
    assert staff.ids.sending.text == f"Envoi de {receipt} : 1,2 Mo sur 3,4 Mo"
    assert staff.fraction == pytest.approx(1.2 / 3.4)
    assert "https://hub.musee-vallee.fr" in staff.ids.hub.text
    assert "Hall" in staff.ids.hub.text
    assert staff.ids.failed.value == "0"
    assert staff.ids.last_success.value == "jamais"


def test_the_staff_screen_follows_the_sync_every_two_seconds_and_speaks_english_on_request(visitor, settings):
    holds_the_corner(visitor, 3)
    types_pin(visitor, PIN)
    assert visitor.screen.ids.hub.text == "Borne non appairée : lancez agora-kiosk pair"
    assert visitor.screen.ids.sending.text == "Aucun envoi en cours"

    StatusFile(settings.data_dir / "sync_status.json").update(
        last_error="the hub did not answer (timed out)", paused_reason="this kiosk is not authorised")
    visitor.lets_time_pass(2.3)

    assert "Envoi en pause : this kiosk is not authorised" in visitor.screen.ids.problems.text
    assert "Dernière erreur : the hub did not answer (timed out)" in visitor.screen.ids.problems.text
    visitor.taps(visitor.screen.ids.language)
    assert visitor.screen.ids.hub.text == "Kiosk not paired: run agora-kiosk pair"


def test_sync_now_wakes_the_agent(visitor, agent):
    holds_the_corner(visitor, 3)
    types_pin(visitor, PIN)

    visitor.taps(visitor.screen.ids.sync_now)

    assert agent.woken == 1


def test_a_wrong_pin_keeps_the_staff_screen_locked_with_a_gentle_message(visitor):
    holds_the_corner(visitor, 3)
    types_pin(visitor, "1234")

    assert visitor.app.current == "pin"
    assert visitor.screen.ids.message.text == "Ce n'est pas le bon code. Réessayez."
    assert visitor.screen.entry == ""


def test_five_wrong_pins_lock_the_keypad_for_a_minute(visitor):
    holds_the_corner(visitor, 3)
    for _ in range(5):
        types_pin(visitor, "0000")
    assert visitor.screen.ids.message.text == "Trop d'essais. Réessayez dans 60 s."

    types_pin(visitor, PIN)
    assert visitor.app.current == "pin"

    visitor.waits(61)
    types_pin(visitor, PIN)
    assert visitor.app.current == "staff"


@pytest.mark.parametrize("staff_pin", [None], indirect=True)
def test_without_a_staff_pin_holding_the_corner_does_nothing(visitor):
    holds_the_corner(visitor, 5)

    assert visitor.app.current == "attract"


def test_a_short_tap_on_the_corner_starts_a_visit_like_any_tap(visitor):
    visitor.tap_at(*CORNER)

    assert visitor.app.current == "language"


def test_back_returns_to_the_attract_screen_and_stops_refreshing(visitor):
    holds_the_corner(visitor, 3)
    types_pin(visitor, PIN)

    visitor.taps(visitor.screen.ids.back)

    assert visitor.app.current == "attract"
    assert visitor.app.screen("staff")._refresher is None


def test_the_staff_screen_returns_to_the_start_when_left_alone(visitor):
    holds_the_corner(visitor, 3)
    types_pin(visitor, PIN)

    visitor.waits(visitor.app.settings.idle_timeout + 11)

    assert visitor.app.current == "attract"


def test_the_staff_screen_is_not_a_step_of_the_visit(visitor):
    assert visitor.app.screen("staff").number == 0
    assert visitor.app.screen("pin").number == 0


@pytest.mark.parametrize("value", ["12ab", "123", "123456789", "12 34", "٤٨٢١"])
def test_an_invalid_staff_pin_turns_staff_access_off_with_an_error(value, caplog):
    with caplog.at_level(logging.ERROR):
        assert staff_pin_from_env({"AGORA_KIOSK_STAFF_PIN": value}) is None
    assert "AGORA_KIOSK_STAFF_PIN must be 4 to 8 digits" in caplog.text


def test_a_valid_staff_pin_is_read_from_the_environment():
    assert staff_pin_from_env({"AGORA_KIOSK_STAFF_PIN": " 48213 "}) == "48213"
    assert staff_pin_from_env({}) is None


def test_a_staff_area_left_alone_warns_that_it_closes_not_that_a_story_is_cleared(visitor):
    holds_the_corner(visitor, 3)
    types_pin(visitor, PIN)

    visitor.waits(92)

    assert visitor.app.warning_shown
    body = visitor.app.idle_warning.ids.body.text
    assert body.startswith("Sans geste de votre part, l'espace du personnel se ferme dans")
    visitor.waits(10)
    assert visitor.app.current == "attract"
