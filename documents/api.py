"""Papers over the API: the list per meeting, one paper (with every version for
the secretariat), upload, new versions, distribution, order, withdrawal, the
end of reading and the tenant's paper settings.

Thin like the meetings API: parse with a nested ``InputSerializer``, fetch
with ``access_meeting`` / ``access_paper`` (missing, foreign and not received
are one 404; a reader whose reading ended gets 403 ``reading_ended``), call
one action of ``documents.actions``, answer. A reader never sees another
version than the current one; the file itself is only ever reached through
the signed ``link`` (``documents.serving``), stamped for its reader.

Uploads are multipart. A body whose Content-Length is over the tenant's
limit is refused (413) before it is read; one that runs past it anyway is
stopped by ``SizeLimitHandler`` and refused the same way.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import actions
from documents.access import (
    PaperAccess,
    access_paper,
    keeps_reading,
    paper_settings,
    readable_papers,
    reading_ended,
)
from documents.models import Paper, PaperVersion
from documents.payloads import (
    PaperDetailShape,
    PaperEntryShape,
    PaperOrderShape,
    PaperResultShape,
    PaperSettingsShape,
    ReadingShape,
    paper_entry,
)
from documents.serving import signed_link
from documents.validation import SizeLimitHandler, body_too_large, limit_uploads, too_large
from ecabinet import audit
from ecabinet.api import EnumField as _EnumField
from ecabinet.api import Id, Input, NoInput, error_body, errors, parse_request
from ecabinet.errors import Invalid
from ecabinet.models import User
from ecabinet.roles import Capability, TenantCapability, access_tenant
from ecabinet.shapes import serializer_for
from ecabinet.tenancy import current_tenant
from meetings.access import MeetingAccess, access_meeting
from meetings.models import AgendaItem

WRITE_ERRORS = errors(400, 401, 403, 404, 409)
UPLOAD_ERRORS = errors(400, 401, 403, 404, 409, 413, 415)


def PaperKindField(**kwargs: Any) -> _EnumField:  # noqa: N802 - reads as a field type
    return _EnumField(Paper.Kind, enum_name="PaperKind", **kwargs)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _meeting(request: Request, meeting_id: int, capability: Capability) -> MeetingAccess:
    return access_meeting(request.user, meeting_id, capability=capability, request=request._request)


def _paper(request: Request, paper_id: int, *, editing: bool = False) -> PaperAccess:
    return access_paper(request.user, paper_id, request=request._request, editing=editing)


def _item(access: MeetingAccess, item_id: int | None) -> AgendaItem | None:
    if item_id is None:
        return None
    item = AgendaItem.objects.filter(meeting=access.meeting, pk=item_id).first()
    if item is None:
        raise Invalid(_("That item is not on this meeting's agenda."))
    return item


def _people(ids: list[int]) -> list[User]:
    """Users of this tenant by id; the action then checks they take part in the meeting."""
    found = list(User.objects.filter(tenant=current_tenant(), pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise Invalid(_("A paper can only be given to people who take part in the meeting."))
    return found


# --- output: the shapes of documents.payloads, read by the schema -----------------------

PaperEntrySerializer = serializer_for(PaperEntryShape)
PaperDetailSerializer = serializer_for(PaperDetailShape)
PaperResultSerializer = serializer_for(PaperResultShape)
PaperOrderSerializer = serializer_for(PaperOrderShape)
ReadingSerializer = serializer_for(ReadingShape)
PaperSettingsSerializer = serializer_for(PaperSettingsShape)


def _available(access: MeetingAccess) -> bool:
    return keeps_reading(access) or not reading_ended(access.meeting)


def paper_detail(access: PaperAccess) -> PaperDetailShape:
    """One paper as this user may see it: the secretariat gets every version and the named recipients."""
    paper = access.paper
    readable = paper.withdrawn_at is None and access.version is not None
    body: PaperDetailShape = {
        **paper_entry(paper, available=_available(access.meeting)),
        "link": signed_link(access) if readable else None,
        "download_link": signed_link(access, download=True) if readable and access.can_download else None,
        "can_download": access.can_download,
        "can_edit": access.can_edit,
    }
    if access.can_edit:
        versions = PaperVersion.objects.filter(paper=paper).select_related("uploaded_by").order_by("-number")
        body["versions"] = [
            {
                "number": v.number,
                "uploaded_at": v.uploaded_at,
                "uploaded_by_id": v.uploaded_by_id,
                "uploaded_by_name": v.uploaded_by.full_name if v.uploaded_by else "",
                "page_count": v.page_count,
                "size": v.size,
                "sha256": v.sha256,
                "original_name": v.original_name,
                "change_note": v.change_note,
                "removed_for_safety": list((v.removed or {}).get("kinds", [])),
                "removed_files": list((v.removed or {}).get("files", [])),
                "unreadable_pages": list(v.unreadable_pages or []),
                "current": v.pk == paper.current_version_id,
                "link": signed_link(access, version=v),
            }
            for v in versions
        ]
        body["recipient_ids"] = sorted(actions.recipient_ids(paper)) if paper.restricted else []
    return body


def _fresh(access: PaperAccess) -> PaperAccess:
    paper = Paper.objects.select_related("current_version", "meeting").get(pk=access.paper.pk)
    return PaperAccess(meeting=access.meeting, paper=paper)


# --- uploads: the body's size first ---------------------------------------------------


class _UploadApi(APIView):
    """An API view whose POST is a multipart upload, limited to the tenant's largest paper."""

    parser_classes = [MultiPartParser]
    size_limit: SizeLimitHandler | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST":
            limit = actions.upload_limit_bytes(current_tenant().pk)
            if body_too_large(request, limit_bytes=limit):
                # Refused before a byte of the body is read (and before login
                # is known for a token client): the line names what is known.
                user = getattr(request, "user", None)
                audit.record(
                    audit.Kind.PAPER_UPLOAD_REFUSED,
                    request=request,
                    user=user if getattr(user, "tenant_id", None) == current_tenant().pk else None,
                    reason="too_large",
                    path=request.path[:200],
                )
                return JsonResponse(
                    error_body("paper_refused", too_large(limit).detail),
                    status=413,
                    json_dumps_params={"ensure_ascii": False},
                )
            self.size_limit = limit_uploads(request, limit_bytes=limit)
        return super().dispatch(request, *args, **kwargs)

    def parsed(
        self, serializer_class: type[Input], request: Request, access: MeetingAccess
    ) -> dict[str, Any]:
        data = parse_request(serializer_class, request)
        if self.size_limit is not None and self.size_limit.too_large:
            actions.record_refused_upload(
                access.meeting,
                reason="too_large",
                title="",
                file_name="",
                acting_user=_user(request),
                request=request._request,
            )
            raise too_large(self.size_limit.limit_bytes)
        return data

    def handle_exception(self, exc: Exception) -> Response:
        # A file cut off by the size limit makes the form incomplete: say
        # what really happened rather than "this field is required".
        if (
            isinstance(exc, serializers.ValidationError | Invalid)
            and self.size_limit
            and self.size_limit.too_large
        ):
            exc = too_large(self.size_limit.limit_bytes)
        return super().handle_exception(exc)


