"""The sync agent: delivers pending contributions oldest first, exactly once, then pulls the exhibit list."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.catalogue import CatalogueCache, CatalogueError
from kiosk.clock import iso_utc
from kiosk.fsutil import atomic_write_json
from kiosk.store import Store
from sync.client import HubClient, HubError

log = logging.getLogger(__name__)

UNAUTHORISED = "device not authorised: re-pair this kiosk with `agora-kiosk pair --hub URL --code CODE`"


@dataclass(frozen=True)
class RetryPolicy:
    """Every retry decision of the agent, as data in one place."""

    # The hub's final verdict on one contribution: mark it failed and carry on with the next one.
    refused_statuses: frozenset[int] = frozenset({409, 422})
    # The hub no longer knows this kiosk: stop delivering until it is re-paired (or the curator relents).
    unauthorised_statuses: frozenset[int] = frozenset({401, 403})
    # Seconds to wait after 1, 2, 3... consecutive failed attempts; the last value repeats. A visitor's
    # submit wakes the agent at once anyway.
    backoff: tuple[float, ...] = (30, 60, 120, 300)
    unauthorised_wait: float = 600
    # How often the exhibit list is pulled when nothing else happens.
    config_interval: float = 300

    def wait_after(self, failures: int, interval: float) -> float:
        if failures <= 0:
            return interval
        return max(interval, self.backoff[min(failures, len(self.backoff)) - 1])


DEFAULT_POLICY = RetryPolicy()


@dataclass(frozen=True)
class ItemResult:
    uuid: str
    receipt_code: str
    outcome: str  # "delivered" or "failed"
    detail: str = ""


@dataclass
class SyncReport:
    results: list[ItemResult] = field(default_factory=list)
    error: str | None = None  # why delivery stopped early (items stay pending), in plain words
    config_error: str | None = None
    config_updated: bool = False

    @property
    def delivered(self) -> list[ItemResult]:
        return [r for r in self.results if r.outcome == "delivered"]

    @property
    def failed(self) -> list[ItemResult]:
        return [r for r in self.results if r.outcome == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed and self.error is None and self.config_error is None


class _Stop(Exception):
    """Delivery must stop for now; the message says why."""


class SyncAgent:
    def __init__(
        self,
        store: Store,
        client: HubClient,
        catalogue: CatalogueCache | None,
        status_file: Path,
        clock: Callable[[], float] = time.time,
        interval: float = 30,
        policy: RetryPolicy = DEFAULT_POLICY,
    ):
        self.store = store
        self.client = client
        self.catalogue = catalogue
        self.status_file = Path(status_file)
        self.clock = clock
        self.interval = interval
        self.policy = policy
        self.failures = 0  # consecutive attempts that did not reach the hub, for the backoff
        self.unauthorised = False
        self.last_error: str | None = None
        self._next_pull = float("-inf")
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def deliver_one(self) -> bool:
        """Send the oldest pending contribution; True if it is now delivered or failed (there was work)."""
        try:
            return self._deliver_one() is not None
        except _Stop:
            return False

    def _deliver_one(self) -> ItemResult | None:
        pending = self.store.pending()
        if not pending:
            return None
        contribution = pending[0]
        try:
            receipt = self.client.put_contribution(contribution.payload())
        except HubError as error:
            return self._refused(contribution, error)
        if receipt.get("uuid") != contribution.uuid:
            raise _Stop(self._attempt_failed(
                f"the hub acknowledged {receipt.get('uuid')!r} instead of {contribution.uuid}; will try again later"
            ))
        self.store.mark_delivered(contribution.uuid, receipt)
        self.failures = 0
        self.unauthorised = False
        self._write_status(success=True, error=None)
        log.info("Delivered %s (%s)", contribution.uuid, contribution.receipt_code)
        return ItemResult(contribution.uuid, contribution.receipt_code, "delivered")

    def _refused(self, contribution, error: HubError) -> ItemResult:
        if error.status in self.policy.refused_statuses:
            reason = f"refused by the hub ({error.status}): {error.detail}"
            self.store.mark_failed(contribution.uuid, reason)
            self.failures = 0
            self._write_status(success=True, error=f"contribution {contribution.receipt_code} {reason}")
            log.warning("Contribution %s %s", contribution.uuid, reason)
            return ItemResult(contribution.uuid, contribution.receipt_code, "failed", reason)
        if error.status in self.policy.unauthorised_statuses:
            raise _Stop(self._attempt_failed(f"{UNAUTHORISED} (the hub said: {error.detail})", unauthorised=True))
        if error.permanent:
            raise _Stop(self._attempt_failed(f"the hub refused the request ({error.status}: {error.detail}); "
                                             "contributions stay on the kiosk until this is fixed"))
        raise _Stop(self._attempt_failed(f"{error.detail}; contributions stay on the kiosk and will be sent later"))

    def pull_config(self) -> bool:
        """Download the exhibit list and its pictures and save them as one; False (and status) on failure."""
        if self.catalogue is None:
            return False
        try:
            config = self.client.get_config()
            images = {}
            for exhibit in config.get("exhibits", []):
                url = exhibit.get("image_url") if isinstance(exhibit, dict) else None
                if url:
                    images[exhibit["slug"]] = self.catalogue.cached_image(url) or self.client.fetch(url)
            self.catalogue.replace(config, images)
        except HubError as error:
            if error.status in self.policy.unauthorised_statuses:
                self._attempt_failed(f"{UNAUTHORISED} (the hub said: {error.detail})", unauthorised=True)
            else:
                self._attempt_failed(f"the exhibit list could not be updated: {error.detail}")
            return False
        except (CatalogueError, KeyError, TypeError, AttributeError) as error:
            self._attempt_failed(f"the hub sent an exhibit list Agora could not read: {error}")
            return False
        except OSError as error:
            self._attempt_failed(f"the exhibit list could not be saved on the kiosk: {error}")
            return False
        self._next_pull = time.monotonic() + self.policy.config_interval
        self.failures = 0
        self._write_status(success=True, error=None)
        return True

    def run_once(self) -> SyncReport:
        """Deliver every pending contribution (a refused one is recorded and skipped), then pull the config."""
        report = SyncReport()
        try:
            while (result := self._deliver_one()) is not None:
                report.results.append(result)
        except _Stop as stop:
            report.error = str(stop)
            return report
        if self.catalogue is not None:
            report.config_updated = self.pull_config()
            if not report.config_updated:
                report.config_error = self.last_error
        return report

    def step(self) -> bool:
        """One unit of background work: deliver one contribution, or pull the config when due."""
        if self.store.pending():
            return self.deliver_one()
        # Scheduled on the monotonic clock: the wall clock of a Pi jumps when NTP first answers.
        if self.catalogue is not None and time.monotonic() >= self._next_pull:
            if not self.pull_config():
                self._next_pull = time.monotonic() + self.policy.wait_after(self.failures, self.interval)
        return False

    def start(self) -> None:
        """Run in a background daemon thread; the UI never waits for the network."""
        if self.running:
            return
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="agora-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        """Whether the background thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def wake(self) -> None:
        """Try now (after a visitor's submit) instead of at the end of the current wait."""
        self._wake.set()

    def run_forever(self) -> None:
        """The same loop in the calling thread, until stop() is called from a signal handler or another thread."""
        self._stopping.clear()
        self._loop()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                did = self.step()
            except Exception as error:
                # The thread must survive anything, and say what happened.
                log.exception("Sync step failed")
                self._attempt_failed(f"internal error while syncing: {error}")
                did = False
            if not did:
                wait = self.policy.unauthorised_wait if self.unauthorised else \
                    self.policy.wait_after(self.failures, self.interval)
                self._wake.wait(wait)

    def _attempt_failed(self, error: str, unauthorised: bool = False) -> str:
        self.failures += 1
        self.unauthorised = unauthorised
        self.last_error = error
        log.warning("Sync: %s", error)
        self._write_status(success=False, error=error)
        return error

    def _write_status(self, success: bool, error: str | None) -> None:
        status = read_status(self.status_file)
        now = iso_utc(self.clock())
        status["last_attempt"] = now
        if success:
            status["last_success"] = now
        status["last_error"] = error
        if success and error is None:
            self.last_error = None
        try:
            status["delivered"] = self.store.counts()["delivered"]
            atomic_write_json(self.status_file, status)
        except OSError as problem:
            log.error("Could not write %s: %s", self.status_file, problem)


def read_status(status_file: Path) -> dict:
    """sync_status.json, or empty values when it is missing or unreadable."""
    status = {"last_success": None, "last_error": None, "last_attempt": None, "delivered": 0}
    try:
        saved = json.loads(Path(status_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return status
    if isinstance(saved, dict):
        status.update(saved)
    return status
