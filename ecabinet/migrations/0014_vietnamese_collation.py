"""The ``vi`` collation on PostgreSQL (ICU, Vietnamese), for names in the order
people expect; SQLite registers the same name on every connection
(``ecabinet.collation``)."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi-VN')")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS vi")


class Migration(migrations.Migration):
    dependencies = [("ecabinet", "0013_socket_receipts")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
