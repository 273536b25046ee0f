"""Staff access to the kiosk: the PIN from AGORA_KIOSK_STAFF_PIN, its lock, and the sync state in plain words."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from kiosk.clock import parse_iso
from kiosk.device import DeviceFileError, load_device
from kiosk.ui.strings import STRINGS
from sync.status import read_status

log = logging.getLogger(__name__)

PIN_VARIABLE = "AGORA_KIOSK_STAFF_PIN"
PIN_LENGTHS = range(4, 9)
# The file the sync agent writes in the kiosk's data folder (the name `agora-kiosk status` reads too).
STATUS_FILE = "sync_status.json"
# Wrong PINs allowed before the keypad locks, and for how long it then stays locked.
MAX_TRIES = 5
LOCK_SECONDS = 60.0
# The hidden gesture: a press held this long in the attract screen's top-right corner, a square of this side.
HOLD_SECONDS = 3.0
CORNER_PX = 120


def staff_pin_from_env(environ: Mapping[str, str]) -> str | None:
    """The staff PIN (4 to 8 digits), or None when staff access is off (unset, or set to something invalid)."""
    raw = environ.get(PIN_VARIABLE, "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) not in PIN_LENGTHS:
        log.error("%s must be 4 to 8 digits (e.g. 4821); staff access stays off until it is fixed", PIN_VARIABLE)
        return None
    return raw


class StaffLock:
    """Checks PINs typed on the keypad; after MAX_TRIES wrong ones it refuses everything for LOCK_SECONDS."""

    def __init__(self, pin: str, clock: Callable[[], float]):
        self._pin = pin
        self._clock = clock
        self.wrong = 0
        self.locked_until = 0.0

    def seconds_locked(self) -> int:
        left = self.locked_until - self._clock()
        return int(left + 0.999) if left > 0 else 0

    def check(self, entry: str) -> str:
        """What the keypad says to `entry`: "open", "wrong" or "locked"."""
        if self.seconds_locked():
            return "locked"
        if entry == self._pin:
            self.wrong = 0
            return "open"
        self.wrong += 1
        if self.wrong >= MAX_TRIES:
            self.wrong = 0
            self.locked_until = self._clock() + LOCK_SECONDS
            return "locked"
        return "wrong"


def size_text(size: float, language: str) -> str:
    """Bytes as staff read them: "1,2 Mo" in French, "1.2 MB" in English."""
    units = ("o", "ko", "Mo", "Go", "To") if language == "fr" else ("B", "kB", "MB", "GB", "TB")
    value, unit = float(max(0, size)), 0
    while value >= 1000 and unit < len(units) - 1:
        value /= 1000
        unit += 1
    number = f"{value:.0f}" if unit == 0 else f"{value:.1f}"
    if language == "fr":
        number = number.replace(".", ",")
    return f"{number} {units[unit]}"


def duration_text(seconds: float, language: str) -> str:
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            label = "j" if unit == "d" and language == "fr" else unit
            return f"{seconds / size:.0f} {label}"
    return f"{seconds:.0f} s"


def _moment(iso, now: datetime, language: str, empty_key: str) -> str:
    """An ISO time from the agent as "5 min ago (14:03)" or "in 30 s"; `empty_key` when there is none."""
    strings = STRINGS[language]
    if not iso:
        return strings[empty_key]
    try:
        when = parse_iso(str(iso))
    except ValueError:
        return strings["staff.unknown"]
    delta = (when - now).total_seconds()
    local = when.astimezone().strftime("%H:%M")
    if delta > 1:
        return strings["staff.in"].format(duration=duration_text(delta, language), time=local)
    if delta > -5:
        return strings["staff.now"]
    return strings["staff.ago"].format(duration=duration_text(-delta, language), time=local)


def describe_sync(store, data_dir: Path, language: str, status_file: Path | None = None,
                  now: datetime | None = None) -> dict:
    """What the staff screen shows, in `language`: files only (the store, the pairing, sync_status.json)."""
    strings = STRINGS[language]
    now = now or datetime.now(UTC)
    data_dir = Path(data_dir)
    info: dict = {}

    try:
        device = load_device(data_dir)
    except DeviceFileError as error:
        device, info["hub"] = None, str(error)
    else:
        info["hub"] = strings["staff.not_paired"]
    info["paired"] = device is not None
    if device is not None:
        info["hub"] = strings["staff.hub"].format(url=device.hub_url, name=device.name or "-",
                                                  device=device.device_id)

    try:
        counts, pending = store.counts(), store.pending()
    except Exception:  # a damaged store must not take the staff screen down with it
        log.exception("The staff screen could not read the store")
        counts, pending = {}, []
    info["pending"] = str(counts.get("pending", "?"))
    info["oldest"] = ""
    if pending:
        try:
            age = (now - parse_iso(pending[0].created_at)).total_seconds()
            info["oldest"] = strings["staff.oldest"].format(duration=duration_text(age, language))
        except ValueError:
            info["oldest"] = ""
    info["failed"] = str(counts.get("failed", "?"))
    info["quarantined"] = str(counts.get("quarantined", "?"))
    try:
        info["disk"] = size_text(store.free_disk(), language)
    except OSError:
        info["disk"] = strings["staff.unknown"]

    status = read_status(status_file or data_dir / STATUS_FILE)
    progress = status.get("progress")
    info["fraction"] = 0.0
    info["sending"] = strings["staff.idle"]
    if isinstance(progress, dict):
        sent, total = progress.get("bytes_sent") or 0, progress.get("bytes_total") or 0
        info["sending"] = strings["staff.sending"].format(
            receipt=progress.get("receipt_code") or "?", sent=size_text(sent, language),
            total=size_text(total, language))
        info["fraction"] = min(1.0, sent / total) if total else 0.0
    info["busy"] = isinstance(progress, dict)
    paused = status.get("paused_reason")
    info["paused"] = strings["staff.paused"].format(reason=paused) if paused else ""
    error = status.get("last_error")
    info["error"] = strings["staff.error"].format(error=error) if error else ""
    info["last_success"] = _moment(status.get("last_success"), now, language, "staff.never")
    info["next_attempt"] = _moment(status.get("next_attempt"), now, language, "staff.as_usual")
    return info