# --- the meeting's papers ---------------------------------------------------------------


class PaperListApi(_UploadApi):
    class InputSerializer(Input):
        file = serializers.FileField(allow_empty_file=True, help_text="The paper as a PDF.")
        title = serializers.CharField(max_length=actions.MAX_TITLE)
        kind = PaperKindField(default=Paper.Kind.SUBMISSION)
        presenting_unit = serializers.CharField(max_length=actions.MAX_UNIT, required=False, allow_blank=True)
        item_id = Id(
            required=False, allow_null=True, help_text="Omitted or null: a paper of the whole meeting."
        )
        restricted = serializers.BooleanField(default=False, help_text="Only for the named recipients.")
        recipient_ids = serializers.ListField(
            child=Id(), required=False, max_length=500, help_text="Users who take part in the meeting."
        )
        downloadable = serializers.BooleanField(default=False)
        declared_secret = serializers.BooleanField(
            default=False, help_text="The paper is marked Mật, Tối mật or Tuyệt mật: it is refused."
        )
        confirmed_unreadable = serializers.BooleanField(
            default=False,
            help_text=(
                "The uploader has looked at the pages eCabinet could not read (pictures without text) "
                "and none is marked secret; needed only when an upload was refused as `unreadable`."
            ),
        )

        class Meta:
            ref_name = "PaperUpload"

    @extend_schema(
        summary="The papers of a meeting this user receives (all of them for the secretariat)",
        responses={200: PaperEntrySerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        access = _meeting(request, meeting_id, Capability.VIEW_MEETING)
        if access.allows(Capability.EDIT_MEETING):
            papers = Paper.objects.filter(meeting=access.meeting)
        else:
            papers = readable_papers(access)
        available = _available(access)
        papers = papers.select_related("current_version").order_by("item_id", "position", "id")
        return Response([paper_entry(paper, available=available) for paper in papers])

    @extend_schema(
        summary="Upload a paper (secretariat)",
        request={"multipart/form-data": InputSerializer},
        responses={201: PaperResultSerializer, **UPLOAD_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _meeting(request, meeting_id, Capability.EDIT_MEETING)
        data = self.parsed(self.InputSerializer, request, access)
        paper = actions.do_upload_paper(
            access.meeting,
            upload=data["file"],
            title=data["title"],
            kind=data["kind"],
            presenting_unit=data.get("presenting_unit", ""),
            item=_item(access, data.get("item_id")),
            restricted=data["restricted"],
            recipients=_people(data.get("recipient_ids", [])) if data["restricted"] else [],
            downloadable=data["downloadable"],
            declared_secret=data["declared_secret"],
            confirmed_unreadable=data["confirmed_unreadable"],
            acting_user=_user(request),
            request=request._request,
        )
        result = _fresh(PaperAccess(meeting=access, paper=paper))
        return Response({"paper": paper_detail(result)}, status=status.HTTP_201_CREATED)


class EndReadingApi(APIView):
    @extend_schema(
        summary="End reading of the meeting's papers now, for all but the secretariat and the chair",
        request=NoInput,
        responses={200: ReadingSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        access = _meeting(request, meeting_id, Capability.EDIT_MEETING)
        parse_request(NoInput, request)
        state = actions.do_end_reading(access.meeting, acting_user=_user(request), request=request._request)
        return Response({"meeting_id": access.meeting.pk, "ended_at": state.revoked_at})


# --- one paper --------------------------------------------------------------------------


class PaperDetailApi(APIView):
    class InputSerializer(Input):
        title = serializers.CharField(max_length=actions.MAX_TITLE, required=False)
        kind = PaperKindField(required=False)
        presenting_unit = serializers.CharField(max_length=actions.MAX_UNIT, required=False, allow_blank=True)
        item_id = Id(required=False, allow_null=True, help_text="Null: a paper of the whole meeting.")

        class Meta:
            ref_name = "PaperUpdate"

    @extend_schema(
        summary="One paper, with a signed link to this user's stamped copy",
        description="Readers get the current version only; the secretariat also gets every version.",
        responses={200: PaperDetailSerializer, **errors(401, 403, 404)},
    )
    def get(self, request: Request, paper_id: int) -> Response:
        return Response(paper_detail(_paper(request, paper_id)))

    @extend_schema(
        summary="Change a paper's title, kind, unit or item (secretariat)",
        request=InputSerializer,
        responses={200: PaperResultSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, paper_id: int) -> Response:
        access = _paper(request, paper_id, editing=True)
        data = parse_request(self.InputSerializer, request)
        if "item_id" in data:
            data["item"] = _item(access.meeting, data.pop("item_id"))
        actions.do_update_paper(
            access.paper, changes=data, acting_user=_user(request), request=request._request
        )
        return Response({"paper": paper_detail(_fresh(access))})

    @extend_schema(
        summary="Withdraw a paper: nobody receives it any more (secretariat)",
        request=None,
        responses={204: None, **WRITE_ERRORS},
    )
    def delete(self, request: Request, paper_id: int) -> Response:
        access = _paper(request, paper_id, editing=True)
        actions.do_withdraw_paper(access.paper, acting_user=_user(request), request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PaperVersionsApi(_UploadApi):
    class InputSerializer(Input):
        file = serializers.FileField(allow_empty_file=True, help_text="The new version as a PDF.")
        change_note = serializers.CharField(max_length=actions.MAX_NOTE, required=False, allow_blank=True)
        declared_secret = serializers.BooleanField(default=False)
        confirmed_unreadable = serializers.BooleanField(
            default=False,
            help_text=(
                "The uploader has looked at the pages eCabinet could not read (pictures without text) "
                "and none is marked secret; needed only when an upload was refused as `unreadable`."
            ),
        )

        class Meta:
            ref_name = "PaperReplace"

    @extend_schema(
        summary="Upload a new version (secretariat); readers get it from now on",
        request={"multipart/form-data": InputSerializer},
        responses={201: PaperResultSerializer, **UPLOAD_ERRORS},
    )
    def post(self, request: Request, paper_id: int) -> Response:
        access = _paper(request, paper_id, editing=True)
        data = self.parsed(self.InputSerializer, request, access.meeting)
        actions.do_replace_paper(
            access.paper,
            upload=data["file"],
            change_note=data.get("change_note", ""),
            declared_secret=data["declared_secret"],
            confirmed_unreadable=data["confirmed_unreadable"],
            acting_user=_user(request),
            request=request._request,
        )
        return Response({"paper": paper_detail(_fresh(access))}, status=status.HTTP_201_CREATED)


class DistributionApi(APIView):
    class InputSerializer(Input):
        restricted = serializers.BooleanField(help_text="Only for the named recipients.")
        recipient_ids = serializers.ListField(child=Id(), max_length=500, required=False, default=list)
        downloadable = serializers.BooleanField()

        class Meta:
            ref_name = "PaperDistribution"

    @extend_schema(
        summary="Who receives a paper, and whether it may be downloaded (secretariat)",
        request=InputSerializer,
        responses={200: PaperResultSerializer, **WRITE_ERRORS},
    )
    def put(self, request: Request, paper_id: int) -> Response:
        access = _paper(request, paper_id, editing=True)
        data = parse_request(self.InputSerializer, request)
        actions.do_set_distribution(
            access.paper,
            restricted=data["restricted"],
            recipients=_people(data["recipient_ids"]) if data["restricted"] else [],
            downloadable=data["downloadable"],
            acting_user=_user(request),
            request=request._request,
        )
        return Response({"paper": paper_detail(_fresh(access))})


class PaperMoveApi(APIView):
    class InputSerializer(Input):
        offset = serializers.ChoiceField(choices=[(-1, "up"), (1, "down")], help_text="-1 up, 1 down.")

        class Meta:
            ref_name = "PaperMove"

    @extend_schema(
        summary="Move a paper up or down among its item's papers (secretariat)",
        request=InputSerializer,
        responses={200: PaperOrderSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, paper_id: int) -> Response:
        access = _paper(request, paper_id, editing=True)
        data = parse_request(self.InputSerializer, request)
        order = actions.do_move_paper(
            access.paper, offset=data["offset"], acting_user=_user(request), request=request._request
        )
        return Response({"order": order})


# --- the tenant's settings ----------------------------------------------------------------


class PaperSettingsApi(APIView):
    class InputSerializer(Input):
        max_upload_mb = serializers.IntegerField(
            min_value=1,
            max_value=2**31 - 1,
            help_text="At most the server's ceiling (ECABINET_MAX_UPLOAD_MB).",
        )
        grace_days = serializers.IntegerField(min_value=0, max_value=actions.MAX_GRACE_DAYS)

        class Meta:
            ref_name = "PaperSettingsInput"

    @extend_schema(
        summary="The tenant's paper settings", responses={200: PaperSettingsSerializer, **errors(401)}
    )
    def get(self, request: Request) -> Response:
        found = paper_settings(current_tenant())
        return Response({"max_upload_mb": found.max_upload_mb, "grace_days": found.grace_days})

    @extend_schema(
        summary="Change the largest paper and the days of reading after a meeting (secretariat)",
        request=InputSerializer,
        responses={200: PaperSettingsSerializer, **errors(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        access_tenant(request.user, TenantCapability.SET_RULES, request=request._request)
        data = parse_request(self.InputSerializer, request)
        found = actions.do_set_paper_settings(tenant=current_tenant(), acting_user=_user(request), **data)
        return Response({"max_upload_mb": found.max_upload_mb, "grace_days": found.grace_days})


M = "meetings/<int:meeting_id>/papers/"
P = "papers/<int:paper_id>/"

urlpatterns = [
    path(M, PaperListApi.as_view(), name="paper-list"),
    path(M + "end-reading/", EndReadingApi.as_view(), name="papers-end-reading"),
    path(P, PaperDetailApi.as_view(), name="paper-detail"),
    path(P + "versions/", PaperVersionsApi.as_view(), name="paper-versions"),
    path(P + "distribution/", DistributionApi.as_view(), name="paper-distribution"),
    path(P + "move/", PaperMoveApi.as_view(), name="paper-move"),
    path("paper-settings/", PaperSettingsApi.as_view(), name="paper-settings"),
]
