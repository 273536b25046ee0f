"""The sync agent: delivers contributions and their media oldest first, exactly once; keeps the kiosk current."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.catalogue import CatalogueCache, CatalogueError
from kiosk.clock import iso_utc, parse_iso
from kiosk.device import DeviceFileError, load_device, save_device
from kiosk.store import Store
from sync.client import HubClient, HubError
from sync.gallery import GalleryCache, pull_gallery
from sync.heartbeat import Heartbeat
from sync.retry import (
    BLOCKED,
    DEFAULT_POLICY,
    HUB_TROUBLE,
    NETWORK,
    NOT_AUTHORISED_YET,
    RATE_LIMITED,
    REFUSED,
    UNAUTHORISED,
    RetryPolicy,
)
from sync.state import SyncState
from sync.status import StatusFile, read_status
from sync.uploader import DEFAULT_CHUNK_SIZE, BlobUploader, ItemRefused

__all__ = ["ItemResult", "RetryPolicy", "SyncAgent", "SyncReport", "read_status"]

log = logging.getLogger(__name__)

UNAUTHORISED_WORDS = "device not authorised: re-pair this kiosk with `agora-kiosk pair --hub URL --code CODE`"
NOT_AUTHORISED_YET_WORDS = ("this kiosk is waiting for a curator to authorise it on the hub's devices page; "
                            "contributions stay on the kiosk until then")


@dataclass(frozen=True)
class ItemResult:
    uuid: str
    receipt_code: str
    outcome: str  # "delivered", "failed" (refused for good) or "waiting" (will be tried again)
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
    def waiting(self) -> list[ItemResult]:
        return [r for r in self.results if r.outcome == "waiting"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.waiting and self.error is None and self.config_error is None


class _Stop(Exception):
    """Delivery must stop for now; the message says why."""


class _ItemWait(Exception):
    """This contribution cannot go now (the hub's trouble with it); the next one may."""


class SyncAgent:
    """Runs beside the UI: `start()` a background thread, `wake()` after a submit, `stop()` at exit.

    Every step is a plain method (`deliver_one`, `pull_config`, `pull_gallery`, `send_heartbeat`, `step`,
    `run_once`) so tests and `agora-kiosk sync --once` drive it without the thread.
    """

    def __init__(
        self,
        store: Store,
        client: HubClient,
        catalogue: CatalogueCache | None,
        status_file: Path,
        clock: Callable[[], float] = time.time,
        interval: float = 30,
        policy: RetryPolicy = DEFAULT_POLICY,
        *,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        gallery: GalleryCache | None = None,
        hardware: Callable[[], dict] | None = None,
        token_source: Callable[[], str | None] | None = None,
        token_sink: Callable[[str], None] | None = None,
        chance: random.Random | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.store = store
        self.client = client
        self.catalogue = catalogue
        self.status_file = Path(status_file)
        data_dir = self.status_file.parent
        self.clock = clock
        self.interval = interval
        self.policy = policy
        self.monotonic = monotonic
        self.chance = chance or random.Random()  # noqa: S311 - jitter for waits, not a secret
        self.uploader = BlobUploader(client, store.media_path, policy, chunk_size)
        # The exhibit list and the gallery go together: a kiosk that shows exhibits also shows their stories.
        self.gallery = gallery if gallery is not None else (GalleryCache(data_dir) if catalogue else None)
        self.heartbeat = Heartbeat(store, data_dir, clock, hardware)
        self.state = SyncState(data_dir)
        self.status = StatusFile(self.status_file, monotonic=monotonic)
        self.token_source = token_source or _device_token(data_dir)
        self.token_sink = token_sink or _save_device_token(data_dir)
        self.failures = 0  # consecutive attempts that did not reach the hub or were not accepted, for the backoff
        self.unauthorised = False
        self.paused_reason: str | None = None
        self.last_error: str | None = None
        self._last_verdict: str | None = None
        self._not_before = float("-inf")  # a Retry-After (429, 503, 507), on the monotonic clock
        self._recheck_at = float("-inf")  # when a paused kiosk asks the hub again
        self._deferred: dict[str, float] = {}  # uuid -> monotonic time before which it is not tried again
        self._hub_trouble_streak = 0
        self._due = {"config": float("-inf"), "gallery": float("-inf"), "heartbeat": float("-inf")}
        self._probe_woke = False
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # Delivery ---------------------------------------------------------------------------------------------

    def deliver_one(self) -> bool:
        """Send the oldest pending contribution that is due; True if it is now delivered or failed."""
        contribution = self._next_due()
        if contribution is None:
            return False
        try:
            return self._deliver(contribution).outcome != "waiting"
        except _Stop:
            return False

    def run_once(self) -> SyncReport:
        """Try every pending contribution once, oldest first (a refused one is recorded and skipped), then pull
        the exhibit list and the gallery and send a heartbeat."""
        report = SyncReport()
        tried: set[str] = set()
        try:
            while True:
                waiting = [c for c in self.store.pending() if c.uuid not in tried]
                if not waiting:
                    break
                contribution = waiting[0]
                tried.add(contribution.uuid)
                report.results.append(self._deliver(contribution, upcoming=waiting[1] if len(waiting) > 1 else None))
        except _Stop as stop:
            report.error = str(stop)
            return report
        if report.waiting:
            report.error = self.last_error
        if self.catalogue is not None:
            report.config_updated = self.pull_config()
            if not report.config_updated:
                report.config_error = self.last_error
                return report
        if self.gallery is not None and not self.pull_gallery() and self._last_verdict is not None:
            return report
        self.send_heartbeat()
        return report

    def _next_due(self):
        due = self._due_now()
        return due[0] if due else None

    def _due_now(self) -> list:
        now = self.monotonic()
        return [c for c in self.store.pending() if self._deferred.get(c.uuid, now) <= now]

    def _deliver(self, contribution, upcoming=None) -> ItemResult:
        """Send one contribution with its media; raises _Stop when nothing more can be sent for now.

        The files of `upcoming`, the contribution due next, start going up once this one's files are on the hub.
        """
        media = tuple(contribution.media or ())
        total = sum(ref.size for ref in media)

        def progress(sent: int) -> None:
            self.status.progress(contribution.uuid, contribution.receipt_code, sent, total)

        progress(0)
        try:
            payload = self._payload(contribution)
            self.uploader.send_all(media, progress)
            if upcoming is not None and upcoming.media:
                self.uploader.send_ahead(upcoming.media)
            receipt = self._put(contribution, payload, media, progress)
        except ItemRefused as refused:
            return self._refuse(contribution, str(refused))
        except _ItemWait as wait:
            return self._hub_trouble(contribution, str(wait))
        except HubError as error:
            return self._hub_said(contribution, error)
        finally:
            self.status.values["progress"] = None
        try:
            self.store.mark_delivered(contribution.uuid, receipt)
        except Exception:
            # Another process (`agora-kiosk sync --once`) may have recorded the same receipt a moment ago.
            stored = self.store.get(contribution.uuid)
            if stored is None or stored.state != "delivered":
                raise
        self._deferred.pop(contribution.uuid, None)
        self._succeeded(delivered=self.store.counts()["delivered"])
        log.info("Delivered %s (%s)", contribution.uuid, contribution.receipt_code)
        return ItemResult(contribution.uuid, contribution.receipt_code, "delivered")

    def _put(self, contribution, payload: dict, media: tuple, progress: Callable[[int], None]) -> dict:
        wanted = {ref.sha256 for ref in media}
        for attempt in range(self.policy.reuploads + 1):
            try:
                receipt = self.client.put_contribution(payload)
            except HubError as error:
                lacking = wanted & set(error.missing)
                if error.status == 422 and lacking and attempt < self.policy.reuploads:
                    # The hub lost or dropped a blob it had (say, a partial expired): send those again.
                    self.uploader.send_all([ref for ref in media if ref.sha256 in lacking], progress)
                    continue
                raise
            if receipt.get("uuid") != contribution.uuid:
                raise _ItemWait(f"the hub acknowledged {receipt.get('uuid')!r} instead of {contribution.uuid}; "
                                "will try again later")
            lacking = wanted - set(receipt.get("blobs") or ())
            if not lacking:
                return receipt
            if attempt < self.policy.reuploads:
                self.uploader.send_all([ref for ref in media if ref.sha256 in lacking], progress)
        raise _ItemWait(f"the hub's receipt for {contribution.receipt_code} does not list {len(lacking)} of its "
                        "files, so it is not marked as sent; will try again later")

    def _payload(self, contribution) -> dict:
        """The wire body, with the created_at chosen at the first attempt (so every resend is identical).

        A record made while the clock was not synchronised is sent with its time corrected by the hub's Date
        header when the two clocks differ by more than the policy's threshold (a Pi that booted without
        network thinks it is 1970 or the day its image was built). clock_synchronised stays false.
        """
        payload = contribution.payload()
        if contribution.clock_synchronised:
            return payload
        sent = self.state.sent_created_at(contribution.uuid)
        if sent is None:
            hub_now = self.client.hub_now()
            if hub_now is None:
                hub_now = self.client.learn_hub_time()
            offset = round(hub_now - self.clock())
            self.status.values["clock_offset_seconds"] = offset
            created_at = payload["created_at"]
            if abs(offset) > self.policy.clock_correction_threshold:
                created_at = iso_utc(parse_iso(created_at).timestamp() + offset)
                log.warning("The kiosk clock is %s s off the hub's; sending %s with created_at %s",
                            offset, contribution.uuid, created_at)
            sent = self.state.remember_created_at(contribution.uuid, created_at)
        payload["created_at"] = sent
        return payload

    def _refuse(self, contribution, reason: str) -> ItemResult:
        reason = reason if reason.startswith("refused") else f"not sent: {reason}"
        self.store.mark_failed(contribution.uuid, reason)
        self._deferred.pop(contribution.uuid, None)
        # The hub answered, so the network and the pairing are fine.
        self._succeeded(error=f"contribution {contribution.receipt_code} {reason}")
        log.warning("Contribution %s %s", contribution.uuid, reason)
        return ItemResult(contribution.uuid, contribution.receipt_code, "failed", reason)

    def _hub_trouble(self, contribution, reason: str) -> ItemResult:
        self._deferred[contribution.uuid] = self.monotonic() + self.policy.item_wait
        self._hub_trouble_streak += 1
        error = self._attempt_failed(f"contribution {contribution.receipt_code} not sent yet: {reason}", HUB_TROUBLE)
        if self._hub_trouble_streak >= self.policy.hub_trouble_streak:
            raise _Stop(error)
        return ItemResult(contribution.uuid, contribution.receipt_code, "waiting", reason)

    def _hub_said(self, contribution, error: HubError) -> ItemResult:
        verdict = self.policy.verdict(error.status)
        if verdict == REFUSED:
            return self._refuse(contribution, f"refused by the hub ({error.status}): {error.detail}")
        if verdict == HUB_TROUBLE and error.retry_after is None:
            return self._hub_trouble(contribution, f"the hub answered {error.status} ({error.detail})")
        raise _Stop(self._stopped_by(error))

    def _stopped_by(self, error: HubError) -> str:
        """Record an answer that stops all delivery for now; the plain-words reason."""
        verdict = self.policy.verdict(error.status)
        if verdict == UNAUTHORISED:
            return self._pause(f"{UNAUTHORISED_WORDS} (the hub said: {error.detail})", verdict,
                               self.policy.unauthorised_wait)
        if verdict == NOT_AUTHORISED_YET:
            return self._pause(f"{NOT_AUTHORISED_YET_WORDS} (the hub said: {error.detail})", verdict,
                               self.policy.not_authorised_yet_wait)
        if verdict == RATE_LIMITED or (verdict == HUB_TROUBLE and error.retry_after is not None):
            # The hub says when to come back (too many requests, a full disk, maintenance): every contribution
            # waits that long, not only the one that met the answer.
            wait = self.policy.retry_after(error.retry_after, self.failures + 1)
            self._not_before = self.monotonic() + wait
            said = ("the hub asked the kiosk to slow down" if verdict == RATE_LIMITED
                    else f"the hub answered {error.status} ({error.detail})")
            return self._attempt_failed(f"{said}; sending again in {wait:.0f} s", verdict, wait)
        if verdict == BLOCKED:
            return self._attempt_failed(f"the hub refused the request ({error.status}: {error.detail}); "
                                        "contributions stay on the kiosk until this is fixed", verdict)
        return self._attempt_failed(f"{error.detail}; contributions stay on the kiosk and will be sent later",
                                    verdict)

    # Pulls and heartbeat -----------------------------------------------------------------------------------

    def pull_config(self) -> bool:
        """Download the exhibit list and its pictures and save them as one; False (and status) on failure."""
        if self.catalogue is None:
            return False
        try:
            etag = self.state.etag("config", self.catalogue.revision())
            config, etag = self.client.get_config_if_changed(etag)
            if config is not None:
                images = {}
                for exhibit in config.get("exhibits", []):
                    url = exhibit.get("image_url") if isinstance(exhibit, dict) else None
                    if url:
                        images[exhibit["slug"]] = self.catalogue.cached_image(url) or self.client.fetch(url)
                self.catalogue.replace(config, images)
                self.state.set_etag("config", etag, self.catalogue.revision())
        except HubError as error:
            self._pull_failed("the exhibit list could not be updated", error)
            return False
        except (CatalogueError, KeyError, TypeError, AttributeError) as error:
            self._attempt_failed(f"the hub sent an exhibit list Agora could not read: {error}", BLOCKED)
            return False
        except OSError as error:
            self._attempt_failed(f"the exhibit list could not be saved on the kiosk: {error}", BLOCKED)
            return False
        self._due["config"] = self.monotonic() + self.policy.config_interval
        self._succeeded(last_config_pull=iso_utc(self.clock()))
        return True

    def pull_gallery(self) -> bool:
        """Download the published items of every exhibit and their thumbnails, within the disk budget."""
        if self.gallery is None:
            return False
        try:
            slugs = None
            if self.catalogue is not None:
                catalogue = self.catalogue.load()
                slugs = [exhibit.slug for exhibit in catalogue.exhibits] if catalogue.source == "hub" else None
            pull_gallery(self.client, self.gallery, slugs)
        except HubError as error:
            if error.status in (404, 405):
                # A hub from before the gallery: nothing to show, nothing wrong with the kiosk.
                self._due["gallery"] = self.monotonic() + self.policy.gallery_interval
                return False
            self._pull_failed("the gallery could not be updated", error)
            return False
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            self._attempt_failed(f"the hub sent a gallery Agora could not read: {error}", BLOCKED)
            return False
        except OSError as error:
            self._attempt_failed(f"the gallery could not be saved on the kiosk: {error}", BLOCKED)
            return False
        self._due["gallery"] = self.monotonic() + self.policy.gallery_interval
        self._succeeded(last_gallery_pull=iso_utc(self.clock()))
        return True

    def send_heartbeat(self) -> bool:
        """Tell the hub the figures its devices page shows (outbox, disk, camera, microphone, last error)."""
        self._due["heartbeat"] = self.monotonic() + self.policy.heartbeat_interval
        try:
            self.client.post_heartbeat(self.heartbeat.figures(self.last_error))
        except HubError as error:
            if error.status in (404, 405):
                return False
            self._pull_failed("the heartbeat could not be sent", error)
            return False
        self._succeeded(last_heartbeat=iso_utc(self.clock()))
        return True

    def rotate_token(self) -> bool:
        """Replace the kiosk's token as the hub asked: saved in device.json first, then used."""
        try:
            token = self.client.rotate_token()
        except HubError as error:
            self._pull_failed("the kiosk's token could not be replaced", error)
            return False
        try:
            self.token_sink(token)
        except (OSError, ValueError, DeviceFileError) as error:
            # The old token keeps working for a while on the hub; the next step asks again.
            self._attempt_failed(f"the kiosk's new token could not be saved: {error}", BLOCKED)
            return False
        self.client.token = token
        self.client.rotation_requested = False
        log.info("Replaced the kiosk's token as the hub asked")
        return True

    def _pull_failed(self, what: str, error: HubError) -> None:
        verdict = self.policy.verdict(error.status)
        if verdict in (UNAUTHORISED, NOT_AUTHORISED_YET, RATE_LIMITED):
            self._stopped_by(error)
        else:
            self._attempt_failed(f"{what}: {error.detail}", verdict)

    # The background thread -----------------------------------------------------------------------------

    def step(self) -> bool:
        """One unit of background work: deliver one contribution, or do the pulls that are due.

        True when a contribution was delivered or failed (there may be more to do at once).
        """
        now = self.monotonic()
        if self.paused_reason is not None:
            if self._token_changed():
                log.info("The kiosk has a new token; resuming delivery")
                self._resume()
            elif now < self._recheck_at:
                return False
            else:
                self._recheck_at = now + self._pause_wait()
        if now < self._not_before:
            return False
        if self.client.rotation_requested:
            self.rotate_token()
        due = self._due_now()
        if due:
            try:
                return self._deliver(due[0], upcoming=due[1] if len(due) > 1 else None).outcome != "waiting"
            except _Stop:
                return False
        # Scheduled on the monotonic clock: the wall clock of a Pi jumps when NTP first answers.
        self.state.keep_only(c.uuid for c in self.store.pending())
        pulls = (("config", self.catalogue is not None, self.pull_config),
                 ("gallery", self.gallery is not None, self.pull_gallery),
                 ("heartbeat", True, self.send_heartbeat))
        for name, wanted, pull in pulls:
            if wanted and now >= self._due[name]:
                failures = self.failures
                pull()
                if self.failures > failures:
                    # One failure is enough to learn the hub is out of reach; the rest waits with it.
                    self._due[name] = max(self._due[name], now + self._next_wait())
                    return False
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
        self.uploader.close()

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
                self._attempt_failed(f"internal error while syncing: {error}", BLOCKED)
                did = False
            if not did:
                self._wait(self._next_wait())

    def _next_wait(self) -> float:
        now = self.monotonic()
        if self.paused_reason is not None:
            return max(0.0, self._recheck_at - now)
        if self.failures:
            wait = self.policy.wait_after(self.failures, self.interval, self.chance)
        else:
            wait = self.interval
        self._deferred = {uuid: until for uuid, until in self._deferred.items() if until > now}
        if self.store.pending():
            # Contributions put aside after a 5xx are due again before the backoff may be over.
            wait = min([wait, *(until - now for until in self._deferred.values())])
        else:
            wait = min(wait, *(due - now for due in self._due.values()))
        return max(wait, self._not_before - now, 0.0)

    def _wait(self, seconds: float) -> None:
        """Sleep until woken, stopped or `seconds` pass; notice a network that comes back or a new token."""
        deadline = self.monotonic() + seconds
        # After a network failure, a connect that succeeds after one that failed means the network is back.
        # The failure itself counts as the first failed connect, unless a probe woke the last wait already.
        probing = self._last_verdict == NETWORK
        seen_down = probing and not self._probe_woke
        self._probe_woke = False
        while not self._stopping.is_set():
            left = deadline - self.monotonic()
            if left <= 0:
                return
            watching = probing or self.paused_reason is not None
            if self._wake.wait(min(left, self.policy.probe_every) if watching else left):
                return
            if self.paused_reason is not None and self._token_changed():
                return
            if probing:
                if self.client.reachable(self.policy.probe_timeout):
                    if seen_down:
                        self._probe_woke = True
                        return
                else:
                    seen_down = True

    # Bookkeeping -------------------------------------------------------------------------------------------

    def _pause(self, reason: str, verdict: str, wait: float) -> str:
        self.paused_reason = reason
        self.unauthorised = True
        self._recheck_at = self.monotonic() + wait
        return self._attempt_failed(reason, verdict)

    def _pause_wait(self) -> float:
        if self._last_verdict == NOT_AUTHORISED_YET:
            return self.policy.not_authorised_yet_wait
        return self.policy.unauthorised_wait

    def _resume(self) -> None:
        self.paused_reason = None
        self.unauthorised = False
        self._recheck_at = float("-inf")
        self.failures = 0
        self.status.update(paused_reason=None)

    def _token_changed(self) -> bool:
        try:
            token = self.token_source()
        except (OSError, ValueError, DeviceFileError):
            return False
        if token and token != self.client.token:
            self.client.token = token
            return True
        return False

    def _succeeded(self, error: str | None = None, **status) -> None:
        self.failures = 0
        self._last_verdict = None
        self._hub_trouble_streak = 0
        if self.paused_reason is not None:
            self._resume()
        self.last_error = error
        now = iso_utc(self.clock())
        self.status.update(last_attempt=now, last_success=now, last_error=error, next_attempt=None, **status)

    def _attempt_failed(self, error: str, verdict: str, wait: float | None = None) -> str:
        self.failures += 1
        self._last_verdict = verdict
        self.last_error = error
        log.warning("Sync: %s", error)
        if wait is None:
            wait = self.policy.wait_after(self.failures, self.interval, self.chance)
        self.status.update(last_attempt=iso_utc(self.clock()), last_error=error, paused_reason=self.paused_reason,
                           next_attempt=iso_utc(self.clock() + wait))
        return error


def _save_device_token(data_dir: Path) -> Callable[[str], None]:
    """Write a new token into device.json, keeping the rest of the pairing."""

    def save(token: str) -> None:
        device = load_device(data_dir)
        if device is None:
            raise ValueError(f"there is no device.json in {data_dir} to keep it in")
        save_device(data_dir, replace(device, token=token))

    return save


def _device_token(data_dir: Path) -> Callable[[], str | None]:
    """The token in the kiosk's device.json, read each time: `agora-kiosk pair` may replace it at any moment."""

    def token() -> str | None:
        device = load_device(data_dir)
        return device.token if device else None

    return token
