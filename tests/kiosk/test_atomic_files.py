"""Files are replaced whole or not at all, and temp files left by a crash are cleaned up."""

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.fsutil import TEMP_SUFFIX, atomic_write_bytes, atomic_write_json, remove_leftover_temp_files

ROOT = Path(__file__).resolve().parents[2]


def test_a_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "sync_status.json"
    atomic_write_json(target, {"last_error": "x" * 10_000})

    atomic_write_json(target, {"last_error": None})

    assert json.loads(target.read_text()) == {"last_error": None}
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path):
    target = tmp_path / "device.json"
    atomic_write_json(target, {"name": "Hall"})

    with pytest.raises(TypeError):
        atomic_write_json(target, {"name": object()})

    assert json.loads(target.read_text()) == {"name": "Hall"}
    assert list(tmp_path.iterdir()) == [target]


def test_a_writer_killed_mid_write_never_leaves_a_torn_file(tmp_path):
    target = tmp_path / "store.json"
    writer = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kiosk.fsutil import atomic_write_json\n"
        "n = 0\n"
        "while True:\n"
        "    atomic_write_json(Path(sys.argv[1]), {'n': n, 'pad': 'x' * 300_000})\n"
        "    n += 1\n"
    )
    for attempt in range(5):
        process = subprocess.Popen([sys.executable, "-c", writer, str(target)], cwd=ROOT)
        time.sleep(0.3 + attempt * 0.07)
        process.send_signal(signal.SIGKILL)
        process.wait()

        assert json.loads(target.read_text())["pad"] == "x" * 300_000
        remove_leftover_temp_files(tmp_path)
        assert list(tmp_path.iterdir()) == [target]


def test_the_file_mode_is_set(tmp_path):
    target = tmp_path / "device.json"

    atomic_write_bytes(target, b"{}", mode=0o600)

    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_leftover_temp_files_are_removed_and_nothing_else(tmp_path):
    leftover = tmp_path / f".store.json.abc123{TEMP_SUFFIX}"
    leftover.write_text("half a write")
    keep = [tmp_path / "store.json", tmp_path / ".hidden", tmp_path / "notes.tmp"]
    for path in keep:
        path.write_text("keep me")

    removed = remove_leftover_temp_files(tmp_path)

    assert removed == [leftover]
    assert sorted(tmp_path.iterdir()) == sorted(keep)


def test_cleaning_a_missing_folder_does_nothing(tmp_path):
    assert remove_leftover_temp_files(tmp_path / "absent") == []
