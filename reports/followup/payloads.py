"""The shapes of follow-up tasks in API answers (``ecabinet.shapes``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypedDict

from ecabinet.shapes import DATE, DATETIME, Doc, Enum
from reports.followup import selectors
from reports.models import FollowUpTask


class TaskShape(TypedDict):
    id: int
    meeting_id: int
    meeting_title: str
    item_id: Annotated[int | None, Doc("The concluded item it comes from.")]
    item_title: str | None
    record_id: Annotated[int | None, Doc("The conclusion notice it comes from.")]
    title: str
    detail: str
    assignee_id: int | None
    assignee_name: str | None
    assignee_unit: str
    due_date: Annotated[str, DATE]
    status: Annotated[str, Enum(FollowUpTask.Status, "TaskStatus")]
    status_label: str
    overdue: Annotated[bool, Doc("In progress and past its due date.")]
    progress_note: str
    created_at: Annotated[dt.datetime, DATETIME]
    completed_at: Annotated[dt.datetime | None, DATETIME, Doc("Done or cancelled at.")]


class TaskResultShape(TypedDict):
    task: TaskShape


class TaskCountsShape(TypedDict):
    open: int
    overdue: int
    done: int
    cancelled: int


class TaskListShape(TypedDict):
    counts: Annotated[TaskCountsShape | None, Doc("Of every task overseen; null for `mine`.")]
    tasks: list[TaskShape]


def task_payload(task: FollowUpTask, today: dt.date | None = None) -> TaskShape:
    return {
        "id": task.pk,
        "meeting_id": task.meeting_id,
        "meeting_title": task.meeting.title,
        "item_id": task.item_id,
        "item_title": task.item.title if task.item is not None else None,
        "record_id": task.record_id,
        "title": task.title,
        "detail": task.detail,
        "assignee_id": task.assignee_id,
        "assignee_name": (task.assignee.full_name or task.assignee.username)
        if task.assignee is not None
        else None,
        "assignee_unit": task.assignee_unit,
        "due_date": task.due_date.isoformat(),
        "status": task.status,
        "status_label": str(task.get_status_display()),
        "overdue": selectors.is_overdue(task, today),
        "progress_note": task.progress_note,
        "created_at": task.created_at,
        "completed_at": task.completed_at,
    }
