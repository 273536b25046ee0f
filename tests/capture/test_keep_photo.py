"""Keeping a photo: upright, no EXIF, GPS, maker note or comment left, sized for publication, with previews."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kiosk.capture.photo import PhotoError, keep_photo, process_photo
from tests.capture.pictures import RED, photo_bytes


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _is_red(pixel) -> bool:
    return abs(pixel[0] - RED[0]) < 40 and abs(pixel[1] - RED[1]) < 40 and abs(pixel[2] - RED[2]) < 40


def test_a_sideways_phone_photo_with_gps_is_kept_upright_and_without_any_metadata(store, capture_folder):
    original = photo_bytes(size=(640, 480), orientation=6, gps=True)

    kept = keep_photo(process_photo(original), store, capture_folder)

    stored = store.media_path(kept.media.sha256).read_bytes()
    image = _open(stored)
    assert image.format == "JPEG"
    assert image.size == (480, 640), "orientation 6 turns a 640x480 sensor image into a portrait photo"
    assert _is_red(image.getpixel((image.width - 10, 10))), "the red corner moved to the top right: upright"
    assert not _is_red(image.getpixel((10, 10)))
    assert len(image.getexif()) == 0
    assert "exif" not in image.info and "comment" not in image.info
    for secret in (b"Exif", b"AGORA-MAKER-NOTE", b"Alice", b"Family Phone", b"grandmother"):
        assert secret not in stored
    assert kept.media.to_wire() == {"sha256": kept.media.sha256, "size": len(stored), "type": "image/jpeg",
                                    "kind": "photo"}


@pytest.mark.parametrize("orientation, corner", [(1, "top-left"), (3, "bottom-right"), (6, "top-right"),
                                                 (8, "bottom-left")])
def test_every_camera_orientation_ends_upright(orientation, corner):
    photo = process_photo(photo_bytes(size=(320, 240), orientation=orientation))

    image = _open(photo.jpeg)
    width, height = image.size
    positions = {"top-left": (8, 8), "top-right": (width - 8, 8), "bottom-left": (8, height - 8),
                 "bottom-right": (width - 8, height - 8)}
    assert _is_red(image.getpixel(positions[corner]))


def test_a_twelve_megapixel_photo_is_kept_at_publication_size_with_a_preview_and_a_thumbnail():
    photo = process_photo(photo_bytes(size=(4056, 3040), orientation=6, quality=85))

    assert photo.size == (1520, 2028), "decoded at half scale by the JPEG decoder, then turned upright"
    assert max(_open(photo.preview).size) <= 1024 and _open(photo.preview).size == photo.preview_size
    assert max(_open(photo.thumbnail).size) == 320
    for data in (photo.jpeg, photo.preview, photo.thumbnail):
        assert b"Exif" not in data and b"AGORA-MAKER-NOTE" not in data


def test_previews_live_in_the_capture_folder_and_go_on_start_over(store, capture_folder):
    kept = keep_photo(process_photo(photo_bytes()), store, capture_folder)
    assert kept.preview_path.parent == capture_folder.path and kept.preview_path.is_file()

    capture_folder.clear()

    assert list(capture_folder.path.iterdir()) == []
    assert store.media_path(kept.media.sha256).is_file(), "the kept photo itself is in the store"


def test_a_damaged_photo_is_refused_with_a_message_for_the_visitor():
    with pytest.raises(PhotoError) as refused:
        process_photo(photo_bytes()[:200])
    assert refused.value.problem.code == "unreadable"
    assert "Reprenez" in refused.value.problem.message_fr


def test_a_photo_is_refused_when_the_kiosk_disk_is_nearly_full(tmp_path):
    from kiosk.capture.files import CaptureFolder
    from kiosk.store import Store

    full = Store(tmp_path / "hall", free_space=lambda folder: 10 * 1024 * 1024)

    outcome = keep_photo(process_photo(photo_bytes()), full, CaptureFolder(full.folder))

    assert outcome.code == "no_room"
    assert list((tmp_path / "hall" / "media").iterdir()) == []
