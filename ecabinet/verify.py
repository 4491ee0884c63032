"""Pages for signed documents: the verification page and the download.

``/verify/``: any logged-in user of the tenant uploads a PDF and reads, in
their language, who signed it, when, and whether it was altered since.
``/signed/<id>/``: a signed document, inline, to those its owning app lets
read it (``ecabinet.signing.register_signed_document_access``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ecabinet.models import SignedDocument
from ecabinet.signing import Verification, access_signed_document, may_read_signed_document, verify_pdf


def _verdict(result: Verification) -> str:
    if result.ok:
        return "genuine"
    if result.altered:
        return "altered"
    if result.signed and not result.trusted:
        return "untrusted"
    if result.signed:
        return "invalid"
    return "unsigned"


@login_required
@require_http_methods(["GET", "POST"])
def verify_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"max_mb": settings.ECABINET_VERIFY_MAX_BYTES // (1024 * 1024)}
    if request.method == "GET":
        return render(request, "ecabinet/verify.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = _("Choose a PDF file to check.")
        return render(request, "ecabinet/verify.html", context, status=400)
    if upload.size is None or upload.size > settings.ECABINET_VERIFY_MAX_BYTES:
        context["error"] = _("The file is larger than %(mb)s MB and cannot be checked here.") % {
            "mb": context["max_mb"]
        }
        return render(request, "ecabinet/verify.html", context, status=413)
    result = verify_pdf(upload.read())
    issued = None
    if result.ok:
        # The very file this tenant issued, if it is one: its number and title.
        issued = SignedDocument.objects.filter(sha256=result.sha256).first()
    context.update(
        {
            "result": result,
            "verdict": _verdict(result),
            "filename": (upload.name or "")[:200],
            "issued": issued,
            "may_open": issued is not None and may_read_signed_document(request.user, issued),
        }
    )
    return render(request, "ecabinet/verify.html", context)


@login_required
@require_GET
def signed_document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    document = access_signed_document(request.user, document_id, request=request)
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(document.size)
    return response


urlpatterns = [
    path("verify/", verify_page, name="verify-pdf"),
    path("signed/<int:document_id>/", signed_document_download, name="signed-document"),
]
