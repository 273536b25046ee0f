"""Uploading a photo or recording as a blob: resumable by offset, checked by hash, harmless to repeat."""

import socket

import pytest
import requests

from hub.blobs.models import Blob

from .conftest import flac, jpeg, sha256

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo() -> bytes:
    return jpeg((320, 240), noise=True)


def test_the_hub_holds_nothing_of_a_blob_it_never_saw(client, hall, photo):
    response = hall.head_blob(client, sha256(photo))
    assert response.status_code == 404
    assert response["Upload-Offset"] == "0"
    assert response["Cache-Control"] == "no-store"


def test_a_whole_photo_is_received_in_one_put(client, hall, photo):
    response = hall.put_blob(client, photo, "image/jpeg")
    assert response.status_code == 201
    assert response.json() == {"sha256": sha256(photo), "offset": len(photo), "complete": True}
    assert response["Upload-Offset"] == str(len(photo))
    assert response["Upload-Complete"] == "?1"
    head = hall.head_blob(client, sha256(photo))
    assert (head.status_code, head["Upload-Offset"], head["Upload-Complete"]) == (200, str(len(photo)), "?1")
    assert head["Cache-Control"] == "no-store"


def test_repeating_the_put_of_a_complete_blob_is_harmless(client, hall, photo):
    hall.put_blob(client, photo, "image/jpeg")
    stored = Blob.objects.get()
    again = hall.put_blob(client, photo, "image/jpeg")
    assert again.status_code == 200
    assert again["Upload-Complete"] == "?1"
    assert Blob.objects.get().completed_at == stored.completed_at


def test_a_complete_blob_cannot_be_overwritten_with_other_bytes(client, hall, photo):
    hall.put_blob(client, photo, "image/jpeg")
    other = jpeg((10, 10))
    response = hall.put_blob(client, other, "image/jpeg", sha=sha256(photo))
    assert response.status_code == 200
    assert Blob.objects.get().size == len(photo)


def test_a_chunk_that_is_not_the_last_is_accepted_with_the_new_offset(client, hall, photo):
    response = hall.put_blob(client, photo[:1000], "image/jpeg", sha=sha256(photo), start=0, total=len(photo))
    assert response.status_code == 202
    assert response["Upload-Offset"] == "1000"
    assert response["Upload-Complete"] == "?0"
    head = hall.head_blob(client, sha256(photo))
    assert (head.status_code, head["Upload-Offset"], head["Upload-Complete"]) == (200, "1000", "?0")


def test_a_chunk_at_the_wrong_offset_is_refused_with_the_offset_to_resume_from(client, hall, photo):
    hall.put_blob(client, photo[:1000], "image/jpeg", sha=sha256(photo), start=0, total=len(photo))
    response = hall.put_blob(client, photo[2000:3000], "image/jpeg", sha=sha256(photo), start=2000, total=len(photo))
    assert response.status_code == 409
    assert response.json()["offset"] == 1000
    assert response["Upload-Offset"] == "1000"
    assert "offset 1000" in response.json()["detail"]


def test_a_repeated_chunk_is_refused_without_changing_anything(client, hall, photo):
    first = photo[:1000]
    hall.put_blob(client, first, "image/jpeg", sha=sha256(photo), start=0, total=len(photo))
    response = hall.put_blob(client, first, "image/jpeg", sha=sha256(photo), start=0, total=len(photo))
    assert response.status_code == 409
    assert hall.head_blob(client, sha256(photo))["Upload-Offset"] == "1000"


@pytest.mark.parametrize("tenth", range(1, 10))
def test_an_upload_cut_at_each_tenth_resumes_where_it_stopped(client, hall, photo, tenth):
    """The kiosk's Wi-Fi drops after `tenth` tenths; it asks how far the hub got and sends the rest."""
    cut = len(photo) * tenth // 10
    assert hall.put_blob(client, photo[:cut], "image/jpeg", sha=sha256(photo), start=0,
                         total=len(photo)).status_code == 202
    offset = int(hall.head_blob(client, sha256(photo))["Upload-Offset"])
    assert offset == cut
    rest = hall.put_blob(client, photo[offset:], "image/jpeg", sha=sha256(photo), start=offset, total=len(photo))
    assert rest.status_code == 201
    assert Blob.objects.get(pk=sha256(photo)).complete


