"""With no network at all, staff copy every contribution not yet sent to a USB stick for `agora-hub import`."""

import hashlib
import json

import pytest

from kiosk.cli import main
from kiosk.contribution import Draft
from kiosk.device import Device, save_device
from kiosk.export import ExportError, export_undelivered
from kiosk.fsutil import TEMP_SUFFIX
from kiosk.store import Store

PHOTO = b"\xff\xd8\xff\xe0 the tapestry, seen by Alice " * 50
RECORDING = b"fLaC Bob humming the harvest song " * 80
HALL = Device(hub_url="https://hub.musee.example", device_id="5f0c6c1e-8d7e-4c55-9d0b-3a4f2b1c0d9e",
              token="t" * 43, name="Hall")


def story(text="La fête des moissons de 1962.", **changes) -> Draft:
    return Draft(exhibit="la-tapisserie", prompt="souvenir", text=text, **changes)


class FakeClock:
    def __call__(self) -> float:
        return 1_795_000_000.0


@pytest.fixture
def hall(tmp_path):
    store = Store(tmp_path / "hall", clock=FakeClock(), clock_synchronised=lambda: True)
    yield store
    store.close()


@pytest.fixture
def stick(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def test_the_export_holds_every_waiting_contribution_with_its_media_and_checksums(hall, stick):
    photo = hall.add_media(PHOTO, "image/jpeg", "photo")
    recording = hall.add_media(RECORDING, "audio/flac", "audio")
    with_media = hall.submit(story("Alice and Bob", media=[photo, recording]))
    text_only = hall.submit(story("Chloé"))
    sent = hall.submit(story("already on the hub"))
    hall.mark_delivered(sent.uuid, {"uuid": sent.uuid, "receipt": sent.receipt_code, "blobs": []})

    result = export_undelivered(hall, stick, HALL, clock=FakeClock())

    assert result.path == stick / f"agora-export-{HALL.device_id}-20261118T110640Z"
    manifest = json.loads((result.path / "manifest.json").read_text())
    assert manifest["format"] == "agora-export/1"
    assert manifest["device_id"] == HALL.device_id
    assert manifest["device_name"] == "Hall"
    assert manifest["exported_at"] == "2026-11-18T11:06:40.000Z"
    assert manifest["contributions"] == [with_media.payload(), text_only.payload()]
    assert sorted(manifest["blobs"], key=lambda blob: blob["type"]) == [
        {"sha256": recording.sha256, "size": len(RECORDING), "type": "audio/flac",
         "path": f"blobs/{recording.sha256}"},
        {"sha256": photo.sha256, "size": len(PHOTO), "type": "image/jpeg", "path": f"blobs/{photo.sha256}"},
    ]
    for blob in manifest["blobs"]:
        assert hashlib.sha256((result.path / blob["path"]).read_bytes()).hexdigest() == blob["sha256"]
    assert list(stick.iterdir()) == [result.path]


def test_exported_contributions_stay_waiting_for_the_network(hall, stick):
    contribution = hall.submit(story())

    export_undelivered(hall, stick, HALL)

    assert [c.uuid for c in hall.pending()] == [contribution.uuid]


def test_an_unpaired_kiosk_exports_under_the_name_unpaired(hall, stick):
    hall.submit(story())

    result = export_undelivered(hall, stick, None, clock=FakeClock())

    assert result.path.name == "agora-export-unpaired-20261118T110640Z"
    assert json.loads((result.path / "manifest.json").read_text())["device_id"] is None


def test_nothing_waiting_writes_nothing(hall, stick):
    result = export_undelivered(hall, stick, HALL)

    assert result.path is None
    assert list(stick.iterdir()) == []


def test_a_contribution_with_a_damaged_photo_is_left_out_and_named(hall, stick):
    photo = hall.add_media(PHOTO, "image/jpeg", "photo")
    damaged = hall.submit(story("Alice", media=[photo]))
    fine = hall.submit(story("Bob"))
    hall.media_path(photo.sha256).write_bytes(b"not the photo any more" + PHOTO[22:])

    result = export_undelivered(hall, stick, HALL)

    assert result.contributions == [fine.uuid]
    assert result.skipped == [(damaged.uuid, f"media {photo.sha256} is damaged on the kiosk")]
    assert list((result.path / "blobs").iterdir()) == []


def test_a_stick_too_small_is_refused_before_anything_is_written(hall, stick):
    hall.submit(story(media=[hall.add_media(PHOTO, "image/jpeg", "photo")]))

    with pytest.raises(ExportError, match="larger stick"):
        export_undelivered(hall, stick, HALL, free_space=lambda folder: 1000)

    assert list(stick.iterdir()) == []


def test_a_stick_that_fails_mid_export_leaves_no_half_export(hall, stick, monkeypatch):
    hall.submit(story(media=[hall.add_media(PHOTO, "image/jpeg", "photo")]))

    def pulled_out(source, target):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("os.rename", pulled_out)
    with pytest.raises(ExportError, match="nothing was exported"):
        export_undelivered(hall, stick, HALL)

    assert list(stick.iterdir()) == []
    assert not list(stick.rglob(f"*{TEMP_SUFFIX}"))


def test_a_missing_destination_says_to_plug_in_the_stick(hall, stick):
    with pytest.raises(ExportError, match="plug in the USB stick"):
        export_undelivered(hall, stick / "absent", HALL)


def test_the_export_command_writes_the_folder_and_says_where(tmp_path, stick, capsys):
    data = tmp_path / "kiosk"
    Store(data).submit(story())
    save_device(data, HALL)

    assert main(["export", "--to", str(stick), "--data", str(data)]) == 0

    out = capsys.readouterr().out
    [export] = stick.iterdir()
    assert f"Exported 1 contributions with 0 photos or recordings (0 B) to {export}" in out
    assert "agora-hub import" in out
    assert export.name.startswith(f"agora-export-{HALL.device_id}-")


def test_the_export_command_on_a_wrong_folder_explains(tmp_path, capsys):
    data = tmp_path / "kiosk"
    Store(data).submit(story())

    assert main(["export", "--to", str(tmp_path / "nowhere"), "--data", str(data)]) == 2

    assert "plug in the USB stick" in capsys.readouterr().err
