"""After delivering, the kiosk pulls the hub's exhibit list and pictures, replacing its copy only when complete."""

import io

import requests
from PIL import Image

from .conftest import Kiosk, story


class CountingNetwork(requests.Session):
    """The network, noting the path of every request so a test can see what the kiosk downloads."""

    def __init__(self):
        super().__init__()
        self.paths = []

    def request(self, method, url, *args, **kwargs):
        self.paths.append(requests.utils.urlparse(url).path)
        return super().request(method, url, *args, **kwargs)


def jpeg(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def give_picture(exhibit, data: bytes):
    from django.core.files.base import ContentFile

    exhibit.image.save(f"{exhibit.slug}.jpg", ContentFile(data), save=True)


def test_the_hubs_exhibits_and_pictures_replace_the_demo_list(hall, tapestry):
    picture = jpeg("red")
    give_picture(tapestry, picture)
    assert hall.catalogue.load().source == "demo"

    report = hall.agent.run_once()

    assert report.config_updated
    catalogue = hall.catalogue.load()
    assert catalogue.source == "hub"
    assert [e.slug for e in catalogue.exhibits] == ["la-tapisserie"]
    exhibit = catalogue.exhibit("la-tapisserie")
    assert exhibit.title == {"fr": "La tapisserie des moissons", "en": "The harvest tapestry"}
    assert exhibit.image.read_bytes() == picture
    assert exhibit.prompt("souvenir").text["en"] == "Which memory?"
    assert hall.status()["last_error"] is None


def test_an_unchanged_picture_is_not_downloaded_again(tmp_path, live_server, paired_hall, tapestry):
    give_picture(tapestry, jpeg("blue"))
    network = CountingNetwork()
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], session=network)
    kiosk.agent.run_once()
    network.paths.clear()

    kiosk.agent.run_once()

    assert [path for path in network.paths if "gallery" not in path and "heartbeat" not in path] == [
        "/api/v1/kiosk/config"
    ]
    assert kiosk.catalogue.load().exhibit("la-tapisserie").image is not None


def test_a_retired_exhibit_leaves_the_kiosk_at_the_next_pull(hall, tapestry):
    hall.agent.run_once()
    tapestry.active = False
    tapestry.save()

    hall.agent.run_once()

    assert hall.catalogue.load().exhibits == ()


def test_a_picture_that_cannot_be_downloaded_keeps_the_previous_copy(hall, tapestry):
    give_picture(tapestry, jpeg("green"))
    hall.agent.run_once()
    before = hall.catalogue.load()
    tapestry.title_fr = "Nouveau titre"
    tapestry.save()
    tapestry.image.storage.delete(tapestry.image.name)
    tapestry.image.name = "exhibits/missing.jpg"
    tapestry.save()
    [contribution] = hall.submit(story())

    report = hall.agent.run_once()

    assert [r.uuid for r in report.delivered] == [contribution.uuid]
    assert not report.config_updated
    assert "exhibit list could not be updated" in report.config_error
    assert hall.catalogue.load() == before
    assert hall.store.get(contribution.uuid).state == "delivered"
    assert "exhibit list could not be updated" in hall.status()["last_error"]
