"""Sync fixtures: the live hub with the exhibit "la-tapisserie", and the "Hall" kiosk paired with it."""

import json

import pytest

from kiosk.catalogue import CatalogueCache
from kiosk.contribution import Draft
from kiosk.store import Store
from sync.agent import SyncAgent
from sync.client import HubClient


class FakeClock:
    """The kiosk's clock, moved by hand."""

    def __init__(self, now: float = 1_795_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def story(text: str = "Ma grand-mère brodait des motifs comme ceux-ci.", **changes) -> Draft:
    values = dict(exhibit="la-tapisserie", prompt="souvenir", language="fr", text=text, author_name="Bob")
    values.update(changes)
    return Draft(**values)


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

    _, code = PairingCode.issue()
    answer = HubClient(live_server.url, None).pair(code, "Hall")
    return answer["device_id"], answer["token"]


class Kiosk:
    """A kiosk's data folder with its store, catalogue copy and sync agent, talking to a hub."""

    def __init__(self, folder, hub_url, token, session=None, timeout=(5, 30)):
        self.folder = folder
        self.clock = FakeClock()
        self.store = Store(folder, clock=self.clock)
        self.catalogue = CatalogueCache(folder)
        self.client = HubClient(hub_url, token, session=session, timeout=timeout)
        self.status_file = folder / "sync_status.json"
        self.agent = SyncAgent(self.store, self.client, self.catalogue, self.status_file, clock=self.clock,
                               interval=0.2)

    def submit(self, *drafts):
        return [self.store.submit(draft) for draft in drafts]

    def status(self) -> dict:
        return json.loads(self.status_file.read_text())


@pytest.fixture
def hall(tmp_path, live_server, paired_hall):
    _, token = paired_hall
    kiosk = Kiosk(tmp_path / "hall", live_server.url, token)
    yield kiosk
    kiosk.agent.stop()
    kiosk.store.close()
