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
"""

from __future__ import annotations

import logging
from typing import Any

import pikepdf
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from documents.access import OwnedPaperAccess, PaperAccess, ReadingEnded, access_any_paper
from documents.models import PaperOpen, PaperVersion, StampedCopy
from documents.stamping import stamped_copy
from ecabinet import audit
from ecabinet.api import error_response
from ecabinet.errors import NotAllowed, NotFound

logger = logging.getLogger(__name__)

SALT = "documents.serving.copy"


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


def read_link(token: str, *, max_age: int | None = None) -> tuple[int, int, int]:
    """(paper id, version id, user id) from a link's token.

    Raises ``signing.SignatureExpired`` for an old link and
    ``signing.BadSignature`` for anything else that is not one of ours.
    """
    payload = signing.loads(
        token,
        salt=SALT,
        max_age=settings.ECABINET_PAPER_LINK_SECONDS if max_age is None else max_age,
    )
    if not isinstance(payload, dict):
        raise signing.BadSignature("not a paper link")
    values = (payload.get("p"), payload.get("v"), payload.get("u"))
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise signing.BadSignature("not a paper link")
    return values  # type: ignore[return-value]


def _wants_json(request: HttpRequest) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    return "application/json" in accept and "text/html" not in accept


def _refuse(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    heading: str,
    message: str,
    paper_id: int,
    again: bool = True,
    audited: Any = None,
) -> HttpResponse:
    """A refusal that says what happened and what to do: a page, or JSON for a script.

    ``again``: offer to open the paper again (the link, not the paper, was
    the trouble). ``audited``: the refusal is kept in the audit log, for
    this user (a link passed on, tampered with, or to a paper no longer
    theirs is what a leak looks like; the token itself is not kept); expired
    and superseded links are everyday and are not.
    """
    if audited is not None:
        audit.record(
            audit.Kind.PERMISSION_REFUSED,
            request=request,
            user=audited,
            paper=paper_id,
            refused=code,
        )
    if _wants_json(request):
        response: HttpResponse = error_response(code, message, status=status)
    else:
        context = {"heading": heading, "message": message, "paper_id": paper_id if again else None}
        response = render(request, "documents/serving_refused.html", context, status=status)
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


def _filename(access: PaperAccess | OwnedPaperAccess, version: PaperVersion) -> str:
    # slugify drops what has no ASCII letter under it; đ has none.
    title = access.paper.title.replace("đ", "d").replace("Đ", "D")
    stem = slugify(title)[:80] or "paper"
    return f"{stem}-v{version.number}.pdf"


@require_GET
def paper_copy(request: HttpRequest, paper_id: int, token: str) -> HttpResponseBase:
    """The reader's stamped copy behind a signed link (see the module's docstring)."""
    try:
        link_paper, version_id, user_id = read_link(token)
    except signing.SignatureExpired:
        return _refuse(
            request,
            status=410,
            code="link_expired",
            heading=_("This link has expired"),
            message=_("Links to papers last a few minutes. Open the paper again from the meeting page."),
            paper_id=paper_id,
        )
    except signing.BadSignature:
        return _refuse(
            request,
            status=403,
            code="link_invalid",
            heading=_("This link is not valid"),
            message=_(
                "The link to this paper is damaged or was not made by eCabinet. "
                "Open the paper from the meeting page."
            ),
            paper_id=paper_id,
            audited=request.user,
        )
    download_asked = request.GET.get("download", "")
    if download_asked not in ("", "0", "1"):
        return _refuse(
            request,
            status=400,
            code="invalid",
            heading=_("This link is not valid"),
            message=_("“download” must be 1 or 0."),
            paper_id=paper_id,
        )
    user = _reader(request)
    if link_paper != paper_id or user is None or user.pk != user_id:
        # A link passed on to somebody else, or opened after signing out.
        return _refuse(
            request,
            status=403,
            code="link_not_yours",
            heading=_("This link is not for you"),
            message=_(
                "A link to a paper works only for the person it was made for, while signed in. "
                "Open the paper from your own meeting page."
            ),
            paper_id=paper_id,
            audited=user or request.user,
        )
    try:
        access = access_any_paper(user, paper_id, request=request)
    except ReadingEnded as exc:
        return _refuse(
            request,
            status=403,
            code=exc.code,
            heading=_("No longer available"),
            message=str(exc.detail),
            paper_id=paper_id,
            again=False,
            audited=user,
        )
    except NotFound:
        return _refuse(
            request,
            status=404,
            code="not_found",
            heading=_("Page not found"),
            message=_("Not found, or you do not have access to it."),
            paper_id=paper_id,
            again=False,
            audited=user,
        )
    except NotAllowed as exc:
        return _refuse(
            request,
            status=403,
            code="not_allowed",
            heading=_("Not allowed"),
            message=str(exc.detail),
            paper_id=paper_id,
            again=False,
            audited=user,
        )
    version = PaperVersion.objects.filter(pk=version_id, paper_id=access.paper.pk).first()
    if version is None or (version.pk != access.paper.current_version_id and not access.can_edit):
        return _refuse(
            request,
            status=410,
            code="paper_updated",
            heading=_("This paper has been updated"),
            message=_("There is a newer version of this paper. Open it again from the meeting page."),
            paper_id=paper_id,
        )
    download = download_asked == "1"
    if download and not access.can_download:
        return _refuse(
            request,
            status=403,
            code="view_only",
            heading=_("This paper is view-only"),
            message=_(
                "The secretariat has made this paper view-only: "
                "read it on the screen, it cannot be downloaded."
            ),
            paper_id=paper_id,
            audited=user,
        )
    version.paper = access.paper
    try:
        copy, made_now = stamped_copy(version, user)
    except (OSError, pikepdf.PdfError):
        # The kept file is missing or unreadable: the server's fault, said plainly.
        logger.exception("paper %s v%s could not be stamped for user %s", paper_id, version.number, user.pk)
        return _refuse(
            request,
            status=503,
            code="copy_unavailable",
            heading=_("The paper cannot be opened just now"),
            message=_(
                "Your copy of this paper could not be prepared. "
                "Try again in a moment; if it still fails, tell the secretariat."
            ),
            paper_id=paper_id,
        )
    _record_open(request, access, version, copy, user=user, downloaded=download)
    if made_now:
        logger.info("paper %s v%s stamped on open for user %s", paper_id, version.number, user.pk)
    response = FileResponse(
        copy.file.open("rb"),
        content_type="application/pdf",
        as_attachment=download,
        filename=_filename(access, version),
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


@transaction.atomic
def _record_open(
    request: HttpRequest,
    access: PaperAccess | OwnedPaperAccess,
    version: PaperVersion,
    copy: StampedCopy,
    *,
    user: Any,
    downloaded: bool,
) -> PaperOpen:
    """One ``PaperOpen`` row and its audit row, kept or lost together."""
    ip = audit.client_ip(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    opened = PaperOpen.objects.create(
        tenant_id=access.paper.tenant_id,
        paper=access.paper,
        version=version,
        reader=user,
        copy=copy,
        at=timezone.now(),
        downloaded=downloaded,
        ip=ip,
        user_agent=user_agent,
    )
    audit.record(
        audit.Kind.PAPER_DOWNLOADED if downloaded else audit.Kind.PAPER_OPENED,
        request=request,
        user=user,
        ip=ip,
        user_agent=user_agent,
        paper=access.paper.pk,
        meeting=access.paper.meeting_id,
        version=version.pk,
        version_number=version.number,
        trace_code=copy.trace_code,
        open=opened.pk,
    )
    return opened


urlpatterns = [
    path("papers/<int:paper_id>/copy/<str:token>/", paper_copy, name="paper-copy"),
]
