"""`agora-hub import DIR` takes in a kiosk's USB export through the API's checks; a later sync changes nothing."""

import json
from pathlib import Path

import pytest

from hub.cli import main
from hub.contributions.models import Contribution
from hub.devices.models import Device

from .conftest import flac, jpeg, sha256, story

# Django commands close database connections when they finish, so these tests use real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def export(folder: Path, device_id: str, contributions: list[dict], blobs: dict[str, tuple[bytes, str]]) -> Path:
    """An export folder shaped as `agora-kiosk export` writes it."""
    (folder / "blobs").mkdir(parents=True)
    entries = []
    for sha, (data, content_type) in blobs.items():
        (folder / "blobs" / sha).write_bytes(data)
        entries.append({"sha256": sha, "size": len(data), "type": content_type, "path": f"blobs/{sha}"})
    manifest = {"format": "agora-export/1", "device_id": device_id, "device_name": "Hall",
                "exported_at": "2026-11-27T12:00:00.000Z", "contributions": contributions, "blobs": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def with_media(photo: bytes, recording: bytes) -> dict:
    return story(media=[
        {"sha256": sha256(photo), "size": len(photo), "type": "image/jpeg", "kind": "photo"},
        {"sha256": sha256(recording), "size": len(recording), "type": "audio/flac", "kind": "audio"},
    ])


def test_an_export_from_the_hall_kiosk_is_imported_and_a_later_sync_is_a_resend(client, tapestry, hall, tmp_path,
                                                                                 capsys):
    photo, recording = jpeg(), flac()
    payload = with_media(photo, recording)
    folder = export(tmp_path / "agora-export-hall", str(hall.device.pk), [payload, story()],
                    {sha256(photo): (photo, "image/jpeg"), sha256(recording): (recording, "audio/flac")})
    assert main(["import", str(folder)]) == 0
    assert "Imported 2 new contribution(s)" in capsys.readouterr().out
    assert Contribution.objects.filter(device=hall.device).count() == 2
    assert main(["import", str(folder)]) == 0
    assert "2 were already on the hub" in capsys.readouterr().out
    resend = hall.put(client, payload)
    assert resend.status_code == 200
    assert resend.json()["blobs"] == [sha256(photo), sha256(recording)]


def test_an_export_from_an_unknown_kiosk_is_attributed_to_usb_import_once(tapestry, tmp_path, capsys):
    for number in range(2):
        folder = export(tmp_path / f"export-{number}", "unpaired", [story()], {})
        assert main(["import", str(folder)]) == 0
    assert Device.objects.filter(name="USB import").count() == 1
    assert Contribution.objects.filter(device__name="USB import").count() == 2


def test_a_damaged_blob_is_refused_and_its_contribution_named(tapestry, hall, tmp_path, capsys):
    photo = jpeg((300, 200), noise=True)
    recording = flac()
    folder = export(tmp_path / "export", str(hall.device.pk), [with_media(photo, recording), story()],
                    {sha256(photo): (photo[:1000], "image/jpeg"), sha256(recording): (recording, "audio/flac")})
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(folder)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"Refused blob {sha256(photo)}" in err and "blobs missing from the export" in err
    assert Contribution.objects.count() == 1


def test_a_folder_that_is_not_an_export_is_explained(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(tmp_path)])
    assert exit_.value.code == 1
    assert "manifest.json does not exist" in capsys.readouterr().err
