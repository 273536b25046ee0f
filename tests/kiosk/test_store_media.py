"""Photos and recordings are kept whole under their sha256 before any contribution points to them."""

import errno
import hashlib

import pytest

from kiosk.contribution import Draft, InvalidContribution, MediaRef
from kiosk.store import Store, StoreError, StoreFull

MB = 1024 * 1024
TAPESTRY_PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"


class Disk:
    """The data disk's free space, set by hand (the hardware edge)."""

    def __init__(self, free: int = 10_000 * MB):
        self.free = free

    def __call__(self, folder) -> int:
        return self.free


def story(text="Le motif du coin gauche, c'est ma grand-mère.", **changes) -> Draft:
    return Draft(exhibit="la-tapisserie", prompt="souvenir", text=text, **changes)


@pytest.fixture
def disk():
    return Disk()


@pytest.fixture
def hall(tmp_path, disk):
    store = Store(tmp_path / "hall", clock_synchronised=lambda: True, free_space=disk, disk_reserve_mb=200)
    yield store
    store.close()


def test_a_photo_is_kept_under_its_sha256(hall):
    photo = hall.add_media(TAPESTRY_PHOTO, "image/jpeg", "photo")

    assert photo == MediaRef(sha256=hashlib.sha256(TAPESTRY_PHOTO).hexdigest(), size=len(TAPESTRY_PHOTO),
                             type="image/jpeg", kind="photo")
    assert hall.media_path(photo.sha256).read_bytes() == TAPESTRY_PHOTO
    with hall.open_media(photo.sha256) as stream:
        assert stream.read() == TAPESTRY_PHOTO


def test_a_recording_can_come_from_a_capture_file(hall, tmp_path):
    capture = tmp_path / "capture.flac"
    capture.write_bytes(b"fLaC" + b"\x00" * 5000)

    recording = hall.add_media(capture, "audio/flac", "audio")

    assert recording.size == 5004
    assert hall.media_path(recording.sha256).read_bytes() == capture.read_bytes()


def test_adding_the_same_photo_twice_keeps_one_file(hall):
    first = hall.add_media(TAPESTRY_PHOTO, "image/jpeg", "photo")
    second = hall.add_media(TAPESTRY_PHOTO, "image/jpeg", "photo")

    assert first == second
    assert [path.name for path in hall.media_dir.iterdir()] == [first.sha256]


def test_a_media_of_an_unknown_type_is_refused_before_anything_is_written(hall):
    with pytest.raises(ValueError, match="image/gif"):
        hall.add_media(b"GIF89a", "image/gif", "photo")
    with pytest.raises(ValueError, match="video"):
        hall.add_media(b"...", "video/mp4", "video")

    assert list(hall.media_dir.iterdir()) == []


def test_a_contribution_with_a_photo_and_no_text_can_be_submitted(hall):
    photo = hall.add_media(TAPESTRY_PHOTO, "image/jpeg", "photo")

    contribution = hall.submit(story(text="", media=[photo]))

    assert contribution.media == (photo,)
    assert Store(hall.folder).get(contribution.uuid).media == (photo,)
    assert contribution.payload()["media"] == [photo.to_wire()]
    assert contribution.payload()["text"] == ""


def test_a_contribution_whose_photo_was_never_kept_is_refused(hall):
    invented = MediaRef(sha256="ab" * 32, size=10, type="image/jpeg", kind="photo")

    with pytest.raises(InvalidContribution) as raised:
        hall.submit(story(media=[invented]))

    assert [p.code for p in raised.value.problems] == ["missing"]
    assert hall.counts()["pending"] == 0


def test_a_delivered_mark_needs_the_hub_to_hold_every_photo(hall):
    photo = hall.add_media(TAPESTRY_PHOTO, "image/jpeg", "photo")
    contribution = hall.submit(story(media=[photo]))

    with pytest.raises(StoreError, match="does not list media"):
        hall.mark_delivered(contribution.uuid, {"uuid": contribution.uuid, "blobs": []})

    assert hall.get(contribution.uuid).state == "pending"
    hall.mark_delivered(contribution.uuid, {"uuid": contribution.uuid, "blobs": [photo.sha256]})
    assert hall.get(contribution.uuid).state == "delivered"


def test_a_nearly_full_disk_pauses_photos_but_not_text(hall, disk):
    disk.free = 150 * MB

    assert not hall.has_room_for_capture()
    with pytest.raises(StoreFull) as raised:
        hall.add_media(TAPESTRY_PHOTO, "image/jpeg", "photo")
    assert raised.value.errno == errno.ENOSPC
    assert isinstance(raised.value, OSError)
    assert list(hall.media_dir.iterdir()) == []

    assert hall.submit(story()).state == "pending"


def test_there_is_room_for_a_photo_at_or_above_the_reserve(hall, disk):
    disk.free = 200 * MB

    assert hall.has_room_for_capture()


def test_a_media_name_that_is_not_a_sha256_is_refused(hall):
    with pytest.raises(ValueError, match="sha256"):
        hall.media_path("../store.json")
