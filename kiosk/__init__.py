"""The Agora kiosk: a plain-Python core (store, catalogue, settings) under a thin Kivy touchscreen shell."""
