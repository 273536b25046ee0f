"""Django management commands of this app."""
