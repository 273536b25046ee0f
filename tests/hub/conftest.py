"""Shared hub fixtures: Alice the curator, the "Hall" kiosk, the exhibit "la-tapisserie" and a story payload."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from hub.curation.roles import curators_group
from hub.devices.models import Device
from hub.museum.models import Exhibit, Prompt
from sync.protocol import contribution_path, new_uuid7

ALICE_PASSWORD = "tapestry-lantern-42"


@dataclass
class Kiosk:
    device: Device
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}

    def put(self, client, payload: dict, uuid: str | None = None, **extra):
        return client.put(
            contribution_path(uuid or payload["uuid"]), payload, content_type="application/json", **self.auth, **extra
        )


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """A fast hasher: the real one is slow on purpose, and tests create many accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Exhibit images saved by a test land in that test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tapestry(db) -> Exhibit:
    exhibit = Exhibit.objects.create(
        slug="la-tapisserie",
        title_fr="La tapisserie",
        title_en="The tapestry",
        description_fr="Une tapisserie du XVIe siècle.",
        description_en="A sixteenth-century tapestry.",
        image_credit="Photo : Musée de la Vallée",
        position=1,
    )
    Prompt.objects.create(
        exhibit=exhibit, slug="souvenir", text_fr="Quel souvenir vous évoque-t-elle ?",
        text_en="What memory does it bring back?", position=1,
    )
    return exhibit


@pytest.fixture
def hall(db) -> Kiosk:
    device, token = Device.register("Hall")
    return Kiosk(device, token)


@pytest.fixture
def alice(db):
    user = get_user_model().objects.create_user("alice", password=ALICE_PASSWORD, is_staff=True)
    user.groups.add(curators_group())
    return user


def story(**overrides) -> dict:
    """Bob's story about the tapestry, as the kiosk sends it."""
    payload = {
        "uuid": new_uuid7(),
        "exhibit": "la-tapisserie",
        "prompt": "souvenir",
        "language": "fr",
        "text": "Ma grand-mère brodait des motifs comme ceux-ci.",
        "author_name": "Bob",
        "consent": "public",
        "licence": "cc-by-4.0",
        "created_at": "2026-11-27T10:33:39.123Z",
        "clock_synchronised": True,
        "media": [],
    }
    payload.update(overrides)
    return payload
