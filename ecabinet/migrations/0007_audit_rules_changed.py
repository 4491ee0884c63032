# The audit kind for a change of a tenant's rules.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ecabinet', '0006_audit_demo_reset'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='kind',
            field=models.CharField(choices=[('login', 'Login'), ('login_failed', 'Failed login'), ('logout', 'Logout'), ('token_issued', 'API token issued'), ('permission_refused', 'Permission refused'), ('tenant_created', 'Tenant created'), ('rules_changed', 'Rules changed'), ('paper_uploaded', 'Paper uploaded'), ('paper_replaced', 'New version of a paper'), ('paper_upload_refused', 'Paper refused at upload'), ('paper_distribution_changed', 'Paper distribution changed'), ('paper_opened', 'Paper opened'), ('paper_downloaded', 'Paper downloaded'), ('paper_revoked', 'Access to papers ended'), ('paper_removed', 'Paper removed'), ('positions_cutoff_set', 'Cutoff for positions set'), ('position_given', 'Position given'), ('consent_list_adopted', 'Consent list adopted'), ('slip_issued', 'Opinion slip issued'), ('slip_answered', 'Opinion slip answered'), ('slip_closed', 'Opinion slip closed'), ('ballot_opened', 'Ballot opened'), ('vote_cast', 'Vote cast'), ('ballot_closed', 'Ballot closed'), ('document_signed', 'Document signed'), ('minutes_drafted', 'Minutes drafted'), ('minutes_issued', 'Minutes issued'), ('task_assigned', 'Task assigned'), ('task_updated', 'Task updated'), ('demo_reset', 'Demo data reset')], max_length=40, verbose_name='kind'),
        ),
    ]
