from django.urls import path

from reports.followup import api

T = "reports/tasks/<int:task_id>/"

urlpatterns = [
    path("reports/tasks/", api.TaskListApi.as_view(), name="task-list"),
    path("reports/meetings/<int:meeting_id>/tasks/", api.MeetingTasksApi.as_view(), name="meeting-tasks"),
    path(T, api.TaskDetailApi.as_view(), name="task-detail"),
    path(T + "progress/", api.TaskProgressApi.as_view(), name="task-progress"),
    path(T + "done/", api.TaskDoneApi.as_view(), name="task-done"),
    path(T + "cancel/", api.TaskCancelApi.as_view(), name="task-cancel"),
    path(T + "reopen/", api.TaskReopenApi.as_view(), name="task-reopen"),
]
