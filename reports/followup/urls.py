from django.urls import path

from reports.followup import views

T = "reports/tasks/<int:task_id>/"

urlpatterns = [
    path("reports/tasks/", views.task_list, name="task-list"),
    path("reports/meetings/<int:meeting_id>/tasks/", views.meeting_task_list, name="meeting-tasks"),
    path(T, views.task_detail, name="task-detail"),
    path(T + "edit/", views.task_edit, name="task-edit"),
    path(T + "progress/", views.task_progress, name="task-progress"),
    path(T + "done/", views.task_done, name="task-done"),
    path(T + "cancel/", views.task_cancel, name="task-cancel"),
    path(T + "reopen/", views.task_reopen, name="task-reopen"),
]
