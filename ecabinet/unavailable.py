"""The database away: a readable 503 that says so, not a 500 or a technical page.

Django turns an exception anywhere below into a 500 response before an outer
middleware sees it, so the exception is noted when it is raised
(``got_request_exception``) and the outermost middleware replaces that
response. Nothing here touches the database. Writes run in transactions, so
what failed half-way was rolled back with the connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15
_MARK = "_ecabinet_database_unavailable"


def _is_database_down(exception: BaseException | None) -> bool:
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, OperationalError | InterfaceError):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


@receiver(got_request_exception, dispatch_uid="ecabinet.unavailable")
def _note(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    import sys

    if request is not None and _is_database_down(sys.exc_info()[1]):
        setattr(request, _MARK, True)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        from ecabinet.api import error_response

        response = error_response(
            "unavailable",
            _("The database cannot be reached at the moment. Nothing was saved; try again shortly."),
            status=503,
        )
    else:
        html = render_to_string("ecabinet/unavailable.html", {"language": translation.get_language() or "vi"})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Outermost: a response made from a database-down exception becomes the 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, _MARK, False):
            logger.warning("database unavailable: %s %s answered 503", request.method, request.path)
            return unavailable_response(request)
        return response
