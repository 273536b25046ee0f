"""The store keeps every submitted contribution on disk, once, through double taps, crashes and two processes."""

import json
import multiprocessing
import os
import stat
import threading

import pytest

from kiosk.contribution import Draft, InvalidContribution
from kiosk.fsutil import TEMP_SUFFIX
from kiosk.store import Store, StoreError
from sync.protocol import new_uuid7


class FakeClock:
    def __init__(self, now: float = 1_795_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def story(text: str = "La fête des moissons de 1962.", **changes) -> Draft:
    return Draft(exhibit="la-tapisserie", prompt="souvenir", text=text, **changes)


@pytest.fixture
def hall(tmp_path):
    store = Store(tmp_path / "hall", clock=FakeClock(), clock_synchronised=lambda: True)
    yield store
    store.close()


def test_a_submitted_contribution_is_pending_with_its_time(hall):
    draft = story(author_name="Alice")

    contribution = hall.submit(draft)

    assert contribution.uuid == draft.uuid
    assert contribution.state == "pending"
    assert contribution.created_at == "2026-11-18T11:06:40.000Z"
    assert contribution.clock_synchronised is True
    assert hall.pending() == [contribution]
    assert hall.get(draft.uuid) == contribution


def test_a_submitted_contribution_survives_reopening_the_store(tmp_path):
    draft = story()
    Store(tmp_path).submit(draft)

    reopened = Store(tmp_path)

    assert reopened.get(draft.uuid).text == draft.text
    assert reopened.counts() == {"pending": 1, "delivered": 0, "failed": 0, "quarantined": 0, "archived": 0}


def test_a_double_tap_on_submit_stores_one_contribution(hall):
    draft = story()

    first = hall.submit(draft)
    second = hall.submit(draft)

    assert second == first
    assert hall.counts()["pending"] == 1


def test_an_invalid_draft_is_refused_and_nothing_is_stored(hall):
    with pytest.raises(InvalidContribution) as raised:
        hall.submit(story(text="   "))

    assert [p.code for p in raised.value.problems] == ["empty"]
    assert hall.counts() == {"pending": 0, "delivered": 0, "failed": 0, "quarantined": 0, "archived": 0}


def test_pending_contributions_come_oldest_first_even_if_the_clock_jumps_back(tmp_path):
    clock = FakeClock()
    store = Store(tmp_path, clock=clock)
    first = store.submit(story("first"))
    clock.now -= 3600
    second = store.submit(story("second"))

    assert [c.uuid for c in store.pending()] == [first.uuid, second.uuid]


def test_oldest_first_follows_the_order_of_submission_not_the_uuid_time(tmp_path):
    """A Pi without a battery clock can make a uuid v7 that sorts before an older one."""
    store = Store(tmp_path, clock=FakeClock())
    early = store.submit(story("written first, after NTP set the clock", uuid=new_uuid7(1_795_000_000.0)))
    late = store.submit(story("written second, with the clock back in 1970", uuid=new_uuid7(3600.0)))

    assert late.uuid < early.uuid
    assert [c.uuid for c in Store(tmp_path).pending()] == [early.uuid, late.uuid]


def test_a_contribution_is_frozen_once_pending(hall):
    first = hall.submit(story("Alice's words"))

    again = hall.submit(story("Someone changed them", uuid=first.uuid))

    assert again == first
    assert hall.get(first.uuid).text == "Alice's words"


def test_a_delivered_contribution_keeps_its_receipt_and_leaves_the_queue(hall):
    contribution = hall.submit(story())
    receipt = {"uuid": contribution.uuid, "receipt": contribution.receipt_code, "received_at": "x", "blobs": []}

    hall.mark_delivered(contribution.uuid, receipt)

    stored = hall.get(contribution.uuid)
    assert stored.state == "delivered"
    assert stored.receipt == receipt
    assert stored.text == contribution.text
    assert hall.pending() == []
    assert hall.counts() == {"pending": 0, "delivered": 1, "failed": 0, "quarantined": 0, "archived": 1}


def test_a_failed_contribution_keeps_its_reason_and_stays_on_the_kiosk(hall):
    contribution = hall.submit(story())

    hall.mark_failed(contribution.uuid, "refused by the hub (422): exhibit: unknown")

    stored = hall.get(contribution.uuid)
    assert stored.state == "failed"
    assert stored.failure == "refused by the hub (422): exhibit: unknown"
    assert hall.failed() == [stored]
    assert hall.pending() == []


def test_a_delivered_contribution_can_never_become_failed(hall):
    contribution = hall.submit(story())
    hall.mark_delivered(contribution.uuid, {"uuid": contribution.uuid, "receipt": "X"})

    with pytest.raises(StoreError, match="already delivered"):
        hall.mark_failed(contribution.uuid, "late refusal")

    assert hall.get(contribution.uuid).state == "delivered"


def test_marking_an_unknown_contribution_is_an_error(hall):
    with pytest.raises(StoreError, match="no contribution"):
        hall.mark_delivered("01a21c97-0c2b-773f-b106-31c3f4cbcf36", {})


def test_the_store_file_is_readable_only_by_the_kiosk(hall):
    hall.submit(story())

    assert stat.S_IMODE(os.stat(hall.path).st_mode) == 0o600


def test_a_temp_file_left_by_a_crash_is_removed_when_the_store_opens(tmp_path):
    Store(tmp_path).submit(story())
    leftover = tmp_path / f".store.json.k3j2{TEMP_SUFFIX}"
    leftover.write_text('{"contributions": {"1": {"uu')

    store = Store(tmp_path)

    assert not leftover.exists()
    assert store.counts()["pending"] == 1


def test_a_damaged_store_file_is_kept_aside_and_the_kiosk_keeps_collecting(tmp_path):
    (tmp_path / "store.json").write_text('{"contributions": {"1": {"uu')

    store = Store(tmp_path)
    store.submit(story())

    assert store.counts()["pending"] == 1
    kept = list(tmp_path.glob("store.damaged-*.json"))
    assert [path.read_text() for path in kept] == ['{"contributions": {"1": {"uu']


def test_a_closed_store_refuses_work(hall):
    hall.close()

    with pytest.raises(StoreError, match="closed"):
        hall.pending()


def _submit_many(folder, count, texts_prefix):
    store = Store(folder)
    for number in range(count):
        store.submit(story(f"{texts_prefix} {number}"))


def _deliver_all(folder, rounds):
    store = Store(folder)
    for _ in range(rounds):
        for contribution in store.pending():
            store.mark_delivered(contribution.uuid, {"uuid": contribution.uuid, "receipt": "R"})


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    """The app and `agora-kiosk sync --once` share the store; neither may erase the other's writes."""
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_submit_many, args=(tmp_path, 40, "hall")),
        context.Process(target=_submit_many, args=(tmp_path, 40, "entrance")),
        context.Process(target=_deliver_all, args=(tmp_path, 30)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0

    store = Store(tmp_path)
    counts = store.counts()
    assert counts["pending"] + counts["delivered"] == 80
    live = list(json.loads((tmp_path / "store.json").read_text())["contributions"].values())
    archived = [json.loads(path.read_text()) for path in (tmp_path / "archive").glob("*.json")]
    records = live + archived
    assert len(records) == len({record["uuid"] for record in records}) == 80
    assert {record["text"] for record in records} == {f"{where} {n}" for where in ("hall", "entrance")
                                                      for n in range(40)}


def test_the_screen_and_the_sync_thread_can_use_one_store_together(hall):
    submitted = []

    def visitor_taps():
        for number in range(30):
            submitted.append(hall.submit(story(f"story {number}")).uuid)

    def sync_thread():
        for _ in range(30):
            for contribution in hall.pending():
                hall.mark_delivered(contribution.uuid, {"uuid": contribution.uuid, "receipt": "R"})

    threads = [threading.Thread(target=visitor_taps), threading.Thread(target=sync_thread)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    counts = hall.counts()
    assert counts["pending"] + counts["delivered"] == 30
    assert {hall.get(uuid).text for uuid in submitted} == {f"story {n}" for n in range(30)}
