"""Capture test fixtures: the PulseAudio microphone fed with speech, a kiosk store, and photos with EXIF."""

from __future__ import annotations

import pytest

from tests.capture.fakemic import fake_microphone  # noqa: F401  (a shared session fixture)


@pytest.fixture
def store(tmp_path):
    """The "Hall" kiosk's store, in a fresh data folder."""
    from kiosk.store import Store

    return Store(tmp_path / "hall")


@pytest.fixture
def capture_folder(store):
    from kiosk.capture.files import CaptureFolder

    return CaptureFolder(store.folder)
