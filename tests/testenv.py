"""Test-wide environment, loaded as a pytest plugin so it is set before pytest-django imports hub.settings."""

import os
import tempfile

_RUN_DIR = tempfile.mkdtemp(prefix="agora-tests-")

# Set (not defaulted) before pytest-django imports hub.settings, so no test ever touches ./var or the data of a
# museum whose variables happen to be in the shell.
os.environ["AGORA_HUB_DATA"] = os.path.join(_RUN_DIR, "hub")
os.environ["AGORA_HUB_SECRET_KEY"] = "agora-test-secret-key-not-for-production-0123456789"
os.environ["AGORA_KIOSK_DATA"] = os.path.join(_RUN_DIR, "kiosk")
