"""The kiosk's gallery of recent published stories, and its config's ETag, timeouts and attract screen."""

import pytest

from hub.contributions import moderation
from hub.contributions.receiving import receive
from hub.museum.models import Exhibit, Prompt
from sync.protocol import CONFIG_PATH

from .conftest import jpeg, story

pytestmark = pytest.mark.django_db

GALLERY = "/api/v1/kiosk/gallery"


def test_the_config_carries_timeouts_and_attract_content(client, tapestry, hall):
    config = client.get(CONFIG_PATH, **hall.auth).json()
    assert config["timeouts"] == {"idle_seconds": 90, "thanks_seconds": 8}
    assert config["attract"]["title"]["fr"] and config["attract"]["title"]["en"]
    assert config["attract"]["images"] == []


def test_an_unchanged_config_answers_304_to_its_etag(client, tapestry, hall):
    first = client.get(CONFIG_PATH, **hall.auth)
    etag = first["ETag"]
    again = client.get(CONFIG_PATH, HTTP_IF_NONE_MATCH=etag, **hall.auth)
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""


def test_a_changed_config_gets_a_new_etag(client, tapestry, hall):
    etag = client.get(CONFIG_PATH, **hall.auth)["ETag"]
    Prompt.objects.create(exhibit=tapestry, slug="couleurs", text_fr="Les couleurs ?", text_en="The colours?")
    response = client.get(CONFIG_PATH, HTTP_IF_NONE_MATCH=etag, **hall.auth)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_the_gallery_shows_only_published_stories_of_the_exhibit_asked(client, tapestry, hall, alice):
    mill = Exhibit.objects.create(slug="le-moulin", title_fr="Le moulin", title_en="The mill")
    Prompt.objects.create(exhibit=mill, slug="souvenir", text_fr="?", text_en="?")
    published, _ = receive(hall.device, story(text="Publié"))
    moderation.approve(published, alice)
    receive(hall.device, story(text="En attente"))
    archived, _ = receive(hall.device, story(text="Archive", consent="archive", licence=None))
    moderation.approve(archived, alice)
    other, _ = receive(hall.device, story(exhibit="le-moulin", text="Moulin"))
    moderation.approve(other, alice)
    body = client.get(GALLERY, {"exhibit": "la-tapisserie"}, **hall.auth).json()
    assert body["exhibit"] == "la-tapisserie"
    assert [item["text"] for item in body["items"]] == ["Publié"]
    assert len(client.get(GALLERY, **hall.auth).json()["items"]) == 2


def test_the_gallery_links_to_the_photos_of_published_stories(client, tapestry, hall, alice):
    ref = hall.upload(client, jpeg(), "image/jpeg", "photo")
    contribution, _ = receive(hall.device, story(media=[ref]))
    moderation.approve(contribution, alice)
    media = client.get(GALLERY, **hall.auth).json()["items"][0]["media"]
    assert media[0]["url"].startswith(f"http://testserver/media/items/{contribution.uuid}/")
    assert client.get(media[0]["url"].removeprefix("http://testserver")).status_code == 200


def test_the_gallery_needs_a_device_token(client, db):
    assert client.get(GALLERY).status_code == 401
