"""Each meeting's events become a hash chain; those already kept are linked in order."""

from django.db import migrations, models

GENESIS = "0" * 64


def link_the_events_kept(apps, schema_editor):
    from ecabinet.chains import digest, utc

    Event = apps.get_model("ecabinet", "Event")
    EventStream = apps.get_model("ecabinet", "EventStream")
    for stream_id in EventStream.objects.values_list("pk", flat=True).iterator():
        prev = GENESIS
        for event in Event.objects.filter(stream_id=stream_id).order_by("seq").iterator(chunk_size=2000):
            prev = digest([stream_id, event.seq, prev, event.type, utc(event.at), event.data, event.audience])
            Event.objects.filter(pk=event.pk).update(hash=prev)
        EventStream.objects.filter(pk=stream_id).update(last_hash=prev)


class Migration(migrations.Migration):
    dependencies = [("ecabinet", "0009_audit_kinds_for_every_action")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="hash",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AddField(
            model_name="eventstream",
            name="last_hash",
            field=models.CharField(default="0000000000000000000000000000000000000000000000000000000000000000", max_length=64),
        ),
        migrations.RunPython(link_the_events_kept, migrations.RunPython.noop),
    ]
