"""Counting requests per device or address in fixed windows, in the database so every worker shares the counts.

Writing the shared counter on every request made rate limiting the costliest part of a small request (two
write transactions, which every gunicorn worker queues for). Each worker therefore counts in memory and adds
its count to the shared one in batches: at most every FLUSH_EVERY requests or FLUSH_SECONDS seconds per
counter, and on every request once the count it knows of reaches half the limit, so near the limit every
request is counted in the database as before and a refusal is exact. Far below the limit, what the other
workers counted but have not added yet is at most (workers - 1) x FLUSH_EVERY requests, or a second's worth.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.signals import setting_changed
from django.db import IntegrityError, connection, transaction

from hub.devices.models import RequestCount
from hub.durability import lazy_commits

# Counters older than this are of no use to any window and are cleared when a new window opens.
_KEEP = timedelta(days=1)
FLUSH_EVERY = 16
FLUSH_SECONDS = 1.0


@dataclass
class _Counter:
    shared: int = 0  # the database's count when this worker last added to it (its own requests included)
    unsent: int = 0  # this worker's requests not yet added to the database
    sent_at: float = float("-inf")
    ends: float = float("inf")  # when its window ends


_counters: dict[str, _Counter] = {}
_lock = threading.Lock()


def hit(scope: str, subject: str, now: float | None = None) -> int | None:
    """Counts one request; None if it is within the limit, else the seconds until the window ends."""
    limit, window = settings.AGORA_HUB_RATE_LIMITS[scope]
    now = time.time() if now is None else now
    index = int(now // window)
    key = f"{scope}:{subject}:{index}"
    with _lock:
        counter = _counters.get(key)
        if counter is None:
            _forget_ended(now)
            counter = _counters[key] = _Counter(ends=(index + 1) * window)
        counter.unsent += 1
        count = counter.shared + counter.unsent
        due = counter.unsent >= FLUSH_EVERY or now - counter.sent_at >= FLUSH_SECONDS or count * 2 >= limit
        if due:
            counter.shared = _add(key, counter.unsent, index, window)
            counter.unsent, counter.sent_at = 0, now
            count = counter.shared
    if count <= limit:
        return None
    return max(1, math.ceil((index + 1) * window - now))


def _forget_ended(now: float) -> None:
    """Drops the counters of windows that have ended: their unsent counts no longer matter to any limit."""
    for key in [key for key, counter in _counters.items() if counter.ends <= now]:
        del _counters[key]


def _add(key: str, count: int, index: int, window: int) -> int:
    """Adds `count` requests to the shared counter; its total afterwards."""
    # A count a power cut takes back only lets a few more requests through: not worth a flush to disk.
    with lazy_commits():
        return _add_now(key, count, index, window)


def _add_now(key: str, count: int, index: int, window: int) -> int:
    total = _increment(key, count)
    if total is None:
        start = datetime.fromtimestamp(index * window, UTC)
        try:
            with transaction.atomic():
                RequestCount.objects.create(key=key, window_start=start, count=count)
            total = count
            RequestCount.objects.filter(window_start__lt=start - _KEEP).delete()
        except IntegrityError:
            total = _increment(key, count) or count
    return total


def _increment(key: str, count: int) -> int | None:
    """The window's count after adding `count`, or None if the window has no counter yet.

    One statement (SQLite 3.35+ and PostgreSQL both know RETURNING).
    """
    table = connection.ops.quote_name(RequestCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET count = count + %s WHERE key = %s RETURNING count",  # noqa: S608
            [count, key],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def forget_counts() -> None:
    """Drops this worker's unsent counts (when the limits change, and between tests)."""
    with _lock:
        _counters.clear()


def _on_setting_changed(setting, **kwargs) -> None:
    if setting == "AGORA_HUB_RATE_LIMITS":
        forget_counts()


setting_changed.connect(_on_setting_changed)


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the one AGORA_HUB_PROXIES trusted proxies put in X-Forwarded-For."""
    proxies = settings.AGORA_HUB_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR") or "unknown"
