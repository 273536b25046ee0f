"""A kiosk the hub does not accept stops sending and says why; re-pairing or a curator's approval resumes it."""

import time

from django.utils import timezone

from kiosk.cli import main
from kiosk.device import Device, load_device, save_device

from .conftest import Kiosk, story, story_with_media
from .test_fault_injection import QUICK, wait_until


def hub_count() -> int:
    from hub.contributions.models import Contribution

    return Contribution.objects.count()


def paired_kiosk(folder, live_server, device_id, token) -> Kiosk:
    save_device(folder, Device(hub_url=live_server.url, device_id=device_id, token=token, name="Hall"))
    return Kiosk(folder, live_server.url, token, policy=QUICK)


def test_a_revoked_kiosk_pauses_in_plain_words_and_re_pairing_resumes_without_duplicates(
    tmp_path, live_server, paired_hall
):
    from hub.devices.models import Device as HubDevice
    from hub.devices.models import PairingCode

    device_id, token = paired_hall
    kiosk = paired_kiosk(tmp_path, live_server, device_id, token)
    kiosk.submit(story_with_media(kiosk.store, seed=1))
    assert len(kiosk.agent.run_once().delivered) == 1
    # Alice the curator revokes the Hall kiosk (say it was stolen, then found again).
    HubDevice.objects.filter(pk=device_id).update(revoked_at=timezone.now())
    kiosk.submit(story_with_media(kiosk.store, seed=2), story("Bob's harvest"))
    kiosk.agent.start()

    assert wait_until(lambda: kiosk.status()["paused_reason"], seconds=5)
    paused = kiosk.status()
    assert "re-pair this kiosk" in paused["paused_reason"]
    assert "revoked" in paused["paused_reason"]
    assert kiosk.store.counts()["pending"] == 2
    time.sleep(0.5)
    assert hub_count() == 1

    _, code = PairingCode.issue(authorise=True)
    assert main(["pair", "--hub", live_server.url, "--code", code, "--data", str(tmp_path)]) == 0
    resumed = wait_until(lambda: kiosk.store.counts()["pending"] == 0, seconds=5)
    kiosk.agent.stop()

    assert resumed
    assert hub_count() == 3
    assert kiosk.status()["paused_reason"] is None
    assert kiosk.status()["last_error"] is None
    assert kiosk.client.token == load_device(tmp_path).token != token


def test_a_new_kiosk_waits_for_a_curator_then_sends_by_itself(tmp_path, live_server, tapestry):
    from hub.devices.models import Device as HubDevice
    from hub.devices.models import PairingCode

    _, code = PairingCode.issue()
    assert main(["pair", "--hub", live_server.url, "--code", code, "--name", "Hall", "--data", str(tmp_path)]) == 0
    device = load_device(tmp_path)
    kiosk = Kiosk(tmp_path, live_server.url, device.token, policy=QUICK)
    kiosk.submit(story())
    kiosk.agent.start()

    assert wait_until(lambda: kiosk.status()["paused_reason"], seconds=5)
    assert "waiting for a curator to authorise it" in kiosk.status()["paused_reason"]
    assert hub_count() == 0

    HubDevice.objects.filter(pk=device.device_id).update(authorised_at=timezone.now())
    delivered = wait_until(lambda: kiosk.store.counts()["pending"] == 0, seconds=5)
    kiosk.agent.stop()

    assert delivered
    assert hub_count() == 1
    assert kiosk.status()["paused_reason"] is None


def test_a_token_rotation_asked_by_the_hub_is_saved_and_used(tmp_path, live_server, paired_hall):
    from hub.devices.models import Device as HubDevice

    device_id, token = paired_hall
    kiosk = paired_kiosk(tmp_path, live_server, device_id, token)
    HubDevice.objects.filter(pk=device_id).update(rotate_requested_at=timezone.now())
    kiosk.submit(story("first"))

    assert kiosk.agent.step() is True
    assert kiosk.client.rotation_requested
    kiosk.submit(story("second"))
    assert kiosk.agent.step() is True

    new_token = load_device(tmp_path).token
    assert new_token != token
    assert kiosk.client.token == new_token
    assert not kiosk.client.rotation_requested
    assert HubDevice.objects.get(pk=device_id).rotate_requested_at is None
    assert hub_count() == 2
