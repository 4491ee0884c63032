from django.urls import path

from reports import api_tasks

T = "reports/tasks/<int:task_id>/"

urlpatterns = [
    path("reports/tasks/", api_tasks.TaskListApi.as_view(), name="api-task-list"),
    path(
        "reports/meetings/<int:meeting_id>/tasks/",
        api_tasks.MeetingTasksApi.as_view(),
        name="api-meeting-tasks",
    ),
    path(T, api_tasks.TaskDetailApi.as_view(), name="api-task-detail"),
    path(T + "progress/", api_tasks.TaskProgressApi.as_view(), name="api-task-progress"),
    path(T + "done/", api_tasks.TaskDoneApi.as_view(), name="api-task-done"),
    path(T + "cancel/", api_tasks.TaskCancelApi.as_view(), name="api-task-cancel"),
    path(T + "reopen/", api_tasks.TaskReopenApi.as_view(), name="api-task-reopen"),
    path("reports/settings/", api_tasks.ReportSettingsApi.as_view(), name="api-report-settings"),
]
