# Whether the chair may close a secret ballot before the quorum.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='meetingsettings',
            name='secret_ballot_early_close',
            field=models.BooleanField(default=False, verbose_name='the chair may close a secret ballot before the quorum'),
        ),
    ]
