"""The realtime choke point.

Every change that a tablet must see goes through ``publish_on_commit``: inside
the writing transaction it takes the stream's next sequence number and keeps
the event; after commit it sends the event to the stream's channel group. A
client that reconnects or sees a gap in ``seq`` replays from
``events_since``. The database is the truth; the socket only notifies.

Socket actions are registered here by each app (``socket_action``) and
dispatched by the one consumer (``ecabinet.realtime.consumer``). Each app also
declares the events it sends with the shape of their ``data``
(``register_events``: a ``TypedDict`` of ``ecabinet.shapes`` per type), which
the tests hold every event to and the API schema documents.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet.chains import GENESIS, digest, utc
from ecabinet.models import Event, EventStream

logger = logging.getLogger(__name__)

# At most this many events are returned by one replay call; the client asks
# again from the last one it got.
REPLAY_LIMIT = 500

_main_loop: asyncio.AbstractEventLoop | None = None
_main_loop_lock = threading.Lock()


def remember_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called by the ASGI application on its event loop.

    The in-memory channel layer is bound to the server's event loop; a thread
    that was not started by the server (the embedded background worker) must
    hand its sends to that loop instead of running a loop of its own.
    """
    global _main_loop
    with _main_loop_lock:
        _main_loop = loop


def _json_safe(data: Mapping[str, Any]) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))  # type: ignore[no-any-return]


def publish_on_commit(
    stream: EventStream, type: str, data: Mapping[str, Any], *, audience: dict[str, Any] | None = None
) -> Event:
    """Number and keep an event of ``stream``; send it once the transaction commits.

    Call it from an action, inside the action's transaction: if the action
    rolls back, so do the event and its number, and nothing is sent. The
    ``UPDATE … SET last_seq = last_seq + 1`` locks the stream's row until
    commit, so concurrent writers in any process get consecutive numbers in
    commit order.

    ``audience`` limits who may read the event (the owner's ``can_see``
    decides); the others receive a ``redacted`` frame with the same number.
    """
    # No savepoint: a failure here fails the caller's whole action anyway.
    with transaction.atomic(savepoint=False):
        seq, prev_hash = _next_seq(stream)
        stream.last_seq = seq
        event = Event(
            stream=stream,
            seq=seq,
            type=type,
            at=timezone.now(),
            data=_json_safe(data),
            audience=_json_safe(audience) if audience is not None else None,
        )
        event.hash = event_hash(event, prev_hash)
        event.save(force_insert=True)
        EventStream.objects.filter(pk=stream.pk).update(last_hash=event.hash)
        stream.last_hash = event.hash
    frame = event.as_frame()
    group = stream.group_name
    transaction.on_commit(lambda: send_to_group(group, frame, audience=audience), robust=True)
    return event


def _next_seq(stream: EventStream) -> tuple[int, str]:
    """Take the stream's next number, with the hash of its last event: one
    ``UPDATE … RETURNING`` where the database has it (PostgreSQL, SQLite
    3.35+), else an update and a read."""
    connection = transaction.get_connection()
    if connection.features.can_return_columns_from_insert:
        table = connection.ops.quote_name(EventStream._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq, last_hash",  # noqa: S608
                [stream.pk],
            )
            row = cursor.fetchone()
        if row is None:
            raise EventStream.DoesNotExist(stream.pk)
        return int(row[0]), str(row[1])
    EventStream.objects.filter(pk=stream.pk).update(last_seq=F("last_seq") + 1)
    seq, last_hash = EventStream.objects.filter(pk=stream.pk).values_list("last_seq", "last_hash").get()
    return int(seq), str(last_hash)


def event_hash(event: Event, prev_hash: str) -> str:
    """SHA-256 of an event as kept and of the hash of the event before it (``ecabinet.chains``)."""
    return digest(
        [event.stream_id, event.seq, prev_hash, event.type, utc(event.at), event.data, event.audience]
    )


def verify_stream(stream: EventStream) -> tuple[int, str | None]:
    """Walk a stream's events from the first: how many fit, and why the first that does not."""
    prev, count = GENESIS, 0
    for event in Event.objects.filter(stream=stream).order_by("seq").iterator(chunk_size=2000):
        if event.seq != count + 1:
            return count, _("event #%(seq)s is missing") % {"seq": count + 1}
        if event_hash(event, prev) != event.hash:
            return count, _("event #%(seq)s is not what was sent") % {"seq": event.seq}
        prev, count = event.hash, count + 1
    stream.refresh_from_db(fields=["last_seq", "last_hash"])
    if (stream.last_seq, stream.last_hash) != (count, prev):
        return count, _("events after #%(seq)s are missing") % {"seq": count}
    return count, None


