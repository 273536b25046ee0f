"""Kiosk settings from AGORA_KIOSK_* environment variables, typed and checked, failing loudly on bad values."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ConfigError(ValueError):
    """A setting has a value the kiosk cannot use; the message names the variable and what is expected."""


@dataclass(frozen=True)
class KioskSettings:
    data_dir: Path
    museum_name: str = "Musée de la Vallée"
    primary_color: str = "#1F3A5F"
    accent_color: str = "#E0A526"
    logo: Path | None = None
    idle_timeout: float = 90.0
    thanks_seconds: float = 8.0
    sync_interval: float = 30.0
    hub_url: str | None = None
    # Photos and recordings pause (text still works) when less than this is free on the data disk.
    disk_reserve_mb: float = 200.0
    # Delivered contributions and their media stay on the kiosk this long, then are pruned.
    archive_days: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides) -> KioskSettings:
        """Read AGORA_KIOSK_* variables; keyword overrides (e.g. data_dir from --data) win over them."""
        unknown = set(overrides) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown kiosk setting(s): {', '.join(sorted(unknown))}")
        values = {}
        for name, (variable, parse) in _VARIABLES.items():
            if name in overrides:
                values[name] = parse(overrides[name], f"the {name} setting")
                continue
            raw = environ.get(variable, "").strip()
            if raw:
                values[name] = parse(raw, variable)
        if "data_dir" not in values:
            values["data_dir"] = Path("var/kiosk")
        return cls(**values)


def _text(value, what: str) -> str:
    text = str(value).strip()
    if not text:
        raise ConfigError(f"{what} is empty; give a name, e.g. \"Musée de la Vallée\"")
    return text


def _path(value, what: str) -> Path:
    text = str(value).strip()
    if not text:
        raise ConfigError(f"{what} is empty; give a folder path, e.g. /data/agora")
    return Path(text).expanduser()


def _color(value, what: str) -> str:
    text = str(value).strip()
    if not _COLOR_RE.match(text):
        raise ConfigError(f"{what} is {text!r}; expected a colour written #RRGGBB, e.g. #1F3A5F")
    return text.upper()


def _seconds(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} is {value!r}; expected a number of seconds, e.g. 30") from None
    if not math.isfinite(number) or number <= 0:
        raise ConfigError(f"{what} is {value!r}; expected a number of seconds above 0, e.g. 30")
    return number


def _megabytes(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} is {value!r}; expected a number of megabytes, e.g. 200") from None
    if not math.isfinite(number) or number < 0:
        raise ConfigError(f"{what} is {value!r}; expected a number of megabytes, 0 or more, e.g. 200")
    return number


def _days(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what} is {value!r}; expected a number of days, e.g. 30") from None
    if not math.isfinite(number) or number < 0:
        raise ConfigError(f"{what} is {value!r}; expected a number of days, 0 or more, e.g. 30")
    return number


def _logo(value, what: str) -> Path | None:
    if value is None or str(value).strip() == "":
        return None
    path = Path(str(value).strip()).expanduser()
    if not path.is_file():
        raise ConfigError(f"{what} is {str(path)!r}, but there is no such file; give the path of a PNG or JPEG")
    return path


def _url(value, what: str) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{what} is {text!r}; expected the hub's address, e.g. https://hub.example.org")
    return text


_VARIABLES = {
    "data_dir": ("AGORA_KIOSK_DATA", _path),
    "museum_name": ("AGORA_KIOSK_MUSEUM_NAME", _text),
    "primary_color": ("AGORA_KIOSK_PRIMARY_COLOR", _color),
    "accent_color": ("AGORA_KIOSK_ACCENT_COLOR", _color),
    "logo": ("AGORA_KIOSK_LOGO", _logo),
    "idle_timeout": ("AGORA_KIOSK_IDLE_TIMEOUT", _seconds),
    "thanks_seconds": ("AGORA_KIOSK_THANKS_SECONDS", _seconds),
    "sync_interval": ("AGORA_KIOSK_SYNC_INTERVAL", _seconds),
    "hub_url": ("AGORA_KIOSK_HUB_URL", _url),
    "disk_reserve_mb": ("AGORA_KIOSK_DISK_RESERVE_MB", _megabytes),
    "archive_days": ("AGORA_KIOSK_ARCHIVE_DAYS", _days),
}
