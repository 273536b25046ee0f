"""The agent notices at once when the network comes back, even in the middle of a long wait."""

import time
from urllib.parse import urlsplit

from sync.retry import RetryPolicy

from .conftest import Kiosk, story
from .faultproxy import FaultProxy, Faults
from .test_fault_injection import wait_until


def test_a_network_that_comes_back_is_noticed_within_seconds_not_at_the_next_backoff(
    tmp_path, live_server, paired_hall
):
    address = urlsplit(live_server.url)
    # After one failure the agent would wait a full minute; a quick connect every half second cuts that short.
    patient = RetryPolicy(backoff_base=60, jitter=0, probe_every=0.5, connect_retries=0)
    with FaultProxy(address.port, Faults(), upstream_host=address.hostname) as wifi:
        kiosk = Kiosk(tmp_path, wifi.url, paired_hall[1], policy=patient)
        kiosk.agent.interval = 60
        wifi.outage(2)
        [contribution] = kiosk.submit(story("Chloé's dance"))
        kiosk.agent.start()
        assert wait_until(lambda: kiosk.status()["last_error"], seconds=3)
        assert "could not reach the hub" in kiosk.status()["last_error"]
        failed_at = time.monotonic()

        delivered = wait_until(lambda: kiosk.store.get(contribution.uuid).state == "delivered", seconds=10)
        kiosk.agent.stop()

    assert delivered
    assert time.monotonic() - failed_at < 5


def test_a_new_story_is_sent_within_a_second_of_the_wake(hall):
    hall.agent.interval = 60
    hall.agent.start()
    time.sleep(0.3)
    [contribution] = hall.submit(story())

    hall.agent.wake()

    assert wait_until(lambda: hall.store.get(contribution.uuid).state == "delivered", seconds=1)
    hall.agent.stop()
