"""``seed_demo --reset``: the demo back to its first state for a rehearsal.

A secretariat rehearses with its ministers before the first real session:
they start the upcoming session, vote, copy meetings, issue minutes. The
reset removes, tenant by tenant, everything that is not the demo's own past
(``demo.models``): meetings made or copied in the rehearsal, the upcoming
session with all that happened in it, the rehearsal's slips, tasks and
minutes, and the rules changed on the rules pages; ``seed_demo`` then makes
the upcoming session and the open slips afresh. The server keeps running: a
tablet open on a removed meeting is told it is gone when it reconnects.

What the law keeps is kept: audit rows are append-only and signed documents
immutable, so a signed minutes or result sheet of the rehearsal stays in the
store, no longer linked from anything.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db.models import QuerySet

from demo.data import DEMO_CLOSED_SLIP, DEMO_OPEN_SLIP
from demo.models import DemoMeeting, DemoSlip
from documents.models import MeetingPapers, Paper, PaperSettings, PaperVersion, StampedCopy
from ecabinet import audit
from ecabinet.models import EventStream, User
from meetings.models import Meeting, MeetingSettings
from reports.models import FollowUpTask, MeetingRecord, ReportSettings
from voting.models import Slip, SlipPaper, VotingSettings

KEPT_MEETINGS = (DemoMeeting.Part.PAST, DemoMeeting.Part.HISTORY)


def adopt_earlier_demo(title_prefix: str, history_questions: Iterable[str]) -> None:
    """Register what a ``seed_demo`` from before the registry made, once per tenant.

    The originals are the first meeting of each demo title that is no copy,
    and the slips with the demo's questions.
    """
    if DemoMeeting.objects.filter(meeting__in=Meeting.objects.all()).exists():
        return
    originals: dict[str, Meeting] = {}
    for meeting in Meeting.objects.filter(title__startswith=title_prefix, copied_from__isnull=True).order_by(
        "pk"
    ):
        originals.setdefault(meeting.title, meeting)
    closed = sorted(
        (m for m in originals.values() if m.status == Meeting.Status.CLOSED), key=lambda m: m.scheduled_start
    )
    for n, meeting in enumerate(closed):
        part = DemoMeeting.Part.PAST if n >= len(closed) - 2 else DemoMeeting.Part.HISTORY
        DemoMeeting.objects.create(meeting=meeting, part=part)
    ahead = [m for m in originals.values() if m.status != Meeting.Status.CLOSED]
    if ahead:
        DemoMeeting.objects.create(meeting=ahead[0], part=DemoMeeting.Part.UPCOMING)
    parts = {DEMO_OPEN_SLIP[0]: DemoSlip.Part.OPEN, DEMO_CLOSED_SLIP[0]: DemoSlip.Part.CLOSED}
    parts |= dict.fromkeys(history_questions, DemoSlip.Part.HISTORY)
    for slip in Slip.objects.filter(question__in=list(parts)).order_by("pk"):
        if not DemoSlip.objects.filter(slip__question=slip.question, slip__in=Slip.objects.all()).exists():
            DemoSlip.objects.create(slip=slip, part=parts[slip.question])


def reset_tenant(*, acting_user: User | None) -> dict[str, int]:
    """Remove what the current tenant's rehearsal left; ``seed_demo`` then makes the rest again."""
    meetings = Meeting.objects.exclude(
        pk__in=DemoMeeting.objects.filter(part__in=KEPT_MEETINGS).values("meeting_id")
    )
    slips = Slip.objects.exclude(demo__part=DemoSlip.Part.HISTORY)
    removed = {
        "meetings": _remove_meetings(meetings),
        "slips": _remove_slips(slips),
        # on the demo's own past sessions: what the rehearsal assigned and drafted
        "tasks": FollowUpTask.objects.all().delete()[0],
        "records": MeetingRecord.objects.all().delete()[0],
    }
    for settings_model in (MeetingSettings, PaperSettings, VotingSettings, ReportSettings):
        settings_model.objects.all().delete()
    audit.record(audit.Kind.DEMO_RESET, user=acting_user, removed=removed)
    return removed


def _remove_files(versions: QuerySet[PaperVersion]) -> None:
    for copy in StampedCopy.objects.filter(version__in=versions):
        copy.file.delete(save=False)
    for version in versions:
        version.file.delete(save=False)


def _remove_papers(papers: QuerySet[Paper]) -> None:
    _remove_files(PaperVersion.objects.filter(paper__in=papers))
    # a paper points at its current version, which points back: clear one side first
    papers.update(current_version=None)
    papers.delete()


def _remove_meetings(meetings: QuerySet[Meeting]) -> int:
    count = 0
    for meeting in list(meetings):
        FollowUpTask.objects.filter(meeting=meeting).delete()
        _remove_papers(Paper.objects.filter(meeting=meeting))
        group_ids = list(MeetingPapers.objects.filter(meeting=meeting).values_list("group_id", flat=True))
        MeetingPapers.objects.filter(meeting=meeting).delete()
        Group.objects.filter(pk__in=group_ids).delete()
        stream_id = meeting.stream_id
        meeting.delete()
        EventStream.objects.filter(pk=stream_id).delete()
        count += 1
    return count


def _remove_slips(slips: QuerySet[Slip]) -> int:
    paper_ids = list(SlipPaper.objects.filter(slip__in=slips).values_list("paper_id", flat=True))
    count = slips.count()
    slips.delete()
    _remove_papers(Paper.objects.filter(pk__in=paper_ids))
    return count
