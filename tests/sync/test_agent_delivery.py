"""Contributions reach the real hub exactly once: never lost, never duplicated, whatever the network does."""

import errno
import json
import random
import socket
import time
from datetime import timedelta

import requests
from django.utils import timezone

from kiosk.clock import parse_iso
from kiosk.store import Store
from sync.protocol import receipt_code

from .conftest import FakeMonotonic, Kiosk, story


def states(store) -> dict:
    counts = store.counts()
    return {name: counts[name] for name in ("pending", "delivered", "failed")}


def hub_contributions():
    from hub.contributions.models import Contribution

    return Contribution.objects.all()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FlakyNetwork(requests.Session):
    """Museum Wi-Fi: some requests never leave, some answers never come back after the hub has acted."""

    def __init__(self, faults):
        super().__init__()
        self.faults = list(faults)

    def request(self, method, url, *args, **kwargs):
        fault = self.faults.pop(0) if self.faults else None
        if fault == "lost request":
            raise requests.ConnectionError("Connection reset by peer")
        answer = super().request(method, url, *args, **kwargs)
        if fault == "lost answer":
            answer.close()
            raise requests.ConnectionError("Connection reset by peer")
        return answer


def test_each_contribution_arrives_once_with_its_receipt(hall):
    submitted = hall.submit(story("Alice's first memory"), story("Bob's harvest"), story("Chloé's dance"))

    report = hall.agent.run_once()

    assert [r.uuid for r in report.delivered] == [c.uuid for c in submitted]
    assert report.ok
    assert sorted(str(c.uuid) for c in hub_contributions()) == sorted(c.uuid for c in submitted)
    for contribution in submitted:
        stored = hall.store.get(contribution.uuid)
        assert stored.state == "delivered"
        assert stored.receipt["receipt"] == receipt_code(contribution.uuid)
    assert states(hall.store) == {"pending": 0, "delivered": 3, "failed": 0}


def test_the_hub_keeps_the_text_as_the_visitor_wrote_it(hall):
    [contribution] = hall.submit(story("  Les moissons, l'été 1962 — « inoubliables ».  ", author_name=" Bob "))

    hall.agent.run_once()

    received = hub_contributions().get()
    assert received.text == "Les moissons, l'été 1962 — « inoubliables »."
    assert received.author_name == "Bob"
    assert received.exhibit.slug == "la-tapisserie"
    assert str(received.uuid) == contribution.uuid


def test_a_second_run_sends_nothing_again(hall):
    hall.submit(story())
    hall.agent.run_once()

    report = hall.agent.run_once()

    assert report.results == []
    assert hub_contributions().count() == 1


def test_a_resend_after_losing_the_delivered_mark_is_not_duplicated(hall):
    [contribution] = hall.submit(story())
    # A power cut right after the hub answered: the kiosk's disk still says "pending".
    before = (hall.folder / "store.json").read_bytes()
    first = hall.agent.run_once().delivered
    first_receipt = hall.store.get(contribution.uuid).receipt
    (hall.folder / "store.json").write_bytes(before)
    assert hall.store.get(contribution.uuid).state == "pending"

    report = hall.agent.run_once()

    assert [r.uuid for r in first] == [r.uuid for r in report.delivered] == [contribution.uuid]
    assert hall.store.get(contribution.uuid).receipt == first_receipt
    assert hub_contributions().count() == 1


def test_an_answer_lost_on_the_way_back_is_recovered_by_the_resend(tmp_path, live_server, paired_hall):
    _, token = paired_hall
    kiosk = Kiosk(tmp_path, live_server.url, token, session=FlakyNetwork(["lost answer"]))
    [contribution] = kiosk.submit(story())

    lost = kiosk.agent.run_once()

    assert lost.delivered == []
    assert "could not reach the hub" in lost.error
    assert kiosk.store.get(contribution.uuid).state == "pending"
    assert hub_contributions().count() == 1

    recovered = kiosk.agent.run_once()

    assert [r.uuid for r in recovered.delivered] == [contribution.uuid]
    assert hub_contributions().count() == 1


def test_a_conflicting_contribution_is_failed_and_the_next_one_still_goes(hall):
    reused, fine = hall.submit(story("Alice's memory"), story("Bob's harvest"))
    # Another body already took the first uuid on the hub (say, a kiosk restored from an old backup).
    other = dict(reused.payload(), text="Someone else's words")
    hall.client.put_contribution(other)

    report = hall.agent.run_once()

    assert [(r.uuid, r.outcome) for r in report.results] == [(reused.uuid, "failed"), (fine.uuid, "delivered")]
    failed = hall.store.get(reused.uuid)
    assert failed.state == "failed"
    assert "409" in failed.failure
    assert failed.text == "Alice's memory"
    assert hub_contributions().get(uuid=reused.uuid).text == "Someone else's words"
    assert hall.store.get(fine.uuid).state == "delivered"
    assert not report.ok


def test_a_contribution_for_an_unknown_exhibit_is_failed_with_the_hubs_reason(hall):
    [lost_wall] = hall.submit(story(exhibit="le-mur-disparu"))

    did_work = hall.agent.deliver_one()

    assert did_work
    failure = hall.store.get(lost_wall.uuid).failure
    assert "422" in failure
    assert "le-mur-disparu" in failure
    assert "le-mur-disparu" in hall.status()["last_error"]
    assert hall.status()["last_success"] is not None
    assert hub_contributions().count() == 0


