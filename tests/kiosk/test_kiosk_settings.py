"""Kiosk settings come from AGORA_KIOSK_* variables and bad values are refused with the variable's name."""

from pathlib import Path

import pytest

from kiosk.config import ConfigError, KioskSettings


def test_an_empty_environment_gives_the_documented_defaults():
    settings = KioskSettings.from_env({})

    assert settings.data_dir == Path("var/kiosk")
    assert settings.museum_name == "Musée de la Vallée"
    assert settings.primary_color == "#1F3A5F"
    assert settings.accent_color == "#E0A526"
    assert settings.logo is None
    assert (settings.idle_timeout, settings.thanks_seconds, settings.sync_interval) == (90, 8, 30)
    assert settings.hub_url is None
    assert (settings.disk_reserve_mb, settings.archive_days) == (200, 30)


def test_the_hall_kiosk_reads_every_variable(tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    settings = KioskSettings.from_env({
        "AGORA_KIOSK_DATA": str(tmp_path / "hall"),
        "AGORA_KIOSK_MUSEUM_NAME": "Musée du Canal",
        "AGORA_KIOSK_PRIMARY_COLOR": "#102030",
        "AGORA_KIOSK_ACCENT_COLOR": "#abcdef",
        "AGORA_KIOSK_LOGO": str(logo),
        "AGORA_KIOSK_IDLE_TIMEOUT": "120",
        "AGORA_KIOSK_THANKS_SECONDS": "5.5",
        "AGORA_KIOSK_SYNC_INTERVAL": "10",
        "AGORA_KIOSK_HUB_URL": "https://hub.musee.example/",
        "AGORA_KIOSK_DISK_RESERVE_MB": "500",
        "AGORA_KIOSK_ARCHIVE_DAYS": "7.5",
    })

    assert settings.data_dir == tmp_path / "hall"
    assert settings.museum_name == "Musée du Canal"
    assert settings.accent_color == "#ABCDEF"
    assert settings.logo == logo
    assert (settings.idle_timeout, settings.thanks_seconds, settings.sync_interval) == (120, 5.5, 10)
    assert settings.hub_url == "https://hub.musee.example"
    assert (settings.disk_reserve_mb, settings.archive_days) == (500, 7.5)


def test_an_override_wins_over_the_environment(tmp_path):
    settings = KioskSettings.from_env({"AGORA_KIOSK_DATA": "/somewhere/else"}, data_dir=tmp_path)

    assert settings.data_dir == tmp_path


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("AGORA_KIOSK_PRIMARY_COLOR", "blue", "#RRGGBB"),
    ("AGORA_KIOSK_ACCENT_COLOR", "#12345", "#RRGGBB"),
    ("AGORA_KIOSK_IDLE_TIMEOUT", "ninety", "number of seconds"),
    ("AGORA_KIOSK_THANKS_SECONDS", "-1", "above 0"),
    ("AGORA_KIOSK_SYNC_INTERVAL", "nan", "above 0"),
    ("AGORA_KIOSK_LOGO", "/no/such/logo.png", "no such file"),
    ("AGORA_KIOSK_HUB_URL", "hub.example", "hub's address"),
    ("AGORA_KIOSK_DISK_RESERVE_MB", "lots", "number of megabytes"),
    ("AGORA_KIOSK_DISK_RESERVE_MB", "-5", "0 or more"),
    ("AGORA_KIOSK_ARCHIVE_DAYS", "a month", "number of days"),
    ("AGORA_KIOSK_ARCHIVE_DAYS", "inf", "0 or more"),
])
def test_a_bad_value_names_the_variable_and_what_is_expected(variable, value, expected):
    with pytest.raises(ConfigError) as raised:
        KioskSettings.from_env({variable: value})

    assert variable in str(raised.value)
    assert expected in str(raised.value)


def test_an_unknown_override_is_a_programming_error():
    with pytest.raises(TypeError, match="colour"):
        KioskSettings.from_env({}, colour="#000000")
