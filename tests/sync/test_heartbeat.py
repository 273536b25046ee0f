"""Every few minutes the kiosk tells the hub's devices page how it is doing."""

from .conftest import Kiosk, story


def test_the_devices_page_learns_the_outbox_the_disk_the_camera_and_the_last_error(
    tmp_path, live_server, paired_hall
):
    from hub.devices.models import Device

    device_id, token = paired_hall
    kiosk = Kiosk(tmp_path, live_server.url, token, hardware=lambda: {"camera": True, "microphone": False})
    kiosk.submit(story("waiting one"), story("waiting two"))
    kiosk.clock.now += 3600
    kiosk.agent.last_error = "the exhibit list could not be updated: the hub answered 502"

    assert kiosk.agent.send_heartbeat()

    seen = Device.objects.get(pk=device_id)
    assert seen.outbox_depth == 2
    assert 3599 <= seen.oldest_pending_seconds <= 3601
    assert seen.camera is True and seen.microphone is False
    assert seen.free_disk_bytes > 0
    assert seen.app_version
    assert "502" in seen.last_error
    assert kiosk.status()["last_heartbeat"] is not None


def test_the_background_thread_sends_a_heartbeat_when_due(hall):
    from hub.devices.models import Device

    assert hall.agent.step() is False

    assert Device.objects.get().heartbeat_at is not None
