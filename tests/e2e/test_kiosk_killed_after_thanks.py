"""Killing the kiosk right after the thank-you screen loses nothing: the next start delivers the story."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hub.contributions.models import Contribution
from hub.devices.models import PairingCode
from kiosk import cli

pytestmark = pytest.mark.slow

KIOSK = Path(sys.executable).with_name("agora-kiosk")


def wait_for(predicate, seconds: float, what: str, process: subprocess.Popen):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        if process.poll() is not None:
            pytest.fail(f"the kiosk stopped (exit {process.returncode}) before {what}")
        time.sleep(0.2)
    pytest.fail(f"no {what} within {seconds:.0f} s")


def test_a_story_survives_a_kill_right_after_the_thank_you_screen(tmp_path, live_server, transactional_db):
    from django.core.management import call_command

    call_command("seed_demo")
    data, shots = tmp_path / "kiosk", tmp_path / "shots"
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_NO_ARGS="1", KIVY_HOME=str(tmp_path / "kivy"),
               KIVY_NO_FILELOG="1", KIVY_NO_CONSOLELOG="1", AGORA_KIOSK_DATA=str(data))
    # Not paired yet, so nothing can be delivered before the kill: the story lives only in the kiosk's store.
    kiosk = subprocess.Popen([str(KIOSK), "run", "--tour", "--screenshots", str(shots), "--size", "800x480"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: list(shots.glob("*thanks*.png")), 180, "thank-you screen", kiosk)
    finally:
        kiosk.send_signal(signal.SIGKILL)
        kiosk.wait()

    _, code = PairingCode.issue(authorise=True)
    assert cli.main(["pair", "--hub", live_server.url, "--code", code, "--name", "Hall", "--data", str(data)]) == 0
    assert cli.main(["sync", "--once", "--data", str(data)]) == 0
    [story] = Contribution.objects.all()
    assert "fête des moissons" in story.text
    assert story.author_name == "Camille"
