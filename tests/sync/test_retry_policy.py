"""How long the agent waits between attempts is one small table, and waking it skips the wait."""

import time

from sync.agent import RetryPolicy

from .conftest import Kiosk, story


def test_the_wait_grows_with_consecutive_failures_then_stays_at_the_last_step():
    policy = RetryPolicy(backoff=(30, 60, 120, 300))

    assert [policy.wait_after(failures, interval=30) for failures in range(7)] == [30, 30, 60, 120, 300, 300, 300]


def test_the_wait_is_never_shorter_than_the_configured_interval():
    assert RetryPolicy(backoff=(5, 10)).wait_after(1, interval=30) == 30


def test_the_hub_verdicts_are_data():
    policy = RetryPolicy()

    assert policy.refused_statuses == {409, 422}
    assert policy.unauthorised_statuses == {401, 403}


def test_a_wake_makes_the_thread_try_again_at_once(tmp_path):
    # Nothing listens on port 9: every attempt fails fast, so only the waits between attempts take time.
    kiosk = Kiosk(tmp_path, "http://127.0.0.1:9", "t" * 43)
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
