"""Follow-up tasks over the API.

Thin like the meetings API: parse with a nested ``InputSerializer`` (unknown
fields refused), fetch with ``reports.task_access.access_task`` /
``access_meeting_tasks`` (missing, foreign and not one's own are one 404; a
member who may read but not oversee gets 403), call one action, answer with
``task_payload``.
"""

from __future__ import annotations

from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecabinet.api import EnumField, Id, Input, NoInput, Serializer, errors, parse_request
from ecabinet.errors import Invalid
from ecabinet.models import User
from ecabinet.roles import Capability, require
from ecabinet.shapes import serializer_for
from meetings.models import AgendaItem
from reports.followup import access as task_access
from reports.followup import actions as followup
from reports.followup import selectors as task_selectors
from reports.followup.payloads import TaskListShape, TaskResultShape, TaskShape, task_payload
from reports.models import FollowUpTask, MeetingRecord

WRITE_ERRORS = errors(400, 401, 403, 404, 409)


def _user(request: Request) -> User:
    return cast(User, request.user)


def TaskStatusField(**kwargs: Any) -> EnumField:  # noqa: N802 - reads as a field type
    return EnumField(FollowUpTask.Status, enum_name="TaskStatus", **kwargs)


TaskResultSerializer = serializer_for(TaskResultShape)
TaskListSerializer = serializer_for(TaskListShape)


class ListQuery(Serializer):
    scope = serializers.ChoiceField(choices=["mine", "overseen"], default="mine")
    status = TaskStatusField(required=False)
    overdue = serializers.BooleanField(required=False, default=False)


def _payloads(tasks: Any) -> list[TaskShape]:
    today = timezone.localdate()
    return [task_payload(t, today) for t in tasks[:500]]


def _query(request: Request) -> dict[str, Any]:
    unknown = set(request.query_params) - {"scope", "status", "overdue"}
    if unknown:
        raise Invalid(_("Unknown parameter “%(name)s”.") % {"name": sorted(unknown)[0][:50]})
    query = ListQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


LIST_PARAMETERS = [
    OpenApiParameter("scope", str, enum=["mine", "overseen"], description="mine (default) or overseen"),
    OpenApiParameter(
        "status", str, enum=FollowUpTask.Status.values, description="Only tasks of this status."
    ),
    OpenApiParameter("overdue", bool, description="Only tasks in progress past their due date."),
]


