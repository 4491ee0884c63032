"""Meetings over the API: thin, through the same access checks as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecabinet.api import ErrorSerializer
from ecabinet.realtime import REPLAY_LIMIT, events_since
from ecabinet.roles import Role
from meetings.access import access_meeting
from meetings.selectors import meeting_list_for_user


class MeetingOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    scheduled_start = serializers.DateTimeField()
    status = serializers.CharField()
    my_role = serializers.ChoiceField(choices=Role.choices, allow_null=True)
    participant_count = serializers.IntegerField()
    last_seq = serializers.IntegerField(source="stream.last_seq")


class MeetingListApi(APIView):
    @extend_schema(responses={200: MeetingOutputSerializer(many=True), 401: ErrorSerializer})
    def get(self, request: Request) -> Response:
        meetings = meeting_list_for_user(request.user).select_related("stream")
        return Response(MeetingOutputSerializer(meetings, many=True).data)


class EventFrameSerializer(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.CharField()
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    data = serializers.DictField()  # type: ignore[assignment]


class MeetingEventsApi(APIView):
    """Events of a meeting after ``since``, for a client that missed some."""

    class QuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
        since = serializers.IntegerField(min_value=0, max_value=2**63 - 1)
        limit = serializers.IntegerField(min_value=1, max_value=REPLAY_LIMIT, required=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("since", int, required=True, description="Last seq the client has."),
            OpenApiParameter("limit", int, required=False, description=f"At most {REPLAY_LIMIT}."),
        ],
        responses={
            200: inline_serializer(
                "EventReplay",
                {
                    "last_seq": serializers.IntegerField(),
                    "more": serializers.BooleanField(),
                    "events": EventFrameSerializer(many=True),
                },
            ),
            400: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        access = access_meeting(request.user, meeting_id, request=request._request)
        limit = query.validated_data.get("limit", REPLAY_LIMIT)
        events = events_since(access.meeting.stream, query.validated_data["since"], limit=limit)
        last_seq = max([access.meeting.stream.last_seq] + [event.seq for event in events[-1:]])
        return Response(
            {
                "last_seq": last_seq,
                "more": len(events) >= limit,
                "events": [event.as_frame() for event in events],
            }
        )
