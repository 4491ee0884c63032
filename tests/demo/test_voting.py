"""seed_demo: an open slip, a closed one with its signed result, positions on the upcoming session."""

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from demo.data import DEMO_CLOSED_SLIP
from ecabinet.models import SignedDocument, Tenant
from ecabinet.signing import verify_pdf
from ecabinet.tenancy import tenant_context
from meetings.models import Meeting
from voting.actions import consent_items
from voting.models import Position, PositionChange, Slip, SlipPaper
from voting.tasks import issue_slip_result


def test_seed_demo_adds_slips_and_positions_and_stays_idempotent(
    db, signing_dir, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--quiet")
    call_command("seed_demo", "--quiet")
    tenant = Tenant.objects.get(slug="hanoi")
    with tenant_context(tenant):
        open_slip = Slip.objects.get(status="open")
        # the open slip carries its draft as a real PDF paper, once
        link = SlipPaper.objects.select_related("paper__current_version").get(slip=open_slip)
        assert link.paper.meeting_id is None and link.paper.current_version.page_count == 4
        closed = Slip.objects.get(status="closed", question=DEMO_CLOSED_SLIP[0])
        assert closed.result["outcome"] == "passed" and closed.result["voted"] == 8
        queued = DBTaskResult.objects.filter(
            task_path="voting.tasks.issue_slip_result", args_kwargs__args=[tenant.pk, closed.pk]
        )
        assert queued.exists()
        document_id = issue_slip_result.call(tenant.pk, closed.pk)
        assert verify_pdf(bytes(SignedDocument.objects.get(pk=document_id).content)).valid
        upcoming = Meeting.objects.get(status="published")
        assert Position.objects.filter(item__meeting=upcoming).count() == 9
        assert not PositionChange.objects.exists()  # a second run changed nothing
        assert [i.position for i in consent_items(upcoming)] == [1]
