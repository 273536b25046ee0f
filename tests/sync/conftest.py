"""Sync fixtures: the live hub with the exhibit "la-tapisserie", and the "Hall" kiosk paired with it."""

import hashlib
import io
import random

import numpy
import pytest
import soundfile
from PIL import Image

from kiosk.catalogue import CatalogueCache
from kiosk.contribution import Draft
from kiosk.store import Store
from sync.agent import SyncAgent, read_status
from sync.client import HubClient


class FakeClock:
    """The kiosk's clock, moved by hand."""

    def __init__(self, now: float = 1_795_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeMonotonic:
    """The agent's monotonic clock, moved on by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def story(text: str = "Ma grand-mère brodait des motifs comme ceux-ci.", **changes) -> Draft:
    values = dict(exhibit="la-tapisserie", prompt="souvenir", language="fr", text=text, author_name="Bob")
    values.update(changes)
    return Draft(**values)


def photo(seed: int, side: int = 64) -> bytes:
    """A real JPEG of coloured noise (noise does not compress, so `side` sets the size: 64 -> about 10 kB)."""
    pixels = numpy.random.default_rng(seed).integers(0, 256, (side, side, 3), dtype=numpy.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def recording(seed: int, seconds: float = 0.5) -> bytes:
    """A real FLAC of soft noise at 16 kHz (0.5 s -> about 15 kB)."""
    samples = numpy.random.default_rng(seed).normal(0, 0.1, int(16000 * seconds)).astype("float32")
    buffer = io.BytesIO()
    soundfile.write(buffer, samples, 16000, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def story_with_media(store, seed: int, text: str | None = None, photos: int = 1, recordings: int = 1,
                     photo_side: int = 64, seconds: float = 0.5) -> Draft:
    """A visitor's story with photos and recordings, their files already kept by the kiosk's store."""
    chance = random.Random(seed)
    media = [store.add_media(photo(chance.randrange(2**32), photo_side), "image/jpeg", "photo")
             for _ in range(photos)]
    media += [store.add_media(recording(chance.randrange(2**32), seconds), "audio/flac", "audio")
              for _ in range(recordings)]
    return story(f"story {seed}" if text is None else text, media=media)


@pytest.fixture
def tapestry(transactional_db):
    """The exhibit "la-tapisserie" with its prompt "souvenir", as Alice the curator set it up on the hub."""
    from hub.museum.models import Exhibit, Prompt

    exhibit = Exhibit.objects.create(
        slug="la-tapisserie", title_fr="La tapisserie des moissons", title_en="The harvest tapestry",
        description_fr="Tissée vers 1890.", description_en="Woven around 1890.",
        image_credit="Photo : Alice", position=1,
    )
    Prompt.objects.create(exhibit=exhibit, slug="souvenir", text_fr="Quel souvenir ?", text_en="Which memory?",
                          position=1)
    return exhibit


@pytest.fixture
def paired_hall(live_server, tapestry):
    """The "Hall" kiosk, paired with the live hub through the real pairing API: (device_id, token)."""
    from hub.devices.models import PairingCode

    _, code = PairingCode.issue(authorise=True)
    answer = HubClient(live_server.url, None).pair(code, "Hall")
    return answer["device_id"], answer["token"]


class Kiosk:
    """A kiosk's data folder with its store, catalogue copy and sync agent, talking to a hub."""

    def __init__(self, folder, hub_url, token, session=None, timeout=(5, 30), clock_synchronised=True, **options):
        self.folder = folder
        self.clock = FakeClock()
        self.store = Store(folder, clock=self.clock, clock_synchronised=lambda: clock_synchronised)
        self.catalogue = CatalogueCache(folder)
        self.client = HubClient(hub_url, token, session=session, timeout=timeout)
        self.status_file = folder / "sync_status.json"
        self.agent = SyncAgent(self.store, self.client, self.catalogue, self.status_file, clock=self.clock,
                               interval=0.2, **options)

    def submit(self, *drafts):
        return [self.store.submit(draft) for draft in drafts]

    def status(self) -> dict:
        return read_status(self.status_file)


@pytest.fixture
def hall(tmp_path, live_server, paired_hall):
    _, token = paired_hall
    kiosk = Kiosk(tmp_path / "hall", live_server.url, token)
    yield kiosk
    kiosk.agent.stop()
    kiosk.store.close()
