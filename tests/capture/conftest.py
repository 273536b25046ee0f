"""Capture test fixtures: the PulseAudio microphone fed with speech, a kiosk store, and photos with EXIF."""

from __future__ import annotations

import pytest

from tests.capture.fakemic import missing_tools, release_microphone, shared_microphone


@pytest.fixture(scope="session")
def fake_microphone(tmp_path_factory):
    """A real-time microphone hearing Alice's recorded speech in a loop, for the whole session."""
    missing = missing_tools()
    if missing:
        pytest.skip(f"the test microphone needs {', '.join(missing)} (make system-test installs them from "
                    "tools/packages/audio.txt)")
    yield shared_microphone(tmp_path_factory.mktemp("fakemic"))
    release_microphone()


@pytest.fixture
def store(tmp_path):
    """The "Hall" kiosk's store, in a fresh data folder."""
    from kiosk.store import Store

    return Store(tmp_path / "hall")


@pytest.fixture
def capture_folder(store):
    from kiosk.capture.files import CaptureFolder

    return CaptureFolder(store.folder)
