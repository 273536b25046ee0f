"""Through Wi-Fi that drops, cuts, stalls, errs and loses the hub for seconds, every story arrives exactly once."""

import hashlib
import time
from urllib.parse import urlsplit

import pytest

from sync.retry import RetryPolicy

from .conftest import Kiosk, story_with_media
from .faultproxy import FaultProxy, Faults

# Waits shrunk a hundredfold so that a run through hundreds of faults takes seconds, not hours.
QUICK = RetryPolicy(backoff_base=0.05, backoff_cap=0.5, probe_every=0.1, probe_timeout=0.2, item_wait=0.1,
                    connect_backoff=0.05, retry_after_cap=1, not_authorised_yet_wait=0.2, unauthorised_wait=0.2)


@pytest.fixture
def roomy_hub(settings):
    """The hub's rate limits raised: this test is about the network, not about a kiosk sending too much."""
    settings.AGORA_HUB_RATE_LIMITS = {scope: (1_000_000, 60) for scope in settings.AGORA_HUB_RATE_LIMITS}


def bad_wifi(live_server, faults: Faults, seed: int) -> FaultProxy:
    address = urlsplit(live_server.url)
    return FaultProxy(address.port, faults, seed=seed, upstream_host=address.hostname)


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def stored_bytes(blob) -> bytes:
    from django.core.files.storage import default_storage

    with default_storage.open(blob.file) as handle:
        return handle.read()


@pytest.mark.slow
def test_two_hundred_stories_with_photos_and_recordings_arrive_exactly_once_through_bad_wifi(
    tmp_path, live_server, paired_hall, roomy_hub
):
    from hub.blobs.models import Blob
    from hub.contributions.models import Contribution

    faults = Faults(drop=0.03, cut=0.06, stall=0.01, lost_answer=0.04, status=0.06, throttle=0.005, stall_seconds=1.5,
                    max_stalls=4, outages_at=(250, 900), outage_seconds=2)
    with bad_wifi(live_server, faults, seed=1962) as wifi:
        kiosk = Kiosk(tmp_path, wifi.url, paired_hall[1], timeout=(1, 1), policy=QUICK, chunk_size=8192)
        submitted = kiosk.submit(*[story_with_media(kiosk.store, seed=n, photo_side=96) for n in range(100)])
        kiosk.agent.start()
        # Visitors keep coming while the backlog goes out.
        for n in range(100, 200):
            submitted += kiosk.submit(story_with_media(kiosk.store, seed=n, photo_side=96))
            kiosk.agent.wake()

        finished = wait_until(lambda: kiosk.store.counts()["pending"] == 0, seconds=150)
        kiosk.agent.stop()

    assert finished, kiosk.status()
    assert kiosk.store.counts()["failed"] == 0
    assert Contribution.objects.count() == 200
    assert sorted(str(u) for u in Contribution.objects.values_list("uuid", flat=True)) == sorted(
        c.uuid for c in submitted
    )
    for contribution in submitted:
        kept = kiosk.store.get(contribution.uuid)
        assert kept.state == "delivered"
        assert set(kept.receipt["blobs"]) == {ref.sha256 for ref in contribution.media}
        received = Contribution.objects.get(uuid=contribution.uuid)
        assert [m.blob_id for m in received.media.order_by("position")] == [r.sha256 for r in contribution.media]
    for ref in {ref for contribution in submitted for ref in contribution.media}:
        blob = Blob.objects.get(pk=ref.sha256)
        assert blob.complete and blob.size == ref.size
        if ref.kind == "audio":
            assert hashlib.sha256(stored_bytes(blob)).hexdigest() == ref.sha256
    # Every kind of trouble really happened, more than once.
    kinds = ("drop", "cut", "stall", "lost_answer", "status", "throttle", "outage")
    assert all(wifi.tally.faults[kind] >= 2 for kind in kinds), wifi.tally
    assert kiosk.status()["progress"] is None
