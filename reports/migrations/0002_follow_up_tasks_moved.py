"""The follow-up tasks' background jobs moved from ``reports.tasks`` to
``reports.followup.tasks``: jobs already queued under the old path (reminders
scheduled for weeks ahead, the sweep) are renamed so the worker still finds them."""

from django.db import migrations

OLD, NEW = "reports.tasks.", "reports.followup.tasks."


def rename(apps, schema_editor, old=OLD, new=NEW):  # type: ignore[no-untyped-def]
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for row in DBTaskResult.objects.filter(task_path__startswith=old).only("pk", "task_path"):
        DBTaskResult.objects.filter(pk=row.pk).update(task_path=new + row.task_path[len(old) :])


def rename_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_minutes_tasks_settings"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