def test_a_revoked_kiosk_stops_delivering_and_says_to_re_pair(hall, paired_hall):
    from hub.devices.models import Device

    device_id, _ = paired_hall
    Device.objects.filter(pk=device_id).update(revoked_at=timezone.now())
    hall.submit(story("first"), story("second"))

    report = hall.agent.run_once()

    assert report.results == []
    assert "device not authorised: re-pair this kiosk" in report.error
    assert "revoked" in report.error
    assert hall.store.counts()["pending"] == 2
    assert "device not authorised: re-pair this kiosk" in hall.status()["last_error"]
    assert hall.agent.unauthorised
    assert hub_contributions().count() == 0


def test_an_unreachable_hub_leaves_everything_pending_in_plain_words(tmp_path):
    kiosk = Kiosk(tmp_path, closed_port_url(), "t" * 43)
    kiosk.submit(story("first"), story("second"))

    report = kiosk.agent.run_once()

    assert report.results == []
    assert "could not reach the hub" in report.error
    assert "connection was refused" in report.error
    assert states(kiosk.store) == {"pending": 2, "delivered": 0, "failed": 0}
    status = kiosk.status()
    assert status["last_success"] is None
    assert status["last_attempt"] == "2026-11-18T11:06:40.000Z"
    assert "could not reach the hub" in status["last_error"]
    assert kiosk.agent.failures == 1


def test_a_wifi_that_drops_half_the_requests_still_delivers_everything_exactly_once(
    tmp_path, live_server, paired_hall
):
    _, token = paired_hall
    chance = random.Random(1962)
    faults = [chance.choice([None, "lost request", "lost answer"]) for _ in range(200)]
    kiosk = Kiosk(tmp_path, live_server.url, token, session=FlakyNetwork(faults))
    submitted = kiosk.submit(*[story(f"story {n}") for n in range(15)])

    for _ in range(100):
        kiosk.agent.run_once()
        if not kiosk.store.pending():
            break

    assert states(kiosk.store) == {"pending": 0, "delivered": 15, "failed": 0}
    assert sorted(str(c.uuid) for c in hub_contributions()) == sorted(c.uuid for c in submitted)
    for contribution in submitted:
        assert kiosk.store.get(contribution.uuid).receipt["receipt"] == receipt_code(contribution.uuid)


def test_the_background_thread_delivers_soon_after_a_submit(hall):
    hall.agent.interval = 60
    hall.agent.start()
    [contribution] = hall.submit(story())

    hall.agent.wake()

    waited = 0.0
    while hall.store.get(contribution.uuid).state == "pending" and waited < 5:
        time.sleep(0.05)
        waited += 0.05
    hall.agent.stop()
    assert hall.store.get(contribution.uuid).state == "delivered"
    assert waited < 2


def test_the_command_line_sync_prints_each_receipt(tmp_path, live_server, paired_hall, capsys):
    from kiosk.cli import main
    from kiosk.device import Device, save_device

    device_id, token = paired_hall
    save_device(tmp_path, Device(hub_url=live_server.url, device_id=device_id, token=token, name="Hall"))
    contribution = Store(tmp_path).submit(story())

    assert main(["sync", "--once", "--data", str(tmp_path)]) == 0

    out = capsys.readouterr().out
    assert f"delivered {contribution.receipt_code}" in out
    assert "1 delivered, 0 failed, 0 still waiting" in out
    assert json.loads((tmp_path / "sync_status.json").read_text())["last_error"] is None


def test_one_background_step_delivers_one_contribution_then_pulls_the_exhibits_once(hall):
    hall.submit(story("first"), story("second"))

    assert hall.agent.step() is True
    assert hall.store.counts()["delivered"] == 1
    assert hall.agent.step() is True
    assert hall.store.counts()["delivered"] == 2
    assert hall.catalogue.revision() is None

    assert hall.agent.step() is False
    pulled = hall.catalogue.revision()
    assert pulled is not None
    assert hall.agent.step() is False
    assert hall.catalogue.revision() == pulled


def test_a_hub_with_a_full_disk_is_left_alone_as_long_as_it_asks_and_nothing_is_lost(
    tmp_path, live_server, paired_hall, monkeypatch
):
    import hub.api.kiosk

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monotonic = FakeMonotonic()
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], monotonic=monotonic)
    try:
        kiosk.submit(story("Alice's first memory"), story("Bob's harvest"))
        monkeypatch.setattr(hub.api.kiosk, "receive", disk_full)

        kiosk.agent.step()

        assert states(kiosk.store) == {"pending": 2, "delivered": 0, "failed": 0}
        status = kiosk.status()
        assert "disk is full" in status["last_error"] and "sending again in 300 s" in status["last_error"]
        assert parse_iso(status["next_attempt"]) - parse_iso(status["last_attempt"]) == timedelta(seconds=300)

        monkeypatch.undo()  # the admin frees space
        monotonic.now += 299
        assert not kiosk.agent.step()  # the hub is not asked again before its time, for either story
        assert states(kiosk.store)["pending"] == 2
        monotonic.now += 2
        while kiosk.agent.step():
            pass
        assert states(kiosk.store) == {"pending": 0, "delivered": 2, "failed": 0}
    finally:
        kiosk.agent.stop()
        kiosk.store.close()
