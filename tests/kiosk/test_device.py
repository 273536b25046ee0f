"""The pairing is saved once, readable only by the kiosk, and a damaged file says how to pair again."""

import os
import stat

import pytest

from kiosk.device import Device, DeviceFileError, load_device, save_device

HALL = Device(hub_url="https://hub.musee.example", device_id="5f0c6c1e-8d7e-4c55-9d0b-3a4f2b1c0d9e",
              token="s3cr3t-" * 7, name="Hall", paired_at="2026-11-27T10:33:39.123Z")


def test_a_kiosk_that_was_never_paired_has_no_device(tmp_path):
    assert load_device(tmp_path) is None


def test_the_hall_pairing_is_saved_and_read_back(tmp_path):
    save_device(tmp_path / "hall", HALL)

    assert load_device(tmp_path / "hall") == HALL


def test_the_token_is_readable_only_by_the_kiosk_and_never_printed(tmp_path):
    save_device(tmp_path, HALL)

    assert stat.S_IMODE(os.stat(tmp_path / "device.json").st_mode) == 0o600
    assert HALL.token not in repr(HALL)


def test_a_damaged_device_file_says_how_to_pair_again(tmp_path):
    (tmp_path / "device.json").write_text('{"hub_url": "https://hub')

    with pytest.raises(DeviceFileError, match="agora-kiosk pair"):
        load_device(tmp_path)


def test_a_device_file_missing_the_token_says_how_to_pair_again(tmp_path):
    (tmp_path / "device.json").write_text('{"hub_url": "https://hub", "device_id": "x"}')

    with pytest.raises(DeviceFileError, match="token"):
        load_device(tmp_path)
