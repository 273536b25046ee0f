"""A kiosk whose clock is obviously wrong sends times corrected by the hub's clock, the same way on every resend."""

from datetime import UTC, datetime

from kiosk.clock import parse_iso

from .conftest import Kiosk, story

JAN_2001 = datetime(2001, 1, 1, tzinfo=UTC).timestamp()


def hub_contribution(uuid):
    from hub.contributions.models import Contribution

    return Contribution.objects.get(uuid=uuid)


def test_a_kiosk_that_thinks_it_is_2001_sends_the_hubs_time_and_says_its_clock_was_not_synchronised(
    tmp_path, live_server, paired_hall
):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], clock_synchronised=False)
    kiosk.clock.now = JAN_2001
    [contribution] = kiosk.submit(story("Written on a Pi that booted without network"))
    kiosk.clock.now += 120  # the visitor's story waited two minutes for the Wi-Fi

    kiosk.agent.run_once()

    received = hub_contribution(contribution.uuid)
    assert received.clock_synchronised is False
    assert abs((datetime.now(UTC) - received.created_at).total_seconds()) < 300
    assert kiosk.store.get(contribution.uuid).created_at == "2001-01-01T00:00:00.000Z"
    assert abs(kiosk.status()["clock_offset_seconds"] - (datetime.now(UTC).timestamp() - kiosk.clock.now)) < 60


def test_the_corrected_time_is_sent_identically_when_the_receipt_was_lost(tmp_path, live_server, paired_hall):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], clock_synchronised=False)
    kiosk.clock.now = JAN_2001
    [contribution] = kiosk.submit(story())
    before = (tmp_path / "store.json").read_bytes()
    kiosk.agent.run_once()
    first = kiosk.store.get(contribution.uuid).receipt
    # A power cut lost the "delivered" mark; meanwhile the kiosk's clock drifted by a few more seconds.
    (tmp_path / "store.json").write_bytes(before)
    kiosk.clock.now += 7

    report = kiosk.agent.run_once()

    assert [r.uuid for r in report.delivered] == [contribution.uuid]
    assert kiosk.store.get(contribution.uuid).receipt["receipt"] == first["receipt"]


def test_a_clock_a_few_minutes_off_is_left_alone(tmp_path, live_server, paired_hall):
    kiosk = Kiosk(tmp_path, live_server.url, paired_hall[1], clock_synchronised=False)
    kiosk.clock.now = datetime.now(UTC).timestamp() - 600
    [contribution] = kiosk.submit(story())

    kiosk.agent.run_once()

    assert hub_contribution(contribution.uuid).created_at == parse_iso(contribution.created_at)
