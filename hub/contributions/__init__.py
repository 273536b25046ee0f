"""Visitors' contributions as received from kiosks, and their moderation states."""
