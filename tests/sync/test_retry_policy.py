"""How long the agent waits between attempts, and what each answer means, is one small table of data."""

import random
import time

from sync.retry import (
    HUB_TROUBLE,
    NETWORK,
    NOT_AUTHORISED_YET,
    RATE_LIMITED,
    REFUSED,
    UNAUTHORISED,
    RetryPolicy,
)

from .conftest import Kiosk, story


def test_the_wait_doubles_with_each_failure_up_to_the_cap():
    policy = RetryPolicy(backoff_base=5, backoff_factor=2, backoff_cap=60, jitter=0)

    assert [policy.wait_after(failures, interval=30) for failures in range(7)] == [30, 5, 10, 20, 40, 60, 60]


def test_jitter_spreads_the_kiosks_of_a_museum_within_a_fifth_of_the_wait():
    policy = RetryPolicy(backoff_base=10, jitter=0.2)
    chance = random.Random(1962)

    waits = [policy.wait_after(1, interval=30, chance=chance) for _ in range(200)]

    assert all(8 <= wait <= 12 for wait in waits)
    assert len({round(wait, 3) for wait in waits}) > 100


def test_the_hub_verdicts_are_data():
    policy = RetryPolicy()

    assert [policy.verdict(status) for status in (409, 422, 413)] == [REFUSED] * 3
    assert policy.verdict(401) == UNAUTHORISED
    assert policy.verdict(403) == NOT_AUTHORISED_YET
    assert policy.verdict(429) == RATE_LIMITED
    assert [policy.verdict(status) for status in (500, 502, 503, 504)] == [HUB_TROUBLE] * 4
    assert policy.verdict(None) == NETWORK


def test_a_retry_after_is_honoured_but_a_silly_one_is_capped():
    policy = RetryPolicy(retry_after_cap=900, backoff_base=5, jitter=0)

    assert policy.retry_after(42, failures=1) == 42
    assert policy.retry_after(7 * 86400, failures=1) == 900
    assert policy.retry_after(None, failures=2) == 10


def test_urllib3_reconnects_by_itself_but_never_resends_a_half_sent_body():
    retry = RetryPolicy(connect_retries=2).urllib3_retry()

    assert retry.connect == 2
    assert retry.read is False
    assert retry.status == 0
    assert retry.respect_retry_after_header is False


def test_a_wake_makes_the_thread_try_again_at_once(tmp_path):
    # Nothing listens on port 9: every attempt fails fast, so only the waits between attempts take time.
    kiosk = Kiosk(tmp_path, "http://127.0.0.1:9", "t" * 43, policy=RetryPolicy(backoff_base=60))
    kiosk.agent.interval = 60
    kiosk.submit(story())
    kiosk.agent.start()
    deadline = time.monotonic() + 5
    while kiosk.agent.failures < 1 and time.monotonic() < deadline:
        time.sleep(0.02)

    kiosk.agent.wake()
    while kiosk.agent.failures < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    kiosk.agent.stop()

    assert kiosk.agent.failures == 2
    assert kiosk.store.counts()["pending"] == 1


def test_stop_ends_the_thread_promptly(tmp_path):
    kiosk = Kiosk(tmp_path, "http://127.0.0.1:9", "t" * 43)
    kiosk.agent.interval = 600
    kiosk.agent.start()
    assert kiosk.agent.running
    started = time.monotonic()

    kiosk.agent.stop()

    assert time.monotonic() - started < 1
    assert not kiosk.agent.running