class TaskListApi(APIView):
    @extend_schema(
        summary="My tasks, or every task I oversee (secretariat, chairs)",
        operation_id="v1_reports_tasks_list",
        parameters=LIST_PARAMETERS,
        responses={200: TaskListSerializer, **errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        query = _query(request)
        if query["scope"] == "mine":
            tasks, counts = task_selectors.my_tasks(user), None
        else:
            if not task_selectors.oversees_any(user):
                require(user, None, Capability.EDIT_MEETING, request=request._request, area="tasks")
            tasks = task_selectors.overseen_tasks(user)
            counts = task_selectors.task_counts(tasks)
        shown = task_selectors.only(tasks, status=query.get("status", ""), overdue=query["overdue"])
        return Response({"counts": counts, "tasks": _payloads(shown)})


class _TaskFields(Input):
    title = serializers.CharField(max_length=followup.MAX_TITLE)
    detail = serializers.CharField(max_length=followup.MAX_TEXT, required=False, allow_blank=True)
    assignee_id = Id(required=False, allow_null=True, help_text="A person of this tenant.")
    assignee_unit = serializers.CharField(max_length=followup.MAX_UNIT, required=False, allow_blank=True)
    due_date = serializers.DateField(help_text="YYYY-MM-DD, today or later.")


class MeetingTasksApi(APIView):
    class InputSerializer(_TaskFields):
        item_id = Id(required=False, allow_null=True, help_text="A concluded item of this meeting.")
        notice = serializers.BooleanField(
            required=False, default=False, help_text="From the meeting's conclusion notice."
        )

        class Meta:
            ref_name = "TaskAssign"

    @extend_schema(
        summary="A meeting's tasks: all for its secretariat and chair, else one's own",
        operation_id="v1_reports_meeting_tasks_list",
        responses={200: TaskListSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, meeting_id: int) -> Response:
        user = _user(request)
        meeting = task_access.access_meeting_tasks(user, meeting_id, request=request._request)
        return Response({"counts": None, "tasks": _payloads(task_selectors.meeting_tasks(user, meeting))})

    @extend_schema(
        summary="Assign a task from a conclusion (secretariat, chair)",
        request=InputSerializer,
        responses={201: TaskResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, meeting_id: int) -> Response:
        user = _user(request)
        meeting = task_access.access_meeting_tasks(user, meeting_id, assign=True, request=request._request)
        data = parse_request(self.InputSerializer, request)
        item = None
        if data.get("item_id") is not None:
            item = AgendaItem.objects.filter(meeting=meeting, pk=data["item_id"]).first()
            if item is None:
                raise Invalid(_("The item is not on this meeting's agenda."))
        record = None
        if data["notice"]:
            record = MeetingRecord.objects.filter(meeting=meeting, kind=MeetingRecord.Kind.NOTICE).first()
            if record is None:
                raise Invalid(_("This meeting has no conclusion notice yet."))
        task = followup.do_assign_task(
            meeting,
            title=data["title"],
            detail=data.get("detail", ""),
            assignee=data.get("assignee_id"),
            assignee_unit=data.get("assignee_unit", ""),
            due_date=data["due_date"],
            item=item,
            record=record,
            acting_user=user,
        )
        task = task_access.access_task(user, task.pk).task
        return Response({"task": task_payload(task)}, status=status.HTTP_201_CREATED)


def _task(request: Request, task_id: int) -> task_access.TaskAccess:
    return task_access.access_task(_user(request), task_id, request=request._request)


def _fresh(request: Request, task: FollowUpTask) -> Response:
    return Response({"task": task_payload(_task(request, task.pk).task)})


class TaskDetailApi(APIView):
    class InputSerializer(Input):
        title = serializers.CharField(max_length=followup.MAX_TITLE, required=False)
        detail = serializers.CharField(max_length=followup.MAX_TEXT, required=False, allow_blank=True)
        assignee_id = Id(required=False, allow_null=True)
        assignee_unit = serializers.CharField(max_length=followup.MAX_UNIT, required=False, allow_blank=True)
        due_date = serializers.DateField(required=False)

        class Meta:
            ref_name = "TaskEdit"

    @extend_schema(summary="One task", responses={200: TaskResultSerializer, **errors(401, 404)})
    def get(self, request: Request, task_id: int) -> Response:
        return Response({"task": task_payload(_task(request, task_id).task)})

    @extend_schema(
        summary="Edit a task in progress (secretariat, chair)",
        request=InputSerializer,
        responses={200: TaskResultSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, task_id: int) -> Response:
        access = _task(request, task_id)
        access.require_oversight(request=request._request)
        data = parse_request(self.InputSerializer, request)
        if "assignee_id" in data:
            data["assignee"] = data.pop("assignee_id")
        task = followup.do_update_task(access.task, changes=data, acting_user=_user(request))
        return _fresh(request, task)


class NoteInput(Input):
    note = serializers.CharField(max_length=followup.MAX_TEXT, required=False, allow_blank=True)

    class Meta:
        ref_name = "TaskNote"


class ProgressInput(Input):
    note = serializers.CharField(max_length=followup.MAX_TEXT)

    class Meta:
        ref_name = "TaskProgress"


class TaskProgressApi(APIView):
    @extend_schema(
        summary="Report progress (assignee, secretariat, chair)",
        request=ProgressInput,
        responses={200: TaskResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, task_id: int) -> Response:
        access = _task(request, task_id)
        data = parse_request(ProgressInput, request)
        return _fresh(
            request, followup.do_report_progress(access.task, note=data["note"], acting_user=_user(request))
        )


class TaskDoneApi(APIView):
    @extend_schema(
        summary="Report the task done (assignee, secretariat, chair)",
        request=NoteInput,
        responses={200: TaskResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, task_id: int) -> Response:
        access = _task(request, task_id)
        data = parse_request(NoteInput, request)
        return _fresh(
            request,
            followup.do_complete_task(access.task, note=data.get("note", ""), acting_user=_user(request)),
        )


class TaskCancelApi(APIView):
    @extend_schema(
        summary="Cancel the task (secretariat, chair)",
        request=NoteInput,
        responses={200: TaskResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, task_id: int) -> Response:
        access = _task(request, task_id)
        access.require_oversight(request=request._request)
        data = parse_request(NoteInput, request)
        return _fresh(
            request,
            followup.do_cancel_task(access.task, note=data.get("note", ""), acting_user=_user(request)),
        )


class TaskReopenApi(APIView):
    @extend_schema(
        summary="Put a done or cancelled task back in progress (secretariat, chair)",
        request=NoInput,
        responses={200: TaskResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, task_id: int) -> Response:
        access = _task(request, task_id)
        access.require_oversight(request=request._request)
        parse_request(NoInput, request)
        return _fresh(request, followup.do_reopen_task(access.task, acting_user=_user(request)))
