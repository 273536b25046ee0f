"""`agora-kiosk` tells the museum's staff what is waiting, and says clearly what to do when it cannot go on."""

import json
import socket

import pytest

from kiosk.cli import main
from kiosk.contribution import Draft
from kiosk.device import Device, load_device, save_device
from kiosk.store import Store


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def story(text="La fête des moissons de 1962.") -> Draft:
    return Draft(exhibit="la-tapisserie", prompt="souvenir", text=text)


def pair_offline(folder, hub_url="https://hub.musee.example") -> Device:
    device = Device(hub_url=hub_url, device_id="5f0c6c1e-8d7e-4c55-9d0b-3a4f2b1c0d9e", token="t" * 43,
                    name="Hall")
    save_device(folder, device)
    return device


def test_status_of_an_unpaired_kiosk_says_so_and_creates_nothing(tmp_path, capsys):
    assert main(["status", "--data", str(tmp_path / "hall")]) == 0

    out = capsys.readouterr().out
    assert "NOT PAIRED" in out
    assert "agora-kiosk pair --hub" in out
    assert not (tmp_path / "hall").exists()


def test_status_shows_what_is_waiting_and_where_it_goes(tmp_path, capsys):
    store = Store(tmp_path)
    store.submit(story("first"))
    refused = store.submit(story("second"))
    store.mark_failed(refused.uuid, "refused by the hub (422): exhibit: unknown")
    device = pair_offline(tmp_path)
    (tmp_path / "sync_status.json").write_text(json.dumps(
        {"last_success": None, "last_attempt": "2026-11-27T10:00:00.000Z",
         "last_error": "could not reach the hub at https://hub.musee.example"}))

    assert main(["status", "--data", str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert "Waiting to be sent:    1" in out
    assert "Refused by the hub:    1" in out
    assert "Last successful sync:  never" in out
    assert "could not reach the hub" in out
    assert device.hub_url in out
    assert device.device_id in out
    assert device.token not in out


def test_status_shows_quarantine_free_disk_and_what_the_agent_is_doing(tmp_path, capsys):
    store = Store(tmp_path)
    photo = store.add_media(b"\xff\xd8 Alice's photo", "image/jpeg", "photo")
    store.submit(Draft(exhibit="la-tapisserie", prompt="souvenir", text="lost photo", media=[photo]))
    store.media_path(photo.sha256).unlink()
    Store(tmp_path)  # the app's next start quarantines it
    pair_offline(tmp_path)
    (tmp_path / "sync_status.json").write_text(json.dumps(
        {"last_success": None, "last_attempt": None, "last_error": None,
         "progress": {"uuid": "u", "receipt_code": "ABCD-EFGH", "bytes_sent": 1_048_576, "bytes_total": 3_145_728},
         "paused_reason": "device not authorised: re-pair this kiosk"}))

    assert main(["status", "--data", str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert "Quarantined:           1 (a photo or recording was missing or damaged" in out
    assert "Free disk:" in out
    assert "Sending now:           ABCD-EFGH: 1.0 MB of 3.0 MB" in out
    assert "Sync paused:           device not authorised: re-pair this kiosk" in out


def test_status_says_when_photos_are_paused_for_lack_of_disk(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AGORA_KIOSK_DISK_RESERVE_MB", str(10**12))

    assert main(["status", "--data", str(tmp_path)]) == 0

    assert "LOW, photos and recordings are paused" in capsys.readouterr().out


def test_the_data_variable_is_used_when_no_data_option_is_given(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AGORA_KIOSK_DATA", str(tmp_path))
    Store(tmp_path).submit(story())

    assert main(["status"]) == 0

    assert "Waiting to be sent:    1" in capsys.readouterr().out


def test_sync_on_an_unpaired_kiosk_explains_how_to_pair(tmp_path, capsys):
    Store(tmp_path).submit(story())

    assert main(["sync", "--once", "--data", str(tmp_path)]) == 2

    err = capsys.readouterr().err
    assert "not paired" in err
    assert "agora-kiosk pair --hub" in err
    assert Store(tmp_path).counts()["pending"] == 1


def test_sync_with_the_hub_unreachable_keeps_everything_and_exits_1(tmp_path, capsys):
    Store(tmp_path).submit(story())
    pair_offline(tmp_path, closed_port_url())

    assert main(["sync", "--once", "--data", str(tmp_path)]) == 1

    captured = capsys.readouterr()
    assert "0 delivered, 0 failed, 1 still waiting" in captured.out
    assert "could not reach the hub" in captured.err
    assert Store(tmp_path).counts()["pending"] == 1


def test_pairing_with_an_unreachable_hub_says_so_and_saves_nothing(tmp_path, capsys):
    code = main(["pair", "--hub", closed_port_url(), "--code", "K7F4-3QXM", "--data", str(tmp_path)])

    assert code == 2
    assert "could not pair" in capsys.readouterr().err
    assert load_device(tmp_path) is None


def test_pairing_needs_a_web_address(tmp_path, capsys):
    assert main(["pair", "--hub", "hub.musee", "--code", "K7F4-3QXM", "--data", str(tmp_path)]) == 2

    assert "not a web address" in capsys.readouterr().err


def test_pairing_without_a_hub_says_which_option_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("AGORA_KIOSK_HUB_URL", raising=False)

    assert main(["pair", "--code", "K7F4-3QXM", "--data", str(tmp_path)]) == 2

    assert "--hub" in capsys.readouterr().err


@pytest.mark.parametrize("size", ["800", "800x", "x480", "0x480", "wide"])
def test_a_size_not_written_wxh_is_refused(tmp_path, capsys, size):
    with pytest.raises(SystemExit) as exited:
        main(["run", "--size", size, "--data", str(tmp_path)])

    assert exited.value.code == 2
    assert "WIDTHxHEIGHT" in capsys.readouterr().err


def test_a_bad_setting_names_the_variable(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AGORA_KIOSK_SYNC_INTERVAL", "often")

    assert main(["status", "--data", str(tmp_path)]) == 2

    assert "AGORA_KIOSK_SYNC_INTERVAL" in capsys.readouterr().err


def test_a_damaged_pairing_file_says_how_to_pair_again(tmp_path, capsys):
    (tmp_path / "device.json").write_text("{")

    assert main(["sync", "--once", "--data", str(tmp_path)]) == 2

    assert "agora-kiosk pair" in capsys.readouterr().err
