"""Every kiosk call but pairing needs a live device token; without one nothing is stored."""

import pytest
from django.utils import timezone

from hub.contributions.models import Contribution
from sync.protocol import CONFIG_PATH, contribution_path

from .conftest import story

pytestmark = pytest.mark.django_db


def put(client, payload, **headers):
    return client.put(contribution_path(payload["uuid"]), payload, content_type="application/json", **headers)


def test_an_upload_without_a_token_is_refused(client, tapestry):
    response = put(client, story())
    assert response.status_code == 401
    assert "Authorization" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_an_upload_with_a_wrong_token_is_refused(client, tapestry, hall):
    response = put(client, story(), HTTP_AUTHORIZATION="Bearer not-the-hall-token")
    assert response.status_code == 401
    assert "not known" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_an_upload_with_another_scheme_is_refused(client, tapestry, hall):
    response = put(client, story(), HTTP_AUTHORIZATION=f"Token {hall.token}")
    assert response.status_code == 401
    assert not Contribution.objects.exists()


def test_a_revoked_kiosk_is_refused(client, tapestry, hall):
    hall.device.revoked_at = timezone.now()
    hall.device.save()
    response = hall.put(client, story())
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_the_config_needs_a_token_too(client, tapestry):
    assert client.get(CONFIG_PATH).status_code == 401


def test_a_valid_token_marks_the_kiosk_as_seen(client, tapestry, hall):
    assert client.get(CONFIG_PATH, **hall.auth).status_code == 200
    hall.device.refresh_from_db()
    assert hall.device.last_seen_at is not None
