from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # minutes and conclusion notices: who reads the signed PDFs; the meeting page's panel
        from reports.minutes import register_record_access
        from reports.views_minutes import register_records_panel

        register_record_access()
        register_records_panel()

        # follow-up tasks: the reminders' safety net, started by manage.py serve
        from ecabinet.worker import register_sweep
        from reports.tasks import send_task_reminders

        register_sweep(send_task_reminders)
