"""Paired kiosks, their pairing codes and the bearer-token check for the kiosk API."""
