from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """What comes after the session; its models (``reports.models``) are shared by the three subjects."""

    name = "reports"
    verbose_name = _("Records, follow-up and measurement")
    default_auto_field = "django.db.models.BigAutoField"


class MinutesConfig(AppConfig):
    """The minutes and the conclusion notice (``reports.minutes``)."""

    name = "reports.minutes"
    verbose_name = _("Minutes and conclusion notices")
    label = "minutes"

    def ready(self) -> None:
        # who reads the signed PDFs; the meeting page's panel
        from ecabinet.realtime import register_events
        from reports.minutes.access import register_record_access
        from reports.minutes.payloads import EVENTS
        from reports.minutes.views import register_records_panel

        register_events(EVENTS)
        register_record_access()
        register_records_panel()


class FollowupConfig(AppConfig):
    """Follow-up tasks from the conclusions (``reports.followup``)."""

    name = "reports.followup"
    verbose_name = _("Follow-up of conclusions")
    label = "followup"

    def ready(self) -> None:
        # the reminders' safety net, started by manage.py serve
        from ecabinet.navigation import HOME, MEETING, Link, register_link
        from ecabinet.worker import register_sweep
        from reports.followup.tasks import send_task_reminders

        register_sweep(send_task_reminders)
        register_link(HOME, Link("tasks-link", _("Follow-up tasks"), "reports:task-list", order=40))
        register_link(
            MEETING,
            Link(
                "meeting-tasks-link",
                _("Follow-up tasks"),
                "reports:meeting-tasks",
                order=20,
                shown=lambda access: access.prepares_or_chairs,
            ),
        )


class MeasurementConfig(AppConfig):
    """Time and paper saved: the tenant's dashboard, the national one, quarterly reports."""

    name = "reports.measurement"
    verbose_name = _("Measurement")
    label = "measurement"

    def ready(self) -> None:
        from ecabinet.navigation import HOME, RULES, Link, register_link
        from ecabinet.roles import TenantCapability

        register_link(
            RULES,
            Link(
                "report-settings-link",
                _("Report settings"),
                "reports:report-settings",
                TenantCapability.SET_RULES,
                20,
            ),
        )

        register_link(
            HOME,
            Link(
                "dashboard-link",
                _("Time and paper saved"),
                "reports:dashboard",
                TenantCapability.SEE_DASHBOARD,
                20,
            ),
        )
        register_link(
            HOME,
            Link(
                "national-link",
                _("National dashboard"),
                "reports:national-dashboard",
                TenantCapability.SEE_NATIONAL_FIGURES,
                30,
            ),
        )
