"""At start the store tidies up after any crash, and sets aside (never drops) a contribution it cannot vouch for."""

import pytest

from kiosk.contribution import Draft
from kiosk.fsutil import TEMP_SUFFIX
from kiosk.store import Store

HARVEST_PHOTO = b"\xff\xd8\xff\xe0 the harvest of 1962 " * 100


def story(text="Mon grand-père est sur la photo.", **changes) -> Draft:
    return Draft(exhibit="la-tapisserie", prompt="souvenir", text=text, author_name="Bob", **changes)


@pytest.fixture
def hall_with_photo(tmp_path):
    store = Store(tmp_path)
    photo = store.add_media(HARVEST_PHOTO, "image/jpeg", "photo")
    contribution = store.submit(story(media=[photo]))
    return store, photo, contribution


def test_a_contribution_whose_photo_is_missing_is_quarantined_with_the_reason(tmp_path, hall_with_photo):
    store, photo, contribution = hall_with_photo
    store.media_path(photo.sha256).unlink()

    reopened = Store(tmp_path)

    assert reopened.pending() == []
    assert reopened.recovery.quarantined == [(contribution.uuid, f"media {photo.sha256} is missing")]
    quarantined = reopened.get(contribution.uuid)
    assert quarantined.state == "quarantined"
    assert quarantined.text == "Mon grand-père est sur la photo."
    assert "missing" in quarantined.failure
    assert reopened.counts()["quarantined"] == 1
    [entry] = reopened.quarantined()
    assert entry["record"]["author_name"] == "Bob"


def test_a_contribution_whose_photo_fails_its_checksum_is_quarantined_and_the_bad_file_kept_aside(
    tmp_path, hall_with_photo
):
    store, photo, contribution = hall_with_photo
    damaged = bytearray(HARVEST_PHOTO)
    damaged[100] ^= 0xFF
    store.media_path(photo.sha256).write_bytes(bytes(damaged))

    reopened = Store(tmp_path)

    assert "damaged" in reopened.get(contribution.uuid).failure
    assert not reopened.media_path(photo.sha256).exists()
    assert (reopened.quarantine_dir / f"{photo.sha256}.damaged").read_bytes() == bytes(damaged)
    # The visitor's real photo, added again, is kept whole rather than mistaken for the damaged copy.
    assert reopened.add_media(HARVEST_PHOTO, "image/jpeg", "photo") == photo
    assert reopened.media_path(photo.sha256).read_bytes() == HARVEST_PHOTO


def test_a_photo_cut_short_is_quarantined(tmp_path, hall_with_photo):
    store, photo, contribution = hall_with_photo
    store.media_path(photo.sha256).write_bytes(HARVEST_PHOTO[:50])

    reopened = Store(tmp_path)

    assert "50 bytes" in reopened.get(contribution.uuid).failure


def test_intact_contributions_are_left_alone(tmp_path, hall_with_photo):
    _, photo, contribution = hall_with_photo

    reopened = Store(tmp_path)

    assert reopened.recovery.quarantined == []
    assert reopened.pending()[0].media == (photo,)


def test_temp_files_left_in_every_folder_are_removed_at_start(tmp_path, hall_with_photo):
    store, _, _ = hall_with_photo
    leftovers = [store.media_dir / f".incoming.x1{TEMP_SUFFIX}", store.archive_dir / f".a.json.x2{TEMP_SUFFIX}",
                 tmp_path / f".store.json.x3{TEMP_SUFFIX}"]
    for leftover in leftovers:
        leftover.write_bytes(b"half a photo")

    reopened = Store(tmp_path)

    assert reopened.recovery.temp_files_removed == 3
    assert not any(leftover.exists() for leftover in leftovers)


def test_looking_at_the_store_without_recovery_changes_nothing(tmp_path, hall_with_photo):
    store, photo, contribution = hall_with_photo
    store.media_path(photo.sha256).unlink()

    looked = Store(tmp_path, recover=False)

    assert looked.recovery is None
    assert looked.pending()[0].uuid == contribution.uuid
