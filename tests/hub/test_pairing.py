"""Pairing: a curator's one-time code becomes a kiosk's device token, exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hub.devices.models import Device, PairingCode
from hub.devices.tokens import sha256_hex
from sync.protocol import PAIR_PATH

pytestmark = pytest.mark.django_db


def pair(client, code, name="Hall"):
    return client.post(PAIR_PATH, {"code": code, "name": name}, content_type="application/json")


def test_a_fresh_code_pairs_the_hall_kiosk(client):
    _, code = PairingCode.issue()
    response = pair(client, code)
    assert response.status_code == 201
    body = response.json()
    assert body["hub_name"] == "Musée de la Vallée"
    assert len(body["token"]) >= 43
    device = Device.objects.get(id=body["device_id"])
    assert device.name == "Hall"
    assert device.state == "pending"


def test_the_code_is_accepted_in_lower_case_and_without_its_hyphen(client):
    _, code = PairingCode.issue()
    assert pair(client, code.replace("-", " ").lower()).status_code == 201


def test_a_code_works_only_once(client):
    _, code = PairingCode.issue()
    assert pair(client, code).status_code == 201
    response = pair(client, code, name="Salle 2")
    assert response.status_code == 400
    assert "already been used" in response.json()["detail"]
    assert "agora-hub pairing-code" in response.json()["detail"]
    assert Device.objects.count() == 1


def test_an_expired_code_is_refused(client):
    record, code = PairingCode.issue()
    PairingCode.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = pair(client, code)
    assert response.status_code == 400
    assert "expired" in response.json()["detail"]
    assert not Device.objects.exists()


def test_an_unknown_code_is_refused(client):
    response = pair(client, "AAAA-BBBB")
    assert response.status_code == 400
    assert "not known" in response.json()["detail"]


def test_a_code_is_valid_for_fifteen_minutes(client):
    record, _ = PairingCode.issue()
    assert record.expires_at - record.created_at == timedelta(minutes=15)


def test_the_hub_stores_only_hashes_of_codes_and_tokens(client):
    record, code = PairingCode.issue()
    token = pair(client, code).json()["token"]
    record.refresh_from_db()
    device = Device.objects.get()
    assert record.code_hash == sha256_hex(code.replace("-", ""))
    assert device.token_hash == sha256_hex(token)
    stored = [str(value) for value in Device.objects.values_list().get()]
    stored += [str(value) for value in PairingCode.objects.values_list().get()]
    assert token not in stored
    assert code not in stored and code.replace("-", "") not in stored


def test_a_blank_kiosk_name_is_refused(client):
    _, code = PairingCode.issue()
    response = pair(client, code, name="   ")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "name"
