"""WSGI entry point, for pages only (sockets need ``ecabinet.asgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecabinet.settings")
application = get_wsgi_application()
