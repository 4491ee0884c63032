"""Serving papers: short-lived signed links to the reader's own stamped copy.

A paper never has a public address. The reader page (or the API) asks
``signed_link(access)`` for a link that names the paper, the version and the
user it was made for, signed with the site's key and good for
``settings.ECABINET_PAPER_LINK_SECONDS``. Following it:

1. the signature and its age are checked (tampered → 403, expired → 410);
2. the link must be for the paper in its path and for the user asking;
3. ``access_paper`` (or the owner's check, for a paper without a meeting)
   is asked again, so a reader revoked a second ago is
   refused even with a fresh link;
4. the reader's stamped copy is fetched from the cache or made now;
5. one ``PaperOpen`` row and one audit row are written together;
6. the copy goes out inline (or as an attachment when the paper may be
   downloaded and ``?download=1`` asks for it), never cached on the way.

Steps 1–3 are ``documents.access.access_paper_copy``, 4–5
``documents.actions.do_open_paper_copy``; the view here reads the request,
asks both, and sends the copy or the refusal.
"""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from documents.access import (
    SALT,
    OwnedPaperAccess,
    PaperAccess,
    PaperCopyAccess,
    ReadingEnded,
    access_paper_copy,
    read_link,
)
from documents.actions import do_open_paper_copy
from documents.models import PaperVersion
from ecabinet.api import error_response
from ecabinet.errors import ActionError, NotFound

# SALT and read_link live with the access check that reads the links; they
# stay importable from here, where the links are made.
__all__ = ["SALT", "paper_copy", "read_link", "signed_link", "urlpatterns"]


def signed_link(
    access: PaperAccess | OwnedPaperAccess, *, version: PaperVersion | None = None, download: bool = False
) -> str:
    """A short-lived link to the access's user's stamped copy of the paper.

    ``version``: the current version unless given; only the secretariat is
    served another (the link view checks). ``download``: ask for an
    attachment, honoured only when the user may download the paper.
    """
    version = version or access.version
    if version is None or version.paper_id != access.paper.pk:
        raise NotFound()
    token = signing.dumps({"p": access.paper.pk, "v": version.pk, "u": access.user.pk}, salt=SALT)
    url = reverse("documents:paper-copy", kwargs={"paper_id": access.paper.pk, "token": token})
    if download and access.can_download:
        url += "?download=1"
    return url


def _wants_json(request: HttpRequest) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    return "application/json" in accept and "text/html" not in accept


# What each refusal is called on its page, and whether to offer opening the
# paper again: yes where the link, not the paper, was the trouble.
_REFUSALS: dict[str, tuple[Promise, bool]] = {
    "link_expired": (_("This link has expired"), True),
    "link_invalid": (_("This link is not valid"), True),
    "invalid": (_("This link is not valid"), True),
    "link_not_yours": (_("This link is not for you"), True),
    ReadingEnded.code: (_("No longer available"), False),
    NotFound.code: (_("Page not found"), False),
    "not_allowed": (_("Not allowed"), False),
    "paper_updated": (_("This paper has been updated"), True),
    "view_only": (_("This paper is view-only"), True),
    "copy_unavailable": (_("The paper cannot be opened just now"), True),
}


def _refuse(request: HttpRequest, error: ActionError, *, paper_id: int) -> HttpResponse:
    """A refusal that says what happened and what to do: a page, or JSON for a script.

    The access check has already kept in the audit log the refusals that
    look like a leak.
    """
    heading, again = _REFUSALS.get(
        error.code, (_("Page not found"), False) if isinstance(error, NotFound) else (_("Not allowed"), False)
    )
    if _wants_json(request):
        response: HttpResponse = error_response(error.code, error.detail, status=error.status)
    else:
        context = {"heading": heading, "message": error.detail, "paper_id": paper_id if again else None}
        response = render(request, "documents/serving_refused.html", context, status=error.status)
    response["Cache-Control"] = "private, no-store"
    return response


def _reader(request: HttpRequest) -> Any:
    """The signed-in user: the session, or an API token of this host's tenant."""
    user = request.user
    if user.is_authenticated:
        return user
    if request.META.get("HTTP_AUTHORIZATION", "").startswith("Token "):
        from rest_framework.exceptions import AuthenticationFailed
        from rest_framework.request import Request

        from ecabinet.authentication import TenantTokenAuthentication

        try:
            result = TenantTokenAuthentication().authenticate(Request(request))
        except AuthenticationFailed:
            return None
        return result[0] if result else None
    return None


def _filename(copy: PaperCopyAccess) -> str:
    # slugify drops what has no ASCII letter under it; đ has none.
    title = copy.paper.title.replace("đ", "d").replace("Đ", "D")
    stem = slugify(title)[:80] or "paper"
    return f"{stem}-v{copy.version.number}.pdf"


@require_GET
def paper_copy(request: HttpRequest, paper_id: int, token: str) -> HttpResponseBase:
    """The reader's stamped copy behind a signed link (see the module's docstring)."""
    try:
        copy = access_paper_copy(
            _reader(request), paper_id, token, download=request.GET.get("download", ""), request=request
        )
        opened = do_open_paper_copy(copy, request=request)
    except ActionError as exc:
        return _refuse(request, exc, paper_id=paper_id)
    response = FileResponse(
        opened.copy.file.open("rb"),
        content_type="application/pdf",
        as_attachment=copy.download,
        filename=_filename(copy),
    )
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["Pragma"] = "no-cache"
    response["Expires"] = "0"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    # The reader page shows the copy in a frame of its own origin.
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Vary"] = "Cookie, Authorization"
    return response


urlpatterns = [
    path("papers/<int:paper_id>/copy/<str:token>/", paper_copy, name="paper-copy"),
]
