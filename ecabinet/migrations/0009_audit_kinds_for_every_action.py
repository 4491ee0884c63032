# An audit kind for every action.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ecabinet', '0008_audit_chain'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='kind',
            field=models.CharField(choices=[('login', 'Login'), ('login_failed', 'Failed login'), ('logout', 'Logout'), ('token_issued', 'API token issued'), ('permission_refused', 'Permission refused'), ('tenant_created', 'Tenant created'), ('rules_changed', 'Rules changed'), ('user_created', 'Account created'), ('reminder_sent', 'Reminder sent'), ('meeting_created', 'Meeting created'), ('meeting_changed', 'Meeting changed'), ('meeting_status_changed', 'Meeting published, started, adjourned, resumed or closed'), ('agenda_changed', 'Agenda changed'), ('participants_changed', 'Participants changed'), ('attendance_recorded', 'Attendance recorded'), ('item_status_changed', 'Item opened, concluded or deferred'), ('speaking', 'Request to speak or floor given'), ('comment_changed', 'Comment written, edited or withdrawn'), ('paper_uploaded', 'Paper uploaded'), ('paper_replaced', 'New version of a paper'), ('paper_changed', "Paper's title, kind, item or place changed"), ('paper_upload_refused', 'Paper refused at upload'), ('paper_distribution_changed', 'Paper distribution changed'), ('paper_opened', 'Paper opened'), ('paper_downloaded', 'Paper downloaded'), ('paper_revoked', 'Access to papers ended'), ('paper_removed', 'Paper removed'), ('positions_cutoff_set', 'Cutoff for positions set'), ('position_given', 'Position given'), ('consent_list_adopted', 'Consent list adopted'), ('slip_issued', 'Opinion slip issued'), ('slip_answered', 'Opinion slip answered'), ('slip_closed', 'Opinion slip closed'), ('ballot_opened', 'Ballot opened'), ('vote_cast', 'Vote cast'), ('ballot_closed', 'Ballot closed'), ('document_signed', 'Document signed'), ('minutes_drafted', 'Minutes drafted'), ('minutes_issued', 'Minutes issued'), ('task_assigned', 'Task assigned'), ('task_updated', 'Task updated'), ('demo_reset', 'Demo data reset')], max_length=40, verbose_name='kind'),
        ),
    ]
