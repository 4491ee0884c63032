from django.urls import path

from reports import views_settings, views_tasks

T = "reports/tasks/<int:task_id>/"

urlpatterns = [
    path("reports/tasks/", views_tasks.task_list, name="task-list"),
    path("reports/meetings/<int:meeting_id>/tasks/", views_tasks.meeting_task_list, name="meeting-tasks"),
    path(T, views_tasks.task_detail, name="task-detail"),
    path(T + "edit/", views_tasks.task_edit, name="task-edit"),
    path(T + "progress/", views_tasks.task_progress, name="task-progress"),
    path(T + "done/", views_tasks.task_done, name="task-done"),
    path(T + "cancel/", views_tasks.task_cancel, name="task-cancel"),
    path(T + "reopen/", views_tasks.task_reopen, name="task-reopen"),
    path("reports/settings/", views_settings.report_settings_page, name="report-settings"),
]
