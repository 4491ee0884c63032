"""The audit log refuses UPDATE (and, on PostgreSQL, DELETE) in the database
itself, so no code path and no admin can rewrite history.

SQLite keeps DELETE open because the test suite's flush empties tables with
DELETE; PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION ecabinet_audit_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only';
            END;
            $$ LANGUAGE plpgsql;
            """
        )
        schema_editor.execute(
            "CREATE TRIGGER ecabinet_audit_no_update BEFORE UPDATE OR DELETE "
            "ON ecabinet_auditevent FOR EACH ROW EXECUTE FUNCTION ecabinet_audit_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER ecabinet_audit_no_update BEFORE UPDATE ON ecabinet_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS ecabinet_audit_no_update ON ecabinet_auditevent;")
        schema_editor.execute("DROP FUNCTION IF EXISTS ecabinet_audit_append_only();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS ecabinet_audit_no_update;")


class Migration(migrations.Migration):
    dependencies = [("ecabinet", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
