"""Importing the kiosk app opens no window, so `agora-kiosk run` can configure Kivy before it does."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui

REPO = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import kiosk.ui.app
print("window opened" if "kivy.core.window" in sys.modules else "no window")
"""


def test_importing_the_app_opens_no_window_and_ignores_the_kiosk_command_line(tmp_path):
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen", KIVY_HOME=str(tmp_path), KIVY_NO_FILELOG="1",
               PYTHONPATH=str(REPO))
    env.pop("KIVY_NO_ARGS", None)

    # Kivy would read "--data ..." as its own options and exit if kiosk.ui let it parse sys.argv.
    done = subprocess.run([sys.executable, "-c", CHECK, "--data", str(tmp_path), "run"], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("no window")