_own_loop: asyncio.AbstractEventLoop | None = None


def _sending_loop() -> asyncio.AbstractEventLoop:
    """A loop of this process's own for sends where no server loop runs
    (``manage.py db_worker``, commands): one loop and one set of Redis
    connections for all of them, instead of new ones for every send."""
    global _own_loop
    with _main_loop_lock:
        if _own_loop is None:
            loop = asyncio.new_event_loop()
            running = threading.Event()
            loop.call_soon(running.set)
            threading.Thread(target=loop.run_forever, name="ecabinet-send-loop", daemon=True).start()
            running.wait(timeout=5)
            _own_loop = loop
        return _own_loop


def send_to_group(group: str, frame: dict[str, Any], *, audience: dict[str, Any] | None = None) -> None:
    """Hand a frame to every socket of a group. Losing it is survivable: the
    event is kept and clients replay gaps."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "stream.event", "frame": frame, "audience": audience}
    loop = _main_loop
    if settings.REDIS_URL and (loop is None or not loop.is_running()) and not _in_async_context():
        # Only for the Redis layer: the in-memory layer's queues belong to the
        # server's loop and must not be fed from another one.
        loop = _sending_loop()
    try:
        if loop is not None and loop.is_running() and not _on_loop(loop):
            future = asyncio.run_coroutine_threadsafe(layer.group_send(group, message), loop)
            future.result(timeout=5)
        else:
            async_to_sync(layer.group_send)(group, message)
    except Exception:
        logger.exception("Could not send event %s to %s; clients will replay it", frame["seq"], group)


def _in_async_context() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def events_since(stream: EventStream, since: int, *, limit: int = REPLAY_LIMIT) -> list[Event]:
    """The kept events of ``stream`` numbered after ``since``, oldest first."""
    return list(Event.objects.filter(stream=stream, seq__gt=since).order_by("seq")[:limit])


def frames_for(events: list[Event], can_see: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """The frames a reader gets: events with an audience they are not in are redacted."""
    return [
        event.as_frame() if event.audience is None or can_see(event.audience) else event.as_redacted_frame()
        for event in events
    ]


# --- the events' shapes ------------------------------------------------------

_event_shapes: dict[str, type] = {}


def register_events(shapes: dict[str, type]) -> None:
    """Declare event types and the ``TypedDict`` of their ``data``; apps call it in ``ready()``."""
    for name, shape in shapes.items():
        existing = _event_shapes.get(name)
        if existing is not None and existing is not shape:
            raise ValueError(f"event {name!r} is declared twice")
        _event_shapes[name] = shape


def event_shapes() -> dict[str, type]:
    """Every declared event type and the shape of its ``data``."""
    return dict(_event_shapes)


# --- socket actions ---------------------------------------------------------


@dataclass(frozen=True)
class SocketContext:
    """What a socket action knows about the socket it came from."""

    user: Any
    subject: Any  # the object the socket follows (a meeting), already access-checked
    stream: EventStream
    extra: dict[str, Any] = field(default_factory=dict)


SocketAction = Callable[[SocketContext, dict[str, Any]], dict[str, Any] | None]
_actions: dict[str, SocketAction] = {}


def socket_action(name: str) -> Callable[[SocketAction], SocketAction]:
    """Register a socket action under ``name``; apps call it in ``ready()``.

    The handler runs in a worker thread with the socket's tenant set; it
    validates ``data`` and calls one action. Raising an ``ActionError`` sends
    an error frame and keeps the socket open; a return value travels in the ack.
    """

    def register(func: SocketAction) -> SocketAction:
        existing = _actions.get(name)
        if existing is not None and existing is not func:
            raise ValueError(f"socket action {name!r} is registered twice")
        _actions[name] = func
        return func

    return register


def get_socket_action(name: str) -> SocketAction | None:
    return _actions.get(name)


@socket_action("ping")
def _ping(ctx: SocketContext, data: dict[str, Any]) -> dict[str, Any]:
    """Liveness and gap check: answers the stream's last number and the time."""
    last = EventStream.objects.filter(pk=ctx.stream.pk).values_list("last_seq", flat=True).get()
    return {"last_seq": last, "server_time": timezone.now().isoformat()}
