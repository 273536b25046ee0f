"""Delivered contributions leave the live table for the archive, so a commit costs the same after years."""

import json
import os
import time

import pytest

from kiosk.contribution import Draft
from kiosk.store import Store

DAY = 86400


def story(text="La fête des moissons de 1962.", **changes) -> Draft:
    return Draft(exhibit="la-tapisserie", prompt="souvenir", text=text, **changes)


def receipt_for(contribution) -> dict:
    return {"uuid": contribution.uuid, "receipt": contribution.receipt_code, "received_at": "2026-11-27T10:00:00Z",
            "blobs": [item.sha256 for item in contribution.media]}


def live_uuids(store) -> list[str]:
    return [record["uuid"] for record in json.loads(store.path.read_text())["contributions"].values()]


def age(path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


@pytest.fixture
def hall(tmp_path):
    store = Store(tmp_path / "hall", clock_synchronised=lambda: True)
    yield store
    store.close()


def test_a_delivered_contribution_moves_to_its_own_archive_file(hall):
    contribution = hall.submit(story())

    hall.mark_delivered(contribution.uuid, receipt_for(contribution))

    assert live_uuids(hall) == []
    archived = json.loads((hall.archive_dir / f"{contribution.uuid}.json").read_text())
    assert archived["state"] == "delivered"
    assert archived["receipt"] == receipt_for(contribution)
    assert hall.get(contribution.uuid).receipt == receipt_for(contribution)


def test_a_resent_submit_of_an_archived_contribution_stores_nothing_new(hall):
    draft = story()
    contribution = hall.submit(draft)
    hall.mark_delivered(contribution.uuid, receipt_for(contribution))

    again = hall.submit(draft)

    assert again.state == "delivered"
    assert live_uuids(hall) == []


def test_marking_an_archived_contribution_delivered_again_changes_nothing(hall):
    contribution = hall.submit(story())
    hall.mark_delivered(contribution.uuid, receipt_for(contribution))

    hall.mark_delivered(contribution.uuid, receipt_for(contribution))

    assert hall.counts()["delivered"] == 1


def test_a_stop_between_archiving_and_leaving_the_queue_is_resolved_as_delivered(tmp_path):
    store = Store(tmp_path)
    contribution = store.submit(story())
    before = store.path.read_bytes()
    store.mark_delivered(contribution.uuid, receipt_for(contribution))
    # The power went out after the archive file was written, before the live table was.
    store.path.write_bytes(before)

    reopened = Store(tmp_path)

    assert reopened.recovery.resolved_as_delivered == [contribution.uuid]
    assert reopened.pending() == []
    assert reopened.get(contribution.uuid).state == "delivered"
    assert reopened.counts()["delivered"] == 1
    assert live_uuids(reopened) == []


def test_archived_contributions_and_their_photos_are_pruned_after_the_retention(tmp_path):
    store = Store(tmp_path, archive_days=30)
    old_photo = store.add_media(b"\xff\xd8 old harvest photo", "image/jpeg", "photo")
    old = store.submit(story("Bob, last year", media=[old_photo]))
    store.mark_delivered(old.uuid, receipt_for(old))
    recent = store.submit(story("Chloé, yesterday"))
    store.mark_delivered(recent.uuid, receipt_for(recent))
    age(store.archive_dir / f"{old.uuid}.json", 31)
    age(store.media_path(old_photo.sha256), 31)

    reopened = Store(tmp_path, archive_days=30)

    assert reopened.recovery.archive_pruned == 1
    assert reopened.get(old.uuid) is None
    assert not reopened.media_path(old_photo.sha256).exists()
    assert reopened.get(recent.uuid).state == "delivered"
    assert reopened.counts()["archived"] == 1
    assert reopened.counts()["delivered"] == 2


def test_a_waiting_contributions_photo_is_never_pruned_however_old(tmp_path):
    store = Store(tmp_path, archive_days=0)
    photo = store.add_media(b"\xff\xd8 a photo waiting for the network", "image/jpeg", "photo")
    waiting = store.submit(story(media=[photo]))
    age(store.media_path(photo.sha256), 400)

    reopened = Store(tmp_path, archive_days=0)

    assert reopened.get(waiting.uuid).state == "pending"
    assert reopened.media_path(photo.sha256).exists()


def test_a_photo_nobody_kept_is_removed_only_after_the_grace_period(tmp_path):
    store = Store(tmp_path, orphan_grace=3600)
    abandoned = store.add_media(b"\xff\xd8 the visitor walked away", "image/jpeg", "photo")
    in_progress = store.add_media(b"\xff\xd8 the visitor is still writing", "image/jpeg", "photo")
    age(store.media_path(abandoned.sha256), 2 / 24)

    reopened = Store(tmp_path, orphan_grace=3600)

    assert reopened.recovery.orphans_removed == 1
    assert not reopened.media_path(abandoned.sha256).exists()
    assert reopened.media_path(in_progress.sha256).exists()


def test_the_live_table_holds_only_what_is_not_yet_delivered(tmp_path):
    store = Store(tmp_path)
    delivered = []
    for number in range(50):
        contribution = store.submit(story(f"visitor {number}"))
        store.mark_delivered(contribution.uuid, receipt_for(contribution))
        delivered.append(contribution.uuid)
    waiting = store.submit(story("still waiting"))

    assert live_uuids(store) == [waiting.uuid]
    assert store.counts() == {"pending": 1, "delivered": 50, "failed": 0, "quarantined": 0, "archived": 50}
    assert store.get(delivered[0]).text == "visitor 0"
