"""Shared hub fixtures: Alice the curator, the "Hall" kiosk, the exhibit "la-tapisserie" and a story payload."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import numpy
import pytest
import soundfile
from django.contrib.auth import get_user_model
from PIL import Image

from hub.curation.roles import curators_group
from hub.devices.models import Device
from hub.museum.models import Exhibit, Prompt
from sync.protocol import API_PREFIX, contribution_path, new_uuid7

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

    def head_blob(self, client, sha: str):
        return client.head(blob_path(sha), **self.auth)

    def put_blob(self, client, data: bytes, content_type: str, sha: str | None = None, start: int | None = None,
                 total: int | None = None, **extra):
        """PUTs `data` as the whole blob, or as the chunk at `start` of a blob of `total` bytes."""
        if start is not None:
            extra["HTTP_CONTENT_RANGE"] = f"bytes {start}-{start + len(data) - 1}/{total}"
        return client.put(
            blob_path(sha or sha256(data)), data, content_type=content_type, **self.auth, **extra
        )

    def upload(self, client, data: bytes, content_type: str, kind: str) -> dict:
        """Uploads a blob whole and returns its media descriptor."""
        response = self.put_blob(client, data, content_type)
        assert response.status_code == 201, response.content
        return {"sha256": sha256(data), "size": len(data), "type": content_type, "kind": kind}


def blob_path(sha: str) -> str:
    return f"{API_PREFIX}/kiosk/blobs/sha256/{sha}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def jpeg(size=(64, 48), exif=None, quality=85, noise=False) -> bytes:
    """A photo as a kiosk camera would take it; `noise` makes it big for its pixel count."""
    if noise:
        pixels = numpy.random.default_rng(7).integers(0, 256, (size[1], size[0], 3), dtype=numpy.uint8)
        image = Image.fromarray(pixels, "RGB")
    else:
        image = Image.new("RGB", size, (180, 120, 60))
        image.paste((20, 40, 200), (0, 0, size[0] // 2, size[1] // 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png(size=(32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(out, "PNG")
    return out.getvalue()


def flac(seconds=1.0, rate=16000) -> bytes:
    """A recording: a quiet 440 Hz tone."""
    t = numpy.arange(int(seconds * rate)) / rate
    out = io.BytesIO()
    soundfile.write(out, (0.2 * numpy.sin(2 * numpy.pi * 440 * t)).astype("float32"), rate, format="FLAC")
    return out.getvalue()


def wav(seconds=1.0, rate=8000) -> bytes:
    out = io.BytesIO()
    soundfile.write(out, numpy.zeros(int(seconds * rate), dtype="int16"), rate, format="WAV")
    return out.getvalue()


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """A fast hasher: the real one is slow on purpose, and tests create many accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Exhibit images and blobs saved by a test land in that test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AGORA_HUB_UPLOADS_DIR = tmp_path / "uploads"


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
    device, token = Device.register("Hall", authorised=True)
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
