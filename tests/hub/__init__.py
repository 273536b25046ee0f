"""Tests of the hub: the kiosk API, the public API, curator pages and the agora-hub command."""
