"""Tests of the kiosk's touchscreen interface, driving the real Kivy app in an offscreen window."""
