"""Test-wide setup: every run gets its own hub data folder and secret before Django loads its settings."""

import os
import tempfile

_RUN_DIR = tempfile.mkdtemp(prefix="agora-tests-")

# Set before pytest-django imports hub.settings, so no test ever touches ./var or a real museum's data.
os.environ.setdefault("AGORA_HUB_DATA", os.path.join(_RUN_DIR, "hub"))
os.environ.setdefault("AGORA_HUB_SECRET_KEY", "agora-test-secret-key-not-for-production-0123456789")
os.environ.setdefault("AGORA_KIOSK_DATA", os.path.join(_RUN_DIR, "kiosk"))
