"""The audit log becomes a hash chain per tenant, append-only on both engines.

Rows already written are numbered and linked in the order they were written
(by id), with the same hash ``ecabinet.audit.row_hash`` uses for new rows.
The triggers of 0002 are replaced: UPDATE and DELETE are now refused on
SQLite too, except inside ``manage.py flush`` (``ecabinet.flushing``);
PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
"""

import django.utils.timezone
from django.db import migrations, models

GENESIS = "0" * 64


def link_the_rows_written(apps, schema_editor):
    from ecabinet.audit import chain_key, row_hash

    AuditEvent = apps.get_model("ecabinet", "AuditEvent")
    AuditChain = apps.get_model("ecabinet", "AuditChain")
    heads: dict[str, tuple[int, str]] = {}
    for row in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        key = chain_key(row.tenant_id)
        seq, prev = heads.get(key, (0, GENESIS))
        row.chain, row.seq, row.prev_hash = key, seq + 1, prev
        row.hash = row_hash(
            chain=key,
            seq=row.seq,
            prev_hash=prev,
            kind=row.kind,
            tenant_id=row.tenant_id,
            user_id=row.user_id,
            at=row.at,
            ip=row.ip,
            user_agent=row.user_agent,
            detail=row.detail,
        )
        AuditEvent.objects.filter(pk=row.pk).update(
            chain=row.chain, seq=row.seq, prev_hash=row.prev_hash, hash=row.hash
        )
        heads[key] = (row.seq, row.hash)
    AuditChain.objects.bulk_create(
        AuditChain(key=key, last_seq=seq, last_hash=last) for key, (seq, last) in heads.items()
    )


def drop_old_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS ecabinet_audit_no_update ON ecabinet_auditevent;")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS ecabinet_audit_no_update;")


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # the function of 0002 raises 'the audit log is append-only'
        schema_editor.execute(
            "CREATE TRIGGER ecabinet_audit_append_only BEFORE UPDATE OR DELETE "
            "ON ecabinet_auditevent FOR EACH ROW EXECUTE FUNCTION ecabinet_audit_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER ecabinet_audit_no_update BEFORE UPDATE ON ecabinet_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
        )
        schema_editor.execute(
            "CREATE TRIGGER ecabinet_audit_no_delete BEFORE DELETE ON ecabinet_auditevent "
            "WHEN ecabinet_flushing() IS NOT 1 "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS ecabinet_audit_append_only ON ecabinet_auditevent;")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS ecabinet_audit_no_update;")
        schema_editor.execute("DROP TRIGGER IF EXISTS ecabinet_audit_no_delete;")


def restore_old_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE TRIGGER ecabinet_audit_no_update BEFORE UPDATE OR DELETE "
            "ON ecabinet_auditevent FOR EACH ROW EXECUTE FUNCTION ecabinet_audit_append_only();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER ecabinet_audit_no_update BEFORE UPDATE ON ecabinet_auditevent "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
        )


class Migration(migrations.Migration):
    dependencies = [("ecabinet", "0007_audit_rules_changed")]

    operations = [
        migrations.RunPython(drop_old_triggers, restore_old_triggers),
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=24, unique=True)),
                ("last_seq", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="time"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="", max_length=24, verbose_name="chain"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(default=0, verbose_name="number in the chain"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash of the row before"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(link_the_rows_written, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_one_row_per_link"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
