"""Kiosks sending at the same moment over real HTTP: no duplicate, no lost chunk, one row per contribution."""

from __future__ import annotations

import threading

import pytest
import requests
from django.db import connections

from hub.blobs.models import Blob
from hub.contributions.models import Contribution
from hub.devices.models import Device
from sync.protocol import contribution_path

from .conftest import Kiosk, flac, jpeg, sha256, story

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def together(*calls):
    """Runs the calls in threads released at the same instant; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def put_json(url: str, kiosk: Kiosk, payload: dict) -> requests.Response:
    return requests.put(url + contribution_path(payload["uuid"]), json=payload, timeout=30,
                        headers={"Authorization": f"Bearer {kiosk.token}"})


def put_blob(url: str, kiosk: Kiosk, data: bytes, content_type: str) -> requests.Response:
    return requests.put(f"{url}/api/v1/kiosk/blobs/sha256/{sha256(data)}", data=data, timeout=30,
                        headers={"Authorization": f"Bearer {kiosk.token}", "Content-Type": content_type})


@pytest.fixture
def entrance(db) -> Kiosk:
    return Kiosk(*Device.register("Entrance", authorised=True))


def test_the_same_contribution_sent_twice_at_once_is_stored_once(live_server, tapestry, hall):
    payload = story()
    first, second = together(*[lambda: put_json(live_server.url, hall, payload)] * 2)
    assert sorted([first.status_code, second.status_code]) == [200, 201]
    assert first.json() == second.json()
    assert Contribution.objects.count() == 1


def test_the_same_blob_sent_twice_at_once_is_stored_once(live_server, hall):
    photo = jpeg((300, 200), noise=True)
    answers = together(*[lambda: put_blob(live_server.url, hall, photo, "image/jpeg")] * 2)
    codes = sorted(answer.status_code for answer in answers)
    # One stores it; the other either finds it complete (200) or finds the first one mid-way (409 with offset).
    assert codes[1] == 201 and codes[0] in (200, 409)
    assert Blob.objects.get().complete


def test_two_kiosks_deliver_stories_with_media_at_once(live_server, tapestry, hall, entrance):
    def deliver(kiosk: Kiosk, photo: bytes, recording: bytes):
        assert put_blob(live_server.url, kiosk, photo, "image/jpeg").status_code == 201
        assert put_blob(live_server.url, kiosk, recording, "audio/flac").status_code == 201
        payloads = [story(author_name=kiosk.device.name, media=[
            {"sha256": sha256(photo), "size": len(photo), "type": "image/jpeg", "kind": "photo"},
            {"sha256": sha256(recording), "size": len(recording), "type": "audio/flac", "kind": "audio"},
        ]) for _ in range(3)]
        return [put_json(live_server.url, kiosk, payload).status_code for payload in payloads]

    hall_codes, entrance_codes = together(
        lambda: deliver(hall, jpeg((120, 90), noise=True), flac(1.0)),
        lambda: deliver(entrance, jpeg((90, 120), noise=True), flac(1.5)),
    )
    assert hall_codes == entrance_codes == [201, 201, 201]
    assert Contribution.objects.filter(device=hall.device).count() == 3
    assert Contribution.objects.filter(device=entrance.device).count() == 3
    assert Blob.objects.filter(complete=True).count() == 4
