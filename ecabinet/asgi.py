"""The one ASGI application: pages and API over HTTP, ``/ws/…`` sockets."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecabinet.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from ecabinet.body_limit import BodyLimit  # noqa: E402
from ecabinet.realtime.consumer import StreamConsumer  # noqa: E402
from ecabinet.realtime.middleware import SocketStack  # noqa: E402
from meetings.access import ACCESS_EVENTS, meeting_stream_for_socket  # noqa: E402

websocket_urlpatterns = [
    path(
        "ws/meetings/<int:meeting_id>/",
        StreamConsumer.as_asgi(resolver=meeting_stream_for_socket, refresh_on=ACCESS_EVENTS),
    ),
]

application = ProtocolTypeRouter(
    {
        # A body over the server's ceiling is refused before Django spools it to disk.
        "http": BodyLimit(django_asgi_app, max_bytes=(settings.ECABINET_MAX_UPLOAD_MB + 1) * 1024 * 1024),
        "websocket": SocketStack(URLRouter(websocket_urlpatterns)),
    }
)
