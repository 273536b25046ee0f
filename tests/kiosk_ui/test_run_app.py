"""`agora-kiosk run --tour --screenshots DIR` walks a visitor through the real app and keeps running."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.capture.pictures import write_photo

pytestmark = [pytest.mark.ui, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
EXPECTED = ["01-attract", "02-language", "03-exhibit", "04-prompt", "05-answer", "06-photo",
            "07-photo-countdown", "08-photo-taken", "09-answer", "10-write", "11-write-story", "12-answer",
            "13-author", "14-consent", "15-review", "16-thanks", "17-attract"]

RUN = """
import sys
from pathlib import Path
from kiosk.catalogue import CatalogueCache
from kiosk.config import KioskSettings
from kiosk.store import Store
from kiosk.ui.app import run_app

data, shots = Path(sys.argv[1]), Path(sys.argv[2])
settings = KioskSettings(data_dir=data, thanks_seconds=2)
run_app(settings, Store(data), CatalogueCache(data), screenshots=shots, size=(800, 480), tour=True)
print("stopped cleanly")
"""


def test_the_tour_stores_a_story_with_a_photo_screenshots_every_screen_and_stops_on_ctrl_c(tmp_path):
    data, shots, camera = tmp_path / "hall-kiosk", tmp_path / "screenshots", tmp_path / "camera"
    camera.mkdir()
    write_photo(camera / "moisson.jpg", size=(1024, 768), orientation=1)
    # The test camera, and no microphone (the tour never records).
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_HOME=str(tmp_path / "kivy"),
               KIVY_NO_FILELOG="1", PYTHONPATH=str(REPO), AGORA_KIOSK_CAMERA=f"files:{camera}",
               PULSE_SERVER=f"unix:{tmp_path}/no-sound-server")
    kiosk = subprocess.Popen([sys.executable, "-c", RUN, str(data), str(shots)], env=env, cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        # After the thanks screen the kiosk goes back to its start, still running.
        while time.monotonic() < deadline and len(list(shots.glob("*-attract.png"))) < 2:
            assert kiosk.poll() is None, kiosk.stdout.read()
            time.sleep(0.5)
        assert kiosk.poll() is None
        kiosk.send_signal(signal.SIGINT)
        output, _ = kiosk.communicate(timeout=20)
    finally:
        if kiosk.poll() is None:
            kiosk.kill()

    assert kiosk.returncode == 0, output
    assert "stopped cleanly" in output
    assert sorted(path.stem for path in shots.glob("*.png")) == EXPECTED

    from kiosk.store import Store

    [stored] = Store(data).pending()
    assert stored.author_name == "Camille"
    assert stored.licence == "cc-by-4.0"
    assert stored.text.startswith("Chaque été, ma grand-mère")
    assert [media.kind for media in stored.media] == ["photo"]
