"""The hub reads what a file really is and refuses bad media clearly, keeping nothing of it."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from hub.blobs.models import Blob

from .conftest import flac, jpeg, png, sha256, wav

pytestmark = pytest.mark.django_db

GPS = 0x8825
ORIENTATION = 0x0112


def exif_with_gps(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "Kiosk camera maker"
    exif[GPS] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}
    return exif.tobytes()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: decoding it would eat the hub's memory."""
    data = bytearray(png((1, 1)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(data[ihdr : ihdr + 17])))
    return bytes(data)


def nothing_kept(tmp_path) -> bool:
    parts = list((tmp_path / "uploads").glob("*.part"))
    stored = default_storage.exists("blobs") and any(default_storage.listdir("blobs")[0])
    return not Blob.objects.exists() and not parts and not stored


def stored_image(sha: str) -> Image.Image:
    with default_storage.open(Blob.objects.get(pk=sha).file) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def test_gps_and_camera_details_are_gone_after_ingest(client, hall):
    photo = jpeg((64, 48), exif=exif_with_gps())
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS)
    assert hall.put_blob(client, photo, "image/jpeg").status_code == 201
    kept = stored_image(sha256(photo))
    assert not kept.getexif()
    assert "exif" not in kept.info
    assert kept.size == (64, 48)
    assert Blob.objects.get().sha256 == sha256(photo)  # the blob keeps the kiosk's identity


def test_a_sideways_photo_is_turned_upright_and_stripped(client, hall):
    photo = jpeg((64, 48), exif=exif_with_gps(orientation=6))
    assert hall.put_blob(client, photo, "image/jpeg").status_code == 201
    kept = stored_image(sha256(photo))
    assert kept.size == (48, 64)
    assert not kept.getexif().get_ifd(GPS)
    blob = Blob.objects.get()
    assert (blob.width, blob.height) == (48, 64)


def test_a_png_photo_is_accepted_and_measured(client, hall):
    image = png((30, 20))
    assert hall.put_blob(client, image, "image/png").status_code == 201
    blob = Blob.objects.get()
    assert (blob.content_type, blob.width, blob.height) == ("image/png", 30, 20)


def test_a_wav_recording_is_accepted(client, hall):
    assert hall.put_blob(client, wav(seconds=1.5), "audio/wav").status_code == 201
    assert Blob.objects.get().duration == 1.5


def test_a_truncated_jpeg_is_refused(client, hall, tmp_path):
    photo = jpeg((400, 300), noise=True)
    cut = photo[: len(photo) * 2 // 3]
    response = hall.put_blob(client, cut, "image/jpeg")
    assert response.status_code == 422
    assert "damaged or cut short" in response.json()["detail"]
    assert nothing_kept(tmp_path)


def test_a_png_decompression_bomb_is_refused_before_decoding(client, hall, tmp_path):
    bomb = png_claiming(30000, 30000)
    response = hall.put_blob(client, bomb, "image/png")
    assert response.status_code == 422
    assert "megapixels" in response.json()["detail"]
    assert nothing_kept(tmp_path)


def test_a_real_png_bomb_that_compresses_to_little_is_refused(client, hall, tmp_path):
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")
    assert len(out.getvalue()) < 200_000
    response = hall.put_blob(client, out.getvalue(), "image/png")
    assert response.status_code == 422
    assert "9000×9000 pixels" in response.json()["detail"]
    assert nothing_kept(tmp_path)


@pytest.mark.parametrize(
    ("data", "declared", "status", "words"),
    [
        (png(), "image/jpeg", 422, "a PNG image but were sent as image/jpeg"),
        (flac(), "image/jpeg", 422, "FLAC audio but were sent as image/jpeg"),
        (jpeg(), "audio/flac", 422, "a JPEG photo but were sent as audio/flac"),
        (b"<html><script>alert(1)</script></html>", "image/jpeg", 415, "not a JPEG, PNG or WebP photo"),
        (b"MZ\x90\x00 an executable", "audio/mpeg", 415, "not a FLAC, WAV, Ogg or MP3 recording"),
    ],
)
def test_a_file_whose_type_lies_is_refused_naming_what_it_is(client, hall, tmp_path, data, declared, status, words):
    response = hall.put_blob(client, data, declared)
    assert response.status_code == status
    assert words in response.json()["detail"]
    assert nothing_kept(tmp_path)


def test_zero_bytes_are_refused(client, hall, tmp_path):
    response = hall.put_blob(client, b"", "image/jpeg", CONTENT_TYPE="image/jpeg", CONTENT_LENGTH="0")
    assert response.status_code == 422
    assert "empty" in response.json()["detail"]
    assert nothing_kept(tmp_path)


def test_an_oversize_photo_is_refused_before_it_is_stored(client, hall, settings, tmp_path):
    settings.AGORA_HUB_MAX_PHOTO_MB = 1
    big = jpeg((1200, 1000), quality=100, noise=True)
    assert len(big) > 1024 * 1024
    response = hall.put_blob(client, big, "image/jpeg")
    assert response.status_code == 413
    assert "1 MB" in response.json()["detail"]
    assert nothing_kept(tmp_path)


def test_an_oversize_total_is_refused_on_the_first_chunk(client, hall, settings, tmp_path):
    settings.AGORA_HUB_MAX_AUDIO_MB = 2
    response = hall.put_blob(client, b"fLaC" + b"\x00" * 1000, "audio/flac", sha="a" * 64, start=0, total=3 * 2**20)
    assert response.status_code == 413
    assert nothing_kept(tmp_path)


def test_a_recording_that_is_too_long_is_refused(client, hall, settings, tmp_path):
    settings.AGORA_HUB_MAX_AUDIO_SECONDS = 60
    response = hall.put_blob(client, flac(seconds=61, rate=8000), "audio/flac")
    assert response.status_code == 422
    assert "lasts 61 s" in response.json()["detail"] and "60 s" in response.json()["detail"]
    assert nothing_kept(tmp_path)


@pytest.mark.parametrize(("make", "declared"), [(lambda: flac(seconds=3), "audio/flac"), (lambda: wav(3), "audio/wav")])
def test_a_truncated_recording_is_refused(client, hall, tmp_path, make, declared):
    recording = make()
    response = hall.put_blob(client, recording[: len(recording) // 2], declared)
    assert response.status_code == 422
    assert "damaged or cut short" in response.json()["detail"]
    assert nothing_kept(tmp_path)
