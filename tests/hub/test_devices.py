"""Kiosks wait for a curator's authorisation; curators authorise, revoke and rotate them on /curate/devices/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.blobs.models import Blob
from hub.devices.auth import PENDING
from hub.devices.models import Device, PairingCode
from sync.protocol import CONFIG_PATH, PAIR_PATH

from .conftest import Kiosk, jpeg, sha256, story

pytestmark = pytest.mark.django_db

DEVICES = "/curate/devices/"


def pair(client, code, name="Salle 2") -> Kiosk:
    body = client.post(PAIR_PATH, {"code": code, "name": name}, content_type="application/json").json()
    return Kiosk(Device.objects.get(pk=body["device_id"]), body["token"])


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_a_newly_paired_kiosk_waits_for_a_curator(client, tapestry):
    _, code = PairingCode.issue()
    salle = pair(client, code)
    for response in (client.get(CONFIG_PATH, **salle.auth), salle.put(client, story()),
                     salle.put_blob(client, jpeg(), "image/jpeg")):
        assert response.status_code == 403
        assert response.json() == {"detail": PENDING}
    assert salle.head_blob(client, "0" * 64).status_code == 403


def test_alice_authorises_the_waiting_kiosk_and_it_may_send(client, alice_client, tapestry, alice):
    _, code = PairingCode.issue()
    salle = pair(client, code)
    page = alice_client.get(DEVICES).content.decode()
    assert "Salle 2" in page and "waiting for authorisation" in page
    response = alice_client.post(f"/curate/devices/{salle.device.pk}/authorise")
    assert response.status_code == 302
    salle.device.refresh_from_db()
    assert salle.device.authorised_by == alice
    assert salle.put(client, story()).status_code == 201


def test_a_code_made_to_authorise_pairs_a_kiosk_that_may_send_at_once(client, tapestry):
    _, code = PairingCode.issue(authorise=True)
    salle = pair(client, code)
    assert client.get(CONFIG_PATH, **salle.auth).status_code == 200


def test_alice_makes_a_pairing_code_shown_as_text_and_qr_code(alice_client):
    response = alice_client.post("/curate/devices/pairing-code")
    page = response.content.decode()
    code = page.split('id="pairing-code">')[1].split("<")[0]
    assert PairingCode.find(code) is not None
    assert 'src="data:image/svg+xml' in page
    assert response["Cache-Control"] == "no-store"
    assert not PairingCode.find(code).authorise


def test_alice_may_make_a_code_that_authorises_at_once(alice_client):
    page = alice_client.post("/curate/devices/pairing-code", {"authorise": "on"}).content.decode()
    code = page.split('id="pairing-code">')[1].split("<")[0]
    assert PairingCode.find(code).authorise


def test_the_devices_page_needs_a_curator_and_its_buttons_a_post(client, hall, alice):
    assert client.get(DEVICES).status_code == 302
    client.force_login(alice)
    assert client.get(f"/curate/devices/{hall.device.pk}/revoke").status_code == 405


def test_a_revoked_token_is_refused_on_the_next_chunk_of_an_upload(client, alice_client, hall):
    photo = jpeg((300, 200), noise=True)
    sha, total = sha256(photo), len(photo)
    assert hall.put_blob(client, photo[:1000], "image/jpeg", sha=sha, start=0, total=total).status_code == 202
    alice_client.post(f"/curate/devices/{hall.device.pk}/revoke")
    response = hall.put_blob(client, photo[1000:], "image/jpeg", sha=sha, start=1000, total=total)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert hall.head_blob(client, sha).status_code == 401
    assert not Blob.objects.get().complete
    assert (alice_client.get(DEVICES).content.decode()).count("revoked") >= 1


def test_a_kiosk_rotates_its_token_and_the_old_one_works_for_a_short_overlap(client, hall, settings):
    settings.AGORA_HUB_TOKEN_OVERLAP_MINUTES = 10
    response = client.post("/api/v1/kiosk/token/rotate", **hall.auth)
    assert response.status_code == 200
    new = Kiosk(hall.device, response.json()["token"])
    assert new.token != hall.token
    assert client.get(CONFIG_PATH, **new.auth).status_code == 200
    assert client.get(CONFIG_PATH, **hall.auth).status_code == 200
    Device.objects.filter(pk=hall.device.pk).update(previous_token_expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(CONFIG_PATH, **hall.auth).status_code == 401
    assert client.get(CONFIG_PATH, **new.auth).status_code == 200


def test_a_rotation_whose_answer_was_lost_can_be_asked_again_with_the_old_token(client, hall):
    client.post("/api/v1/kiosk/token/rotate", **hall.auth)
    again = client.post("/api/v1/kiosk/token/rotate", **hall.auth)
    assert again.status_code == 200
    assert client.get(CONFIG_PATH, HTTP_AUTHORIZATION=f"Bearer {again.json()['token']}").status_code == 200


def test_alice_asks_a_kiosk_to_rotate_and_it_is_told_on_its_next_call(client, alice_client, hall):
    alice_client.post(f"/curate/devices/{hall.device.pk}/rotate")
    assert client.get(CONFIG_PATH, **hall.auth)["Agora-Rotate-Token"] == "?1"
    token = client.post("/api/v1/kiosk/token/rotate", **hall.auth).json()["token"]
    assert "Agora-Rotate-Token" not in client.get(CONFIG_PATH, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_heartbeat_shows_on_the_devices_page(client, alice_client, hall):
    beat = {"app_version": "0.3.0", "outbox_depth": 4, "oldest_pending_seconds": 620.0,
            "free_disk_bytes": 3 * 1024**3, "camera": True, "microphone": False, "last_error": "Wi-Fi down"}
    response = client.post("/api/v1/kiosk/heartbeat", beat, content_type="application/json", **hall.auth)
    assert response.status_code == 200
    assert response.json()["received_at"].endswith("Z")
    assert response.json()["rotate_token"] is False
    page = alice_client.get(DEVICES).content.decode()
    assert "0.3.0" in page and "4 waiting to send" in page and "Wi-Fi down" in page and "3.0" in page


def test_a_kiosk_silent_for_too_long_is_highlighted(alice_client, hall, settings):
    settings.AGORA_HUB_SILENT_MINUTES = 30
    Device.objects.filter(pk=hall.device.pk).update(last_seen_at=timezone.now() - timedelta(minutes=31))
    page = alice_client.get(DEVICES).content.decode()
    assert "device--silent" in page and "silent for more than 30 minutes" in page
    Device.objects.filter(pk=hall.device.pk).update(last_seen_at=timezone.now())
    assert "device--silent" not in alice_client.get(DEVICES).content.decode()
