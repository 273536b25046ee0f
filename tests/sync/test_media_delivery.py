"""Photos and recordings reach the hub whole, once: only what the hub lacks is sent, and a cut upload resumes."""

import json

import pytest
import requests

from sync.client import BodySlice, HubError

from .conftest import FakeMonotonic, Kiosk, sha256, story, story_with_media


class Recorder(requests.Session):
    """The network, noting every request (method, path, body bytes) so a test can see what the kiosk sent."""

    def __init__(self, on_request=None):
        super().__init__()
        self.sent = []
        self.on_request = on_request

    def request(self, method, url, *args, **kwargs):
        body = kwargs.get("data")
        size = len(body) if body is not None and hasattr(body, "__len__") else 0
        self.sent.append((method, requests.utils.urlparse(url).path, size))
        if self.on_request is not None:
            self.on_request(method, url)
        return super().request(method, url, *args, **kwargs)

    def blob_bytes(self) -> int:
        return sum(size for method, path, size in self.sent if method == "PUT" and "/blobs/" in path)


def hub_blob(digest: str):
    from hub.blobs.models import Blob

    return Blob.objects.filter(pk=digest).first()


def test_a_story_with_a_photo_and_a_recording_arrives_with_both_files(tmp_path, live_server, paired_hall):
    from hub.contributions.models import Contribution

    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1])
    [contribution] = kiosk.submit(story_with_media(kiosk.store, seed=1, text="Le métier à tisser de ma tante"))

    report = kiosk.agent.run_once()

    assert [r.uuid for r in report.delivered] == [contribution.uuid]
    receipt = kiosk.store.get(contribution.uuid).receipt
    assert receipt["blobs"] == [ref.sha256 for ref in contribution.media]
    received = Contribution.objects.get(uuid=contribution.uuid)
    assert [m.blob_id for m in received.media.order_by("position")] == [ref.sha256 for ref in contribution.media]
    for ref in contribution.media:
        blob = hub_blob(ref.sha256)
        assert blob.complete and blob.size == ref.size


def test_a_story_of_only_a_recording_needs_no_text(tmp_path, live_server, paired_hall):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1])
    [contribution] = kiosk.submit(story_with_media(kiosk.store, seed=2, text="", photos=0, recordings=1))

    assert [r.uuid for r in kiosk.agent.run_once().delivered] == [contribution.uuid]


def test_a_file_the_hub_already_holds_is_not_sent_again(tmp_path, live_server, paired_hall):
    network = Recorder()
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], session=network)
    first, second = kiosk.submit(story_with_media(kiosk.store, seed=3), story("Bob's second thoughts"))
    # Bob tells a second story with the same photo: the hub has it from the first one.
    again = kiosk.submit(story("Bob again", media=[first.media[0]]))[0]

    kiosk.agent.run_once()

    photo_puts = [s for s in network.sent if s[0] == "PUT" and s[1].endswith(first.media[0].sha256)]
    assert len(photo_puts) == 1
    assert kiosk.store.get(again.uuid).state == "delivered"
    assert network.blob_bytes() == sum(ref.size for ref in first.media)


def test_a_cut_upload_resumes_from_the_offset_the_hub_reports(tmp_path, live_server, paired_hall):
    network = Recorder()
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], session=network, chunk_size=4096)
    [contribution] = kiosk.submit(story_with_media(kiosk.store, seed=4, photos=1, recordings=0, photo_side=128))
    ref = contribution.media[0]
    # An earlier attempt got the first 5000 bytes through before the kiosk was switched off, so this run of the
    # agent does not know of it: the hub's 409 names the offset, at the cost of the one chunk it refused.
    with kiosk.store.media_path(ref.sha256).open("rb") as handle:
        kiosk.client.put_blob(ref.sha256, ref.type, BodySlice(handle, 0, 5000), ref.size)
    network.sent.clear()

    report = kiosk.agent.run_once()

    assert [r.uuid for r in report.delivered] == [contribution.uuid]
    assert network.blob_bytes() <= ref.size - 5000 + 4096
    puts = [s for s in network.sent if s[0] == "PUT" and "/blobs/" in s[1]]
    assert all(size <= 4096 for _, _, size in puts)
    assert hub_blob(ref.sha256).complete


