"""What the fan-out benchmark publishes, and the background task that does it
inside the server.

With the in-memory channel layer (the embedded default) an event reaches the
sockets only when it is published in the server's own process. The server's
embedded worker thread (``manage.py serve --worker thread``, as ``make demo``
runs it) picks this task up from the database and publishes there, through
``publish_on_commit`` like any action. Imported by the worker by its path
``bench.tasks``; the server runs from the project's folder.
"""

from __future__ import annotations

import time
from typing import Any

from django_tasks import task

from bench.common import FANOUT_EVENT


def publish_fanout_event(stream: Any, i: int) -> int:
    """Publish event ``i`` in its own transaction; ``data.sent_at`` is the
    wall-clock time just before, which each socket subtracts on arrival."""
    from django.db import transaction

    from ecabinet.realtime import publish_on_commit

    sent_at = time.time()
    with transaction.atomic():
        event = publish_on_commit(stream, FANOUT_EVENT, {"sent_at": sent_at, "i": i})
    return event.seq


@task()
def publish_fanout_event_task(tenant_id: int, meeting_id: int, i: int, linger: float = 0.0) -> int:
    """Publish event ``i`` in the server's process, then stay ``linger`` seconds
    (at most 2): the benchmark queues the next event once every socket has this
    one, and a worker that finds it queued on return runs it at once instead
    of sleeping its one-second poll interval."""
    from ecabinet.models import Tenant
    from ecabinet.tenancy import tenant_context
    from meetings.models import Meeting

    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant):
        meeting = Meeting.objects.select_related("stream").get(pk=meeting_id)
        seq = publish_fanout_event(meeting.stream, i)
    time.sleep(min(max(linger, 0.0), 2.0))
    return seq
