"""WSGI entry point for gunicorn: `gunicorn program.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "program.settings")

application = get_wsgi_application()
