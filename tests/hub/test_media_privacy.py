"""Visitors' photos and recordings: curators see and hear them in the queue; the public only once approved."""

import pytest

from hub.contributions import moderation
from hub.contributions.receiving import receive
from sync.protocol import ITEMS_PATH

from .conftest import flac, jpeg, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_media(client, tapestry, hall):
    photo = hall.upload(client, jpeg((640, 480)), "image/jpeg", "photo")
    recording = hall.upload(client, flac(2), "audio/flac", "audio")
    contribution, _ = receive(hall.device, story(media=[photo, recording]))
    return contribution, photo["sha256"], recording["sha256"]


def test_alice_sees_the_thumbnail_and_hears_the_recording_in_the_queue(client, alice, with_media):
    contribution, photo, recording = with_media
    client.force_login(alice)
    page = client.get("/curate/").content.decode()
    assert f'src="/curate/media/{photo}/thumbnail"' in page
    assert f'href="/curate/media/{photo}"' in page
    assert f'<audio controls preload="none" src="/curate/media/{recording}"' in page
    thumbnail = client.get(f"/curate/media/{photo}/thumbnail")
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert client.get(f"/curate/media/{recording}")["Content-Type"] == "audio/flac"
    assert client.get(f"/curate/media/{photo}")["Cache-Control"] == "private, no-store"


def test_strangers_cannot_fetch_media_before_approval(client, with_media):
    contribution, photo, recording = with_media
    assert client.get(f"/curate/media/{photo}").status_code == 302
    assert client.get(f"/media/items/{contribution.uuid}/{photo}").status_code == 404
    assert client.get(f"/media/blobs/{photo[:2]}/{photo}.jpg").status_code == 404


def test_the_public_list_links_to_media_of_approved_items_only(client, alice, with_media):
    contribution, photo, recording = with_media
    assert client.get(ITEMS_PATH).json()["items"] == []
    moderation.approve(contribution, alice)
    media = client.get(ITEMS_PATH).json()["items"][0]["media"]
    assert [(item["kind"], item["type"]) for item in media] == [("photo", "image/jpeg"), ("audio", "audio/flac")]
    assert media[0]["thumbnail_url"].endswith("/thumbnail") and media[1]["thumbnail_url"] is None
    assert media[1]["duration"] == 2.0
    response = client.get(media[0]["url"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_media_of_an_approved_archive_only_story_stay_private(client, alice, tapestry, hall):
    photo = hall.upload(client, jpeg(), "image/jpeg", "photo")
    contribution, _ = receive(hall.device, story(consent="archive", licence=None, media=[photo]))
    moderation.approve(contribution, alice)
    assert client.get(f"/media/items/{contribution.uuid}/{photo['sha256']}").status_code == 404
