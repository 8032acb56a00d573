"""The portal's WSGI application with bench/urls.py as its URL map, for bench/surveys.py's gunicorn.

Settings come from the environment only, and the URL map is not one of them: it is swapped here,
before the first request resolves a URL."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (settings are readable only once Django is set up)

settings.ROOT_URLCONF = "bench.urls"
