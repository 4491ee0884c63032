"""Paper access for pages: refusals become the right page, not a bare status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from documents.access import OwnedPaperAccess, PaperAccess, ReadingEnded, access_any_paper, access_paper
from ecabinet.views import message_page


def paper_or_response(
    request: HttpRequest, paper_id: Any, *, editing: bool = False
) -> PaperAccess | HttpResponse:
    """The paper for this request's user, or the page to answer with instead.

    Missing and forbidden are the same 404; a reader whose reading has ended
    gets a page that says so (403), so they know to ask the secretariat.
    """
    return _answer(request, lambda: access_paper(request.user, paper_id, request=request, editing=editing))


def any_paper_or_response(
    request: HttpRequest, paper_id: Any
) -> PaperAccess | OwnedPaperAccess | HttpResponse:
    """The same for the reader page, which also opens a paper without a meeting."""
    return _answer(request, lambda: access_any_paper(request.user, paper_id, request=request))


A = TypeVar("A")


def _answer(request: HttpRequest, check: Callable[[], A]) -> A | HttpResponse:
    try:
        return check()
    except ReadingEnded as exc:
        return message_page(request, _("No longer available"), str(exc.detail), status=403)
