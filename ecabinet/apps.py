from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class EcabinetConfig(AppConfig):
    name = "ecabinet"
    default = True
    verbose_name = _("eCabinet")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers of the audit log, and the core socket actions.
        from ecabinet import audit, collation, flushing, realtime, schema, signing  # noqa: F401
        from ecabinet.navigation import HOME, Link, register_link

        register_link(HOME, Link("verify-link", _("Check a signed document"), "verify-pdf", order=50))

        from ecabinet.realtime.receipts import forget_old_receipts
        from ecabinet.recovery import recover_work_sweep
        from ecabinet.worker import register_sweep

        register_sweep(recover_work_sweep)
        register_sweep(forget_old_receipts)


class NationalAdminConfig(admin_apps.AdminConfig):
    """The Django admin, as a site only national administrators enter."""

    default = False
    default_site = "ecabinet.admin_site.NationalAdminSite"


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks' database backend, under a name the admin shows in the reader's language."""

    verbose_name = _("Background work")  # type: ignore[assignment]  # lazy, as every app name of ours
