"""Agora's HTTP API (/api/v1/): the kiosk protocol and the public read-only list of published stories."""
