"""The one socket consumer: follow a stream, send its events, run actions.

Refusals accept the handshake and then close with a code, because a browser
cannot read the code of a refused handshake: 4401 not logged in (or an
account of another tenant), 4403 not allowed, 4404 no such thing in this
tenant. Bad frames get an error frame and the socket stays open. A frame
with a ``key`` is done at most once (``ecabinet.realtime.receipts``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ecabinet.errors import ActionError, NotAllowed, NotFound
from ecabinet.i18n import chosen_language
from ecabinet.models import EventStream, redacted_frame
from ecabinet.realtime import SocketContext, get_socket_action, receipts
from ecabinet.tenancy import belongs_here, tenant_context

logger = logging.getLogger(__name__)

CLOSE_NOT_LOGGED_IN = 4401
CLOSE_NOT_ALLOWED = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_SERVER_ERROR = 1011

MAX_FRAME_BYTES = 64 * 1024
# The heartbeat's action name (``static/js/live.js`` sends one every few seconds).
BEAT = "beat"

# resolve(user, **url_kwargs) -> (subject, stream); raises NotFound / NotAllowed.
Resolver = Callable[..., tuple[Any, EventStream]]


class StreamConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]  # an untyped library's class
    """``StreamConsumer.as_asgi(resolver=…)``: the resolver says which stream a
    socket URL names and whether this user may follow it."""

    def __init__(
        self, *args: Any, resolver: Resolver, refresh_on: frozenset[str] = frozenset(), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.resolver = resolver
        self.refresh_on = refresh_on
        self.subject: Any = None
        self.stream: EventStream | None = None

    async def connect(self) -> None:
        await self.accept()
        tenant = self.scope.get("tenant")
        user = self.scope.get("user")
        if tenant is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if not belongs_here(user, tenant):
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        if user.tenant_id is None:  # national administrators take no part in meetings
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        try:
            self.subject, self.stream = await self._resolve(user)
        except NotFound:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        except NotAllowed:
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        try:
            await self.channel_layer.group_add(self.stream.group_name, self.channel_name)
        except Exception:
            # A consumer that failed to join its group would look live and get
            # nothing; close so that the client reconnects and replays.
            logger.exception("group_add failed for %s", self.stream.group_name)
            self.stream = None
            await self.close(code=CLOSE_SERVER_ERROR)
            return
        last_seq = await database_sync_to_async(self._last_seq)()
        await self._send({"type": "welcome", "data": {"last_seq": last_seq}})

    @database_sync_to_async  # type: ignore[untyped-decorator]
    def _resolve(self, user: Any) -> tuple[Any, EventStream]:
        with tenant_context(self.scope["tenant"]):
            return self.resolver(user, **self.scope["url_route"]["kwargs"])

    def _last_seq(self) -> int:
        if self.stream is None:
            raise NotFound()
        return int(EventStream.objects.values_list("last_seq", flat=True).get(pk=self.stream.pk))

    async def disconnect(self, code: int) -> None:
        if self.stream is not None:
            await self.channel_layer.group_discard(self.stream.group_name, self.channel_name)

    async def stream_event(self, message: dict[str, Any]) -> None:
        frame = message["frame"]
        audience = message.get("audience")
        if audience is not None and not self._can_see(audience):
            frame = redacted_frame(frame["seq"], frame["at"])
        await self._send(frame)
        if frame["type"] in self.refresh_on:
            # A change of who takes part may change what this user may see.
            try:
                self.subject, _stream = await self._resolve(self.scope["user"])
            except (NotFound, NotAllowed):
                await self.close(code=CLOSE_NOT_FOUND)

    def _can_see(self, audience: dict[str, Any]) -> bool:
        can_see = getattr(self.subject, "can_see", None)
        return bool(can_see(audience)) if can_see is not None else False

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.stream is None:
            return
        with override(self._language()):
            frame, error = self._parse(text_data, bytes_data)
            if frame is None:
                await self._send(error or error_frame(None, "bad_frame", _("The frame is not valid.")))
                return
            await self._send(await self._dispatch(frame))

    def _language(self) -> str:
        return chosen_language(self.scope.get("cookies", {})) or str(settings.LANGUAGE_CODE)

    def _parse(
        self, text_data: str | None, bytes_data: bytes | None
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        if text_data is None:
            return None, error_frame(None, "bad_frame", _("Send frames as JSON text, not binary."))
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            return None, error_frame(None, "too_large", _("The frame is too large."))
        try:
            frame = json.loads(text_data)
        except ValueError:
            return None, error_frame(None, "bad_json", _("The frame is not valid JSON."))
        if not isinstance(frame, dict):
            return None, error_frame(None, "bad_frame", _("A frame must be a JSON object."))
        ref = frame.get("ref")
        if ref is not None and not isinstance(ref, str | int):
            return None, error_frame(None, "bad_frame", _("“ref” must be a string."))
        action = frame.get("action")
        if not isinstance(action, str) or not action:
            return None, error_frame(ref, "bad_frame", _("A frame needs an “action” name."))
        data = frame.get("data", {})
        if data is None:
            data = {}
        if not isinstance(data, dict):
            return None, error_frame(ref, "bad_frame", _("“data” must be a JSON object."))
        key = frame.get("key")
        if key is not None and not receipts.valid_key(key):
            return None, error_frame(
                ref, "bad_frame", _("“key” must be 8 to 64 letters, digits, “-” or “_”.")
            )
        return {"action": action, "data": data, "ref": ref, "key": key}, None

    async def _dispatch(self, frame: dict[str, Any]) -> dict[str, Any]:
        ref = frame["ref"]
        if frame["action"] == BEAT:
            # The tablet's heartbeat: answered on the event loop, with no
            # database and no thread, so that it costs nothing at scale.
            return {"type": "ack", "ref": ref, "data": {"server_time": timezone.now().isoformat()}}
        handler = get_socket_action(frame["action"])
        if handler is None:
            return error_frame(ref, "unknown_action", _("There is no such action."))
        try:
            result, repeat = await database_sync_to_async(self._run)(handler, frame)
        except ActionError as exc:
            return error_frame(ref, exc.code, str(exc.detail))
        except Exception:
            logger.exception("socket action %s failed", frame["action"])
            return error_frame(
                ref, "server_error", _("Something went wrong on the server. Please try again.")
            )
        ack: dict[str, Any] = {"type": "ack", "ref": ref}
        if result:
            ack["data"] = result
        if repeat:
            ack["repeat"] = True
        return ack

    def _run(self, handler: Any, frame: dict[str, Any]) -> tuple[dict[str, Any] | None, bool]:
        """The handler's answer, and whether it is the answer of an earlier frame with the same key."""
        stream = self.stream
        if stream is None:  # the socket was closed while the frame waited
            raise NotFound()
        user = self.scope["user"]
        ctx = SocketContext(user=user, subject=self.subject, stream=stream)
        with tenant_context(self.scope["tenant"]):
            if frame["key"] is None:
                return handler(ctx, frame["data"]), False
            return receipts.run_once(
                user, frame["key"], frame["action"], stream, lambda: handler(ctx, frame["data"])
            )

    async def _send(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))


def error_frame(ref: Any, code: str, detail: str) -> dict[str, Any]:
    return {"type": "error", "ref": ref, "error": code, "detail": detail}
