"""`agora-kiosk run --tour --screenshots DIR` walks a visitor through the real app and keeps running."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.ui, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
EXPECTED = ["01-attract", "02-language", "03-exhibit", "04-prompt", "05-write", "06-write-story",
            "07-author", "08-consent", "09-review", "10-thanks"]

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


def test_the_tour_stores_one_story_screenshots_every_screen_and_stops_on_ctrl_c(tmp_path):
    data, shots = tmp_path / "hall-kiosk", tmp_path / "screenshots"
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_HOME=str(tmp_path / "kivy"),
               KIVY_NO_FILELOG="1", PYTHONPATH=str(REPO))
    kiosk = subprocess.Popen([sys.executable, "-c", RUN, str(data), str(shots)], env=env, cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        # After the thanks screen the kiosk goes back to its start, still running.
        while time.monotonic() < deadline and not (shots / "11-attract.png").exists():
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
    assert sorted(path.stem for path in shots.glob("*.png"))[:10] == EXPECTED

    from kiosk.store import Store

    [stored] = Store(data).pending()
    assert stored.author_name == "Camille"
    assert stored.licence == "cc-by-4.0"
    assert stored.text.startswith("Chaque été, ma grand-mère")
