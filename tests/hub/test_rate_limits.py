"""Too many requests from one kiosk or one address get 429 with Retry-After; the limits are a table of data."""

import pytest

from hub.devices.models import Device
from hub.env import EnvError, rate_limits
from sync.protocol import CONFIG_PATH, ITEMS_PATH, PAIR_PATH

from .conftest import Kiosk

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.AGORA_HUB_RATE_LIMITS = {"pair": (2, 600), "kiosk": (3, 60), "kiosk-address": (100, 60),
                                      "public": (2, 60)}


def test_a_kiosk_that_sends_too_much_is_told_when_to_come_back(client, hall, tight):
    for _ in range(3):
        assert client.get(CONFIG_PATH, **hall.auth).status_code == 200
    response = client.get(CONFIG_PATH, **hall.auth)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Retry-After" in response.json()["detail"]


def test_one_kiosks_limit_does_not_stop_another(client, hall, tight):
    entrance = Kiosk(*Device.register("Entrance", authorised=True))
    for _ in range(4):
        client.get(CONFIG_PATH, **hall.auth)
    assert client.get(CONFIG_PATH, **entrance.auth).status_code == 200


def test_guessing_pairing_codes_from_one_address_is_slowed_down(client, tight):
    answers = [client.post(PAIR_PATH, {"code": "AAAA-BBBB", "name": "X"}, content_type="application/json")
               for _ in range(3)]
    assert [answer.status_code for answer in answers] == [400, 400, 429]
    assert int(answers[-1]["Retry-After"]) > 0


def test_the_public_list_is_limited_per_address(client, db, tight):
    assert [client.get(ITEMS_PATH).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(ITEMS_PATH, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_limits_can_be_tuned_from_the_environment_and_a_typo_names_the_variable():
    defaults = {"kiosk": (600, 60), "pair": (10, 600)}
    assert rate_limits("kiosk=1200/60", defaults) == {"kiosk": (1200, 60), "pair": (10, 600)}
    with pytest.raises(EnvError, match="AGORA_HUB_RATE_LIMITS"):
        rate_limits("kiosks=5/60", defaults)
    with pytest.raises(EnvError, match="SCOPE=REQUESTS/SECONDS"):
        rate_limits("kiosk=fast", defaults)
