"""The minutes and the conclusion notice over the API: thin, through the same
``access_record`` and actions as the pages.

``kind`` is ``minutes`` or ``notice``. Errors map to ``{"error", "detail"}``
through ``ecabinet.api.exception_handler``: another tenant's or an unknown
meeting 404, a role that may not 403, an issued record edited 409.
"""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecabinet.api import Id, Input, NoInput, errors, parse_request
from ecabinet.errors import NotFound
from ecabinet.models import User
from ecabinet.shapes import serializer_for
from reports.minutes import actions, selectors
from reports.minutes.access import RecordAccess, access_record
from reports.minutes.payloads import (
    MeetingRecordDetailShape,
    MeetingRecordShape,
    record_detail,
    record_payload,
)
from reports.models import MeetingRecord

WRITE_ERRORS = errors(400, 401, 403, 404, 409)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _access(request: Request, meeting_id: int, kind: str, *, manage: bool = False) -> RecordAccess:
    return access_record(request.user, meeting_id, kind, manage=manage, request=request._request)


def _record(access: RecordAccess) -> MeetingRecord:
    record = (
        MeetingRecord.objects.select_related("document")
        .defer("document__content")
        .filter(meeting=access.meeting, kind=access.kind)
        .first()
    )
    if record is None or (record.status == MeetingRecord.Status.DRAFT and not access.reads_drafts):
        raise NotFound()
    return record


def _detail(record: MeetingRecord) -> MeetingRecordDetailShape:
    return record_detail(record)


RecordSerializer = serializer_for(MeetingRecordShape)
RecordDetailSerializer = serializer_for(MeetingRecordDetailShape)


class RecordItemInput(Input):
    item_id = Id()
    discussion = serializers.CharField(
        max_length=actions.MAX_TEXT, required=False, allow_blank=True, trim_whitespace=False
    )
    conclusion = serializers.CharField(
        max_length=actions.MAX_TEXT, required=False, allow_blank=True, trim_whitespace=False
    )

    class Meta:
        ref_name = "MeetingRecordItemInput"


class RecordUpdateInput(Input):
    opening = serializers.CharField(max_length=actions.MAX_TEXT, required=False, allow_blank=True)
    attendance_note = serializers.CharField(max_length=actions.MAX_TEXT, required=False, allow_blank=True)
    general_conclusion = serializers.CharField(max_length=actions.MAX_TEXT, required=False, allow_blank=True)
    items = RecordItemInput(many=True, required=False)

    class Meta:
        ref_name = "MeetingRecordUpdateInput"


class RecordListApi(APIView):
    @extend_schema(
        summary="The meeting's minutes and notice: issued ones; drafts too for the secretariat and chair",
        responses={200: RecordSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        access = _access(request, meeting_id, MeetingRecord.Kind.MINUTES)
        return Response([record_payload(r) for r in selectors.visible_records(access)])


class RecordDetailApi(APIView):
    @extend_schema(
        summary="One record with its facts and texts",
        responses={200: RecordDetailSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int, kind: str) -> Response:
        return Response(_detail(_record(_access(request, meeting_id, kind))))

    @extend_schema(
        summary="Edit the draft's texts (secretariat); refused once issued (409)",
        request=RecordUpdateInput,
        responses={200: RecordDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, meeting_id: int, kind: str) -> Response:
        access = _access(request, meeting_id, kind, manage=True)
        data = parse_request(RecordUpdateInput, request)
        if "items" in data:
            data["items"] = [dict(entry) for entry in data["items"]]
        record = actions.do_update_record(_record(access), changes=data, acting_user=_user(request))
        return Response(_detail(record))


class RecordDraftApi(APIView):
    @extend_schema(
        summary="Draft from the session's record, or again keeping the edited texts (secretariat)",
        request=NoInput,
        responses={200: RecordDetailSerializer, 201: RecordDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int, kind: str) -> Response:
        access = _access(request, meeting_id, kind, manage=True)
        parse_request(NoInput, request)
        existed = MeetingRecord.objects.filter(meeting=access.meeting, kind=kind).exists()
        record = actions.do_draft_record(access.meeting, kind=kind, acting_user=_user(request))
        return Response(_detail(record), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class RecordIssueApi(APIView):
    @extend_schema(
        summary="Issue: render, number, sign and send to the participants (secretariat; the meeting closed)",
        request=NoInput,
        responses={200: RecordDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int, kind: str) -> Response:
        access = _access(request, meeting_id, kind, manage=True)
        parse_request(NoInput, request)
        record = actions.do_issue_record(_record(access), acting_user=_user(request))
        return Response(_detail(record))
