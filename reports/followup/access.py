"""Who oversees a follow-up task and who is assigned it, decided once for
pages, the API and the worker.

- the secretariat and the chair of the task's meeting oversee it: they assign,
  edit, cancel and reopen, and see every task's status and what is overdue;
- the assignee (or a person of the assigned unit) sees the task, reports
  progress and marks it done;
- anyone else gets the same ``NotFound`` as for a task that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.errors import NotAllowed, NotFound
from ecabinet.roles import Role, TenantCapability, tenant_allows
from ecabinet.tenancy import belongs_here, current_tenant
from meetings.access import MAX_ID, access_meeting
from meetings.models import Meeting, Participant
from reports.models import FollowUpTask

# What a task's pages and answers show with it, in the same query.
TASK_RELATIONS = ("meeting", "item", "assignee", "record")


def oversees_every_task(user: Any) -> bool:
    """The tenant's secretariat oversees every task of its tenant."""
    return tenant_allows(user, TenantCapability.OVERSEE_TASKS)


def chaired_meetings(user: Any) -> QuerySet[Participant, Any]:
    """The ids of the meetings this user chairs, as a subquery."""
    return Participant.objects.filter(user=user, role=Role.CHAIR).values("meeting_id")


def assigned_q(user: Any) -> Q:
    q = Q(assignee=user)
    if getattr(user, "unit", ""):
        q |= Q(assignee_unit=user.unit)
    return q


def is_assigned(task: FollowUpTask, user: Any) -> bool:
    if task.assignee_id is not None and task.assignee_id == user.pk:
        return True
    return bool(task.assignee_unit) and task.assignee_unit == getattr(user, "unit", "")


def oversees_meeting(user: Any, meeting: Meeting) -> bool:
    """The secretariat, or the chair of this meeting."""
    if oversees_every_task(user):
        return True
    return Participant.objects.filter(meeting=meeting, user=user, role=Role.CHAIR).exists()


def in_this_tenant(user: Any) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and getattr(user, "tenant_id", None) is not None
        and belongs_here(user, current_tenant())
    )


@dataclass(frozen=True)
class TaskAccess:
    task: FollowUpTask
    user: Any
    oversees: bool  # the secretariat or the meeting's chair
    assigned: bool  # the assignee, or a person of the assigned unit

    def require_oversight(self, *, request: Any = None) -> None:
        if self.oversees:
            return
        audit.record(
            audit.Kind.PERMISSION_REFUSED, request=request, user=self.user, task_id=self.task.pk, area="tasks"
        )
        raise NotAllowed(_("Only the secretariat and the meeting's chair may do this."))


def access_task(user: Any, task_id: Any, *, request: Any = None) -> TaskAccess:
    """A task this user may see; ``NotFound`` for one missing, foreign or not theirs."""
    if not in_this_tenant(user):
        raise NotFound()
    if not isinstance(task_id, int) or isinstance(task_id, bool) or not 0 < task_id <= MAX_ID:
        raise NotFound()
    task = FollowUpTask.objects.select_related(*TASK_RELATIONS).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    oversees = oversees_meeting(user, task.meeting)
    assigned = is_assigned(task, user)
    if not (oversees or assigned):
        audit.record(audit.Kind.PERMISSION_REFUSED, request=request, user=user, task_id=task_id, area="tasks")
        raise NotFound()
    return TaskAccess(task=task, user=user, oversees=oversees, assigned=assigned)


def access_meeting_tasks(user: Any, meeting_id: Any, *, assign: bool = False, request: Any = None) -> Meeting:
    """A meeting whose tasks this user may read (any participant), or assign (its overseers)."""
    if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
        raise NotFound()
    meeting = access_meeting(user, meeting_id, request=request).meeting
    if assign and not oversees_meeting(user, meeting):
        audit.record(
            audit.Kind.PERMISSION_REFUSED, request=request, user=user, meeting_id=meeting.pk, area="tasks"
        )
        raise NotAllowed(_("Only the secretariat and the meeting's chair may assign tasks."))
    return meeting
