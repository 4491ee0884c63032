"""Ballots and slips keep the rules they are counted by.

Those already made take their tenant's quorum as it stands now: nothing
older was kept.
"""

from django.conf import settings
from django.db import migrations, models


def take_the_tenants_quorum(apps, schema_editor):
    settings_model = apps.get_model("meetings", "MeetingSettings")
    quorum = dict(settings_model.objects.values_list("tenant_id", "quorum_percent"))
    for name in ("Ballot", "Slip"):
        model = apps.get_model("voting", name)
        for tenant_id, percent in quorum.items():
            model.objects.filter(tenant_id=tenant_id).update(quorum_percent=percent)


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0002_secret_ballot_early_close'),
        ('voting', '0002_slip_papers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='ballot',
            name='closes_before_quorum',
            field=models.BooleanField(default=False, verbose_name='a secret ballot may be closed before the quorum'),
        ),
        migrations.AddField(
            model_name='ballot',
            name='quorum_percent',
            field=models.PositiveSmallIntegerField(default=50, verbose_name='quorum (percentage), fixed at opening'),
        ),
        migrations.AddField(
            model_name='slip',
            name='quorum_percent',
            field=models.PositiveSmallIntegerField(default=50, verbose_name='quorum (percentage), fixed at issue'),
        ),
        migrations.AddConstraint(
            model_name='ballot',
            constraint=models.CheckConstraint(condition=models.Q(('quorum_percent__gte', 1), ('quorum_percent__lte', 100)), name='ballot_quorum_is_a_percentage'),
        ),
        migrations.RunPython(take_the_tenants_quorum, migrations.RunPython.noop),
    ]
