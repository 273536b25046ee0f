"""The WSGI entry point gunicorn runs: `hub.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

application = get_wsgi_application()
# Load every view now, as each worker starts, rather than during the first request it serves.
_views = get_resolver().url_patterns
