"""Audio and photo capture for the kiosk in plain Python: microphone, recorder, player, cameras and photo keeping."""
