"""The kiosk's pairing with a hub: device.json (owner-only), written once by `agora-kiosk pair`."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kiosk.fsutil import atomic_write_json

DEVICE_FILE = "device.json"


class DeviceFileError(ValueError):
    """device.json exists but cannot be used; the message says how to repair the pairing."""


@dataclass(frozen=True)
class Device:
    hub_url: str
    device_id: str
    token: str = field(repr=False)
    name: str
    paired_at: str | None = None


def load_device(data_dir: Path) -> Device | None:
    """The saved pairing, or None when this kiosk was never paired."""
    path = Path(data_dir) / DEVICE_FILE
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise DeviceFileError(
            f"{path} cannot be read ({error}); pair this kiosk again with "
            "`agora-kiosk pair --hub URL --code CODE`"
        ) from None
    try:
        device = Device(
            hub_url=str(values["hub_url"]).rstrip("/"),
            device_id=str(values["device_id"]),
            token=str(values["token"]),
            name=str(values.get("name", "")),
            paired_at=values.get("paired_at"),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise DeviceFileError(
            f"{path} is missing {error}; pair this kiosk again with `agora-kiosk pair --hub URL --code CODE`"
        ) from None
    return device


def save_device(data_dir: Path, device: Device) -> None:
    """Save the pairing atomically, readable only by the kiosk's user since the token is a secret."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_json(data_dir / DEVICE_FILE, asdict(device), mode=0o600)
