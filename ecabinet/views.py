"""Pages and probes of the foundation."""

from __future__ import annotations

import asyncio
import logging
import uuid

from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ecabinet.api import error_response

logger = logging.getLogger(__name__)

HEALTH_TIMEOUT_SECONDS = 3.0


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:
        logger.exception("healthz: database check failed")
        return False
    finally:
        # Run on a thread of its own (see healthz): nothing else closes it.
        connection.close()


async def _channel_layer_ok() -> bool:
    """A message sent to a fresh channel must come back: a real round trip."""
    layer = get_channel_layer()
    if layer is None:
        return False
    try:
        channel = await asyncio.wait_for(layer.new_channel("healthz."), HEALTH_TIMEOUT_SECONDS)
        probe = uuid.uuid4().hex
        await asyncio.wait_for(
            layer.send(channel, {"type": "healthz", "probe": probe}), HEALTH_TIMEOUT_SECONDS
        )
        message = await asyncio.wait_for(layer.receive(channel), HEALTH_TIMEOUT_SECONDS)
        return bool(message.get("probe") == probe)
    except Exception:
        logger.exception("healthz: channel layer check failed")
        return False


async def healthz(request: HttpRequest) -> JsonResponse:
    from asgiref.sync import sync_to_async

    # Not on the thread the sync views share: a view waiting on a long paper
    # check (documents.pdf_sandbox) must not make the server look dead.
    database = await sync_to_async(_database_ok, thread_sensitive=False)()
    layer = await _channel_layer_ok()
    body = {
        "status": "ok" if database and layer else "error",
        "database": "ok" if database else "error",
        "channel_layer": "ok" if layer else "error",
    }
    response = JsonResponse(body, status=200 if database and layer else 503)
    response["Cache-Control"] = "no-store"
    return response


def message_page(request: HttpRequest, heading: str, message: str, *, status: int) -> HttpResponse:
    """A page that says what happened and what to do, in the site's layout."""
    return render(request, "ecabinet/message.html", {"heading": heading, "message": message}, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response("not_found", _("Not found, or you do not have access to it."), status=404)
    return message_page(
        request,
        _("Page not found"),
        _(
            "The page you asked for does not exist, or you do not have access to it. "
            "Check the address, or go back to the start page."
        ),
        status=404,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response("not_allowed", _("You do not have permission to do this."), status=403)
    return message_page(
        request,
        _("Not allowed"),
        _("Your account does not allow this. If you think it should, ask the secretariat."),
        status=403,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response("bad_request", _("The request could not be understood."), status=400)
    return message_page(
        request,
        _("Request not understood"),
        _("The page could not understand the request. Go back and try again."),
        status=400,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(
            "server_error", _("Something went wrong on the server. Please try again."), status=500
        )
    return message_page(
        request,
        _("Something went wrong"),
        _(
            "The server could not finish this. Nothing you entered is lost from what was already saved; "
            "please try again in a moment."
        ),
        status=500,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return error_response(
            "csrf_failed", _("The form expired or came from another site. Reload the page."), status=403
        )
    return message_page(
        request,
        _("The form has expired"),
        _("The page was open too long, or the form came from another site. Reload the page and try again."),
        status=403,
    )