def test_an_upload_the_kiosk_began_asks_the_hub_first_and_sends_only_the_rest(tmp_path, live_server, paired_hall):
    puts = []

    def wifi_drops_after_the_first_chunk(method, url):
        if method == "PUT" and "/blobs/" in url:
            puts.append(url)
            if len(puts) == 2:
                raise requests.ConnectionError("the Wi-Fi dropped")

    network = Recorder(wifi_drops_after_the_first_chunk)
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], session=network, chunk_size=4096)
    [contribution] = kiosk.submit(story_with_media(kiosk.store, seed=8, photos=1, recordings=0, photo_side=128))
    ref = contribution.media[0]
    assert kiosk.agent.run_once().error
    network.sent.clear()

    report = kiosk.agent.run_once()

    assert [r.uuid for r in report.delivered] == [contribution.uuid]
    assert [s[0] for s in network.sent][0] == "HEAD"
    assert network.blob_bytes() == ref.size - 4096
    assert hub_blob(ref.sha256).complete


def test_a_story_whose_photo_file_was_lost_is_failed_and_the_next_still_goes(tmp_path, live_server, paired_hall):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1])
    broken, fine = kiosk.submit(story_with_media(kiosk.store, seed=5), story_with_media(kiosk.store, seed=6))
    kiosk.store.media_path(broken.media[0].sha256).unlink()

    report = kiosk.agent.run_once()

    assert [(r.uuid, r.outcome) for r in report.results] == [(broken.uuid, "failed"), (fine.uuid, "delivered")]
    assert "missing from the kiosk" in kiosk.store.get(broken.uuid).failure


def test_progress_shows_the_story_and_the_bytes_sent_of_the_total(tmp_path, live_server, paired_hall):
    seen = []

    def look(method, url):
        if method == "PUT" and "/blobs/" in url:
            seen.append(json.loads((tmp_path / "sync_status.json").read_text())["progress"])

    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], session=Recorder(look), chunk_size=4096)
    kiosk.agent.status.progress_every = 0
    [contribution] = kiosk.submit(story_with_media(kiosk.store, seed=7, photo_side=96))
    total = sum(ref.size for ref in contribution.media)

    kiosk.agent.run_once()

    assert seen[0] == {"uuid": contribution.uuid, "receipt_code": contribution.receipt_code, "bytes_sent": 0,
                       "bytes_total": total}
    sent = [p["bytes_sent"] for p in seen]
    assert sent == sorted(sent) and sent[-1] > total // 2
    assert kiosk.status()["progress"] is None
    assert kiosk.status()["last_error"] is None


def test_progress_is_written_at_most_twice_a_second(tmp_path, live_server, paired_hall):
    clock = FakeMonotonic()
    on_disk = []

    def tick(method, url):
        if method == "PUT" and "/blobs/" in url:
            clock.now += 0.2
            on_disk.append(json.loads((tmp_path / "sync_status.json").read_text())["progress"]["bytes_sent"])

    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], session=Recorder(tick), chunk_size=1024,
                  monotonic=clock)
    kiosk.submit(story_with_media(kiosk.store, seed=8, photo_side=128, seconds=1))

    kiosk.agent.run_once()

    # One chunk every 0.2 s: the file changes at most every third chunk.
    assert len(on_disk) > 20
    assert len(set(on_disk)) <= len(on_disk) // 2


def test_a_contribution_is_not_delivered_until_the_hub_holds_every_file(tmp_path, live_server, paired_hall):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1])
    [contribution] = kiosk.submit(story_with_media(kiosk.store, seed=9))
    payload = contribution.payload()

    with pytest.raises(HubError) as refusal:
        kiosk.client.put_contribution(payload)
    assert refusal.value.status == 422
    assert sorted(refusal.value.missing) == sorted(ref.sha256 for ref in contribution.media)
    assert kiosk.store.get(contribution.uuid).state == "pending"

    kiosk.agent.run_once()

    assert kiosk.store.get(contribution.uuid).state == "delivered"
    assert sha256(kiosk.store.media_path(contribution.media[0].sha256).read_bytes()) == contribution.media[0].sha256
