"""Agora's kiosk-to-hub wire protocol and the kiosk's delivery agent (plain Python, no Kivy, no Django)."""
