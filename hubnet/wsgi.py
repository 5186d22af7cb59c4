"""WSGI entry point of one hub."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubnet.settings.base")

application = get_wsgi_application()