@pytest.mark.django_db(transaction=True)
def test_a_body_cut_mid_request_keeps_what_arrived(live_server, hall, photo):
    """The connection dies while the body streams: the bytes that did arrive count, so the kiosk resumes there."""
    sent = len(photo) // 3
    host, port = live_server.thread.host, live_server.thread.port
    head = (
        f"PUT /api/v1/kiosk/blobs/sha256/{sha256(photo)} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {hall.token}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(photo)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(head + photo[:sent])
        connection.shutdown(socket.SHUT_WR)
        connection.recv(65536)
    answer = requests.head(f"{live_server.url}/api/v1/kiosk/blobs/sha256/{sha256(photo)}",
                           headers={"Authorization": f"Bearer {hall.token}"}, timeout=10)
    assert answer.headers["Upload-Offset"] == str(sent)
    rest = requests.put(f"{live_server.url}/api/v1/kiosk/blobs/sha256/{sha256(photo)}", data=photo[sent:], timeout=10,
                        headers={"Authorization": f"Bearer {hall.token}", "Content-Type": "image/jpeg",
                                 "Content-Range": f"bytes {sent}-{len(photo) - 1}/{len(photo)}"})
    assert rest.status_code == 201


def test_bytes_that_do_not_match_the_hash_are_refused_and_discarded(client, hall, photo):
    wrong = "0" * 64
    response = hall.put_blob(client, photo, "image/jpeg", sha=wrong)
    assert response.status_code == 422
    assert "hash" in response.json()["detail"] and "offset 0" in response.json()["detail"]
    assert hall.head_blob(client, wrong).status_code == 404
    assert not Blob.objects.exists()


def test_a_resumed_upload_whose_first_part_was_corrupted_is_refused(client, hall, photo):
    damaged = b"\x00" * 100 + photo[100:1000]
    hall.put_blob(client, damaged, "image/jpeg", sha=sha256(photo), start=0, total=len(photo))
    response = hall.put_blob(client, photo[1000:], "image/jpeg", sha=sha256(photo), start=1000, total=len(photo))
    assert response.status_code == 422
    assert hall.head_blob(client, sha256(photo)).status_code == 404


def test_a_recording_is_received_too(client, hall):
    recording = flac(seconds=2)
    response = hall.put_blob(client, recording, "audio/flac")
    assert response.status_code == 201
    blob = Blob.objects.get()
    assert (blob.kind, blob.content_type, blob.duration) == ("audio", "audio/flac", 2.0)


@pytest.mark.parametrize(
    ("header", "words"),
    [("bytes 0-9", "START-END/TOTAL"), ("bytes 5-2/100", "does not fit"), ("bytes 0-99/50", "does not fit")],
)
def test_a_malformed_content_range_is_explained(client, hall, photo, header, words):
    response = client.put(f"/api/v1/kiosk/blobs/sha256/{sha256(photo)}", photo[:10], content_type="image/jpeg",
                          HTTP_CONTENT_RANGE=header, **hall.auth)
    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_a_body_that_is_not_a_media_type_is_refused(client, hall, photo):
    response = hall.put_blob(client, photo, "application/octet-stream")
    assert response.status_code == 415
    assert "image/jpeg" in response.json()["detail"]


def test_an_address_that_is_not_a_sha256_is_refused(client, hall, photo):
    response = hall.put_blob(client, photo, "image/jpeg", sha="ABC")
    assert response.status_code == 422


def test_blobs_need_a_device_token(client, db, photo):
    response = client.put(f"/api/v1/kiosk/blobs/sha256/{sha256(photo)}", photo, content_type="image/jpeg")
    assert response.status_code == 401
    assert client.head(f"/api/v1/kiosk/blobs/sha256/{sha256(photo)}").status_code == 401
    assert not Blob.objects.exists()
