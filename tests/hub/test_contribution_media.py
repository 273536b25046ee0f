"""A contribution with a photo and a recording: accepted only once every blob is complete on the hub."""

import pytest

from hub.contributions.models import Contribution
from hub.devices.models import Device

from .conftest import Kiosk, flac, jpeg, sha256, story

pytestmark = pytest.mark.django_db


def test_a_contribution_waits_for_its_missing_blobs(client, tapestry, hall):
    photo, recording = jpeg(), flac()
    photo_ref = hall.upload(client, photo, "image/jpeg", "photo")
    audio_ref = {"sha256": sha256(recording), "size": len(recording), "type": "audio/flac", "kind": "audio"}
    payload = story(media=[photo_ref, audio_ref])
    response = hall.put(client, payload)
    assert response.status_code == 422
    assert response.json()["missing"] == [sha256(recording)]
    assert "upload them" in response.json()["detail"]
    assert not Contribution.objects.exists()


def test_a_half_uploaded_blob_still_counts_as_missing(client, tapestry, hall):
    photo = jpeg((200, 150), noise=True)
    hall.put_blob(client, photo[:500], "image/jpeg", sha=sha256(photo), start=0, total=len(photo))
    ref = {"sha256": sha256(photo), "size": len(photo), "type": "image/jpeg", "kind": "photo"}
    response = hall.put(client, story(media=[ref]))
    assert response.status_code == 422
    assert response.json()["missing"] == [sha256(photo)]


def test_once_its_blobs_are_in_the_contribution_is_queued_with_a_receipt_naming_them(client, tapestry, hall):
    photo_ref = hall.upload(client, jpeg(), "image/jpeg", "photo")
    audio_ref = hall.upload(client, flac(), "audio/flac", "audio")
    payload = story(media=[photo_ref, audio_ref])
    response = hall.put(client, payload)
    assert response.status_code == 201
    assert response.json()["blobs"] == [photo_ref["sha256"], audio_ref["sha256"]]
    contribution = Contribution.objects.pending().get()
    assert [media.kind for media in contribution.media.all()] == ["photo", "audio"]
    again = hall.put(client, payload)
    assert (again.status_code, again.json()) == (200, response.json())


def test_a_story_told_only_with_a_photo_needs_no_text(client, tapestry, hall):
    photo_ref = hall.upload(client, jpeg(), "image/jpeg", "photo")
    response = hall.put(client, story(text="", media=[photo_ref]))
    assert response.status_code == 201
    assert Contribution.objects.get().text == ""


def test_a_resend_listing_other_media_is_a_conflict(client, tapestry, hall):
    photo_ref = hall.upload(client, jpeg(), "image/jpeg", "photo")
    payload = story(media=[photo_ref])
    hall.put(client, payload)
    assert hall.put(client, {**payload, "media": []}).status_code == 409


def test_a_descriptor_that_does_not_match_the_blob_is_refused(client, tapestry, hall):
    photo_ref = hall.upload(client, jpeg(), "image/jpeg", "photo")
    response = hall.put(client, story(media=[{**photo_ref, "size": photo_ref["size"] + 1}]))
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"][-1] == "media"
    assert "describe it as uploaded" in problem["msg"]


def test_the_same_blob_listed_twice_is_refused(client, tapestry, hall):
    photo_ref = hall.upload(client, jpeg(), "image/jpeg", "photo")
    response = hall.put(client, story(media=[photo_ref, photo_ref]))
    assert response.status_code == 422
    assert "more than once" in response.json()["detail"][0]["msg"]


def test_at_most_four_media_per_contribution(client, tapestry, hall):
    refs = [hall.upload(client, jpeg((8 + n, 8)), "image/jpeg", "photo") for n in range(5)]
    response = hall.put(client, story(media=refs))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "media"


def test_two_kiosks_may_share_a_blob(client, tapestry, hall):
    entrance = Kiosk(*Device.register("Entrance", authorised=True))
    photo = jpeg()
    ref = hall.upload(client, photo, "image/jpeg", "photo")
    assert entrance.put_blob(client, photo, "image/jpeg").status_code == 200
    assert entrance.put(client, story(media=[ref])).status_code == 201
