"""`agora-kiosk pair` trades a curator's code for a device token kept only on the kiosk."""

import os
import stat

from kiosk.cli import main
from kiosk.device import load_device


def issue_code() -> str:
    from hub.devices.models import PairingCode

    _, code = PairingCode.issue()
    return code


def test_the_hall_kiosk_pairs_with_a_code_from_alice(tmp_path, live_server, transactional_db, capsys):
    code = issue_code().lower().replace("-", " ")

    assert main(["pair", "--hub", live_server.url + "/", "--code", code, "--name", "Hall",
                 "--data", str(tmp_path)]) == 0

    device = load_device(tmp_path)
    assert device.hub_url == live_server.url
    assert device.name == "Hall"
    assert len(device.token) >= 43
    assert stat.S_IMODE(os.stat(tmp_path / "device.json").st_mode) == 0o600
    out = capsys.readouterr().out
    assert "Paired" in out
    assert device.token not in out

    from hub.devices.models import Device

    assert Device.objects.get(pk=device.device_id).name == "Hall"


def test_an_unknown_code_is_refused_with_the_hubs_advice(tmp_path, live_server, transactional_db, capsys):
    assert main(["pair", "--hub", live_server.url, "--code", "K7F4-3QXM", "--data", str(tmp_path)]) == 2

    err = capsys.readouterr().err
    assert "not known" in err
    assert "agora-hub pairing-code" in err
    assert load_device(tmp_path) is None


def test_a_code_works_only_once(tmp_path, live_server, transactional_db, capsys):
    code = issue_code()
    assert main(["pair", "--hub", live_server.url, "--code", code, "--data", str(tmp_path / "hall")]) == 0

    assert main(["pair", "--hub", live_server.url, "--code", code, "--data", str(tmp_path / "entrance")]) == 2

    assert "already been used" in capsys.readouterr().err
    assert load_device(tmp_path / "entrance") is None


def test_status_after_pairing_shows_the_hub_and_device(tmp_path, live_server, transactional_db, capsys):
    main(["pair", "--hub", live_server.url, "--code", issue_code(), "--data", str(tmp_path)])
    device = load_device(tmp_path)
    capsys.readouterr()

    assert main(["status", "--data", str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert live_server.url in out
    assert device.device_id in out
    assert "NOT PAIRED" not in out
