"""The kiosk's Kivy touchscreen interface; the only package of Agora that imports Kivy."""

import os

# Kivy would otherwise read `agora-kiosk run --data ...` as its own command-line options and exit.
os.environ.setdefault("KIVY_NO_ARGS", "1")
