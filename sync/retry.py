"""Every retry decision of the sync agent as one small table: what each hub answer means, and how long to wait."""

from __future__ import annotations

import random
from dataclasses import dataclass

from urllib3.util.retry import Retry

# What an answer means for the item being sent and for delivery as a whole.
REFUSED = "refused"  # the hub's final verdict on this contribution: mark it failed, carry on with the next
UNAUTHORISED = "unauthorised"  # the token is not accepted: stop all delivery until the kiosk is re-paired
NOT_AUTHORISED_YET = "not authorised yet"  # a curator must authorise this kiosk: stop, look again now and then
RATE_LIMITED = "rate limited"  # the hub asks for a pause: wait at least Retry-After
HUB_TROUBLE = "hub trouble"  # a 5xx about this request: try this item later, carry on with the next
NETWORK = "network"  # nothing or half came back: stop this pass, probe, retry soon
BLOCKED = "blocked"  # a permanent answer about the request itself (e.g. an old hub): stop, say so


@dataclass(frozen=True)
class RetryPolicy:
    """The rules, as data. Statuses not listed here that are 5xx, or no answer at all, are transient."""

    refused_statuses: frozenset[int] = frozenset({400, 409, 410, 413, 415, 422})
    unauthorised_statuses: frozenset[int] = frozenset({401, 403})
    rate_limited_statuses: frozenset[int] = frozenset({429})
    # After 1, 2, 3... consecutive failed attempts: base * factor ** (n - 1), at most cap, then +-jitter
    # (spread so that the kiosks of a museum do not all knock at once when its hub comes back).
    backoff_base: float = 5
    backoff_factor: float = 2
    backoff_cap: float = 300
    jitter: float = 0.2
    # While waiting after a network failure, a TCP connect to the hub this often notices its return.
    probe_every: float = 3
    probe_timeout: float = 1
    # A Retry-After longer than this is not believed (a misconfigured proxy must not stop a kiosk for days).
    retry_after_cap: float = 900
    # 401: look at device.json often (a re-pair resumes at once), ask the hub again rarely.
    unauthorised_wait: float = 600
    # 403 "waiting for a curator": ask the hub again about once a minute.
    not_authorised_yet_wait: float = 60
    # A contribution the hub answered 5xx for is tried again after this, while the next ones go ahead.
    item_wait: float = 30
    # This many 5xx in a row for different items means the hub itself is in trouble: stop the pass.
    hub_trouble_streak: int = 3
    # A 422 naming missing blobs, or a receipt not listing them all, is answered by re-uploading once.
    reuploads: int = 1
    # 409 "wrong offset" during an upload: follow the hub's offset this many times per blob.
    offset_conflicts: int = 3
    # Connection errors before any byte was sent are retried inside urllib3, quickly, this many times.
    connect_retries: int = 2
    connect_backoff: float = 0.2
    config_interval: float = 300
    gallery_interval: float = 600
    heartbeat_interval: float = 180
    # A kiosk clock this far from the hub's Date header is corrected in what is sent.
    clock_correction_threshold: float = 86400

    def verdict(self, status: int | None) -> str:
        """What an answer (None: no answer) means; the agent acts on this word only."""
        if status is None:
            return NETWORK
        if status in self.unauthorised_statuses:
            return NOT_AUTHORISED_YET if status == 403 else UNAUTHORISED
        if status in self.rate_limited_statuses:
            return RATE_LIMITED
        if status in self.refused_statuses:
            return REFUSED
        if status >= 500 or status == 408:
            return HUB_TROUBLE
        return BLOCKED

    def wait_after(self, failures: int, interval: float, chance: random.Random | None = None) -> float:
        """Seconds before the next attempt after `failures` consecutive failed ones (0: the normal interval)."""
        if failures <= 0:
            return interval
        wait = min(self.backoff_cap, self.backoff_base * self.backoff_factor ** (failures - 1))
        if self.jitter:
            wait *= 1 + (chance or random).uniform(-self.jitter, self.jitter)
        return wait

    def retry_after(self, seconds: float | None, failures: int) -> float:
        """How long to pause for a 429: the hub's Retry-After when given and believable, else the backoff."""
        if seconds is None or seconds < 0:
            return self.wait_after(max(failures, 1), 0)
        return min(seconds, self.retry_after_cap)

    def urllib3_retry(self) -> Retry:
        """urllib3's own retry, for what it does safely: reconnecting when not one byte left the kiosk.

        Read errors and statuses are not retried there: a half-sent upload is resumed from the hub's offset
        and a 429 or 5xx goes through `verdict`, with waits the agent can cut short on stop().
        """
        return Retry(
            total=self.connect_retries,
            connect=self.connect_retries,
            read=False,
            redirect=0,
            status=0,
            other=0,
            backoff_factor=self.connect_backoff,
            raise_on_status=False,
            respect_retry_after_header=False,
        )


DEFAULT_POLICY = RetryPolicy()
