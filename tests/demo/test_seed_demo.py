"""seed_demo: the contract's accounts, the next session and the two before it, real
papers; idempotent whatever people did in the demo, and ``--reset`` after a rehearsal."""

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from documents.models import Paper
from ecabinet.models import Event, Tenant, User
from ecabinet.tenancy import tenant_context
from meetings.models import AgendaItem, Baseline, Meeting, Participant, SpeakRequest


def _demo_counts() -> tuple[int, ...]:
    return (
        Tenant.objects.count(),
        User.objects.count(),
        Meeting.all_tenants.count(),
        Participant.all_tenants.count(),
        AgendaItem.all_tenants.count(),
        Paper.all_tenants.count(),
        SpeakRequest.all_tenants.count(),
        Baseline.all_tenants.count(),
        Event.objects.count(),
    )


def test_seed_demo_creates_the_contract_accounts_and_is_idempotent(db, settings):
    call_command("seed_demo", "--quiet")
    counts = _demo_counts()
    passwords = dict(User.objects.values_list("username", "password"))
    call_command("seed_demo", "--quiet")
    assert _demo_counts() == counts
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert set(Tenant.objects.values_list("slug", flat=True)) == {"chinhphu", "hanoi", "danang"}
    expected = {"admin"} | {
        f"{slug}-{key}"
        for slug in ("chinhphu", "hanoi", "danang")
        for key in ["secretary", "chair", "vicechair", "guest"] + [f"member{n}" for n in range(1, 9)]
    }
    assert set(User.objects.values_list("username", flat=True)) == expected
    assert User.objects.get(username="admin").is_national_admin
    finance = User.objects.get(username="chinhphu-member1")
    assert finance.title == "Bộ trưởng Bộ Tài chính"
    assert User.objects.get(username="hanoi-secretary").is_secretariat
    # every demo account logs in at its own host with the demo password
    client = Client(HTTP_HOST="danang.localhost")
    assert (
        client.post(
            "/accounts/login/", {"login": "danang-chair", "password": settings.DEMO_PASSWORD}
        ).status_code
        == 302
    )
    with tenant_context(Tenant.objects.get(slug="hanoi")):
        meeting = Meeting.objects.exclude(status="closed").get()
        roles = dict(Participant.objects.filter(meeting=meeting).values_list("user__username", "role"))
    assert roles["hanoi-chair"] == "chair"
    assert roles["hanoi-vicechair"] == "vice_chair"
    assert roles["hanoi-member8"] == "member"


def test_seed_demo_changing_the_demo_password_resets_every_account(db, settings):
    call_command("seed_demo", "--quiet")
    settings.DEMO_PASSWORD = "another-demo-password"
    call_command("seed_demo", "--quiet")
    assert User.objects.get(username="hanoi-member3").check_password("another-demo-password")
    assert User.objects.get(username="admin").check_password("another-demo-password")


# The titles name the month: the clock is held on 27 November 2026, so the next session is December's.
@pytest.mark.time_machine(datetime(2026, 11, 27, 3, 0, tzinfo=UTC), tick=False)
def test_seed_demo_prepares_the_next_monthly_session_and_two_past_ones(db):
    call_command("seed_demo", "--quiet")
    for slug, title in [
        ("chinhphu", "Phiên họp Chính phủ thường kỳ tháng 12/2026"),
        ("hanoi", "Phiên họp UBND thành phố Hà Nội thường kỳ tháng 12/2026"),
        ("danang", "Phiên họp UBND thành phố Đà Nẵng thường kỳ tháng 12/2026"),
    ]:
        tenant = Tenant.objects.get(slug=slug)
        with tenant_context(tenant):
            upcoming = Meeting.objects.get(title=title)
            assert upcoming.status == "published"
            assert upcoming.scheduled_start > timezone.now()
            assert (upcoming.baseline_minutes, upcoming.baseline_is_assumption) == (
                480 if slug == "chinhphu" else 360,
                True,
            )
            assert upcoming.baseline_source == "Giả định cho dữ liệu mẫu"
            assert set(Baseline.objects.values_list("is_assumption", "source")) == {
                (True, "Giả định cho dữ liệu mẫu")
            }
            items = list(AgendaItem.objects.filter(meeting=upcoming).select_related("presenter"))
            assert 8 <= len(items) <= 12
            assert all(i.summary and i.presenting_unit and i.planned_minutes for i in items)
            assert all(i.presenter is not None and i.presenter.tenant_id == tenant.pk for i in items)
            assert all(Paper.objects.filter(item=i).exists() for i in items)
            assert all(p.page_count > 0 for p in Paper.objects.filter(meeting=upcoming))
            guest = Participant.objects.get(meeting=upcoming, role="guest")
            assert [i.presenter_id for i in guest.items.all()] == [guest.user_id]

            past = list(Meeting.objects.filter(status="closed").order_by("scheduled_start"))
            # a year of past sessions (reports.demo_history); the last two run through the actions
            assert [m.title.rsplit(" ", 1)[1] for m in past] == [
                "12/2025",
                *(f"{n}/2026" for n in range(1, 12)),
            ]
            for meeting in past:
                assert meeting.ended_at < timezone.now()
                assert meeting.started_at < meeting.ended_at
                assert meeting.elapsed_seconds == (meeting.ended_at - meeting.started_at).total_seconds()
                items = list(AgendaItem.objects.filter(meeting=meeting))
                assert {i.status for i in items} == {"concluded"}
                assert all(i.conclusion and i.elapsed_seconds > 0 for i in items)
                assert all(
                    meeting.started_at <= i.first_opened_at < i.closed_at <= meeting.ended_at for i in items
                )
                requests = SpeakRequest.objects.filter(item__meeting=meeting)
                assert requests.count() >= len(items)
                assert all(r.status == "done" and r.spoken_seconds > 0 for r in requests)
                assert all(
                    r.item.first_opened_at <= r.started_at < r.ended_at <= r.item.closed_at
                    for r in requests.select_related("item")
                )
                # the session's own clock says it used less than the paper baseline
                assert meeting.elapsed_seconds < meeting.baseline_minutes * 60


def test_seed_demo_attaches_real_pdf_papers_in_vietnamese(db):
    call_command("seed_demo", "--quiet")
    tenant = Tenant.objects.get(slug="hanoi")
    with tenant_context(tenant):
        papers = list(
            Paper.objects.filter(meeting__status="published").select_related("current_version", "item")
        )
        assert papers and all(p.current_version is not None for p in papers)
        for paper in papers[:3]:
            version = paper.current_version
            reader = pypdf.PdfReader(version.file.path)
            assert len(reader.pages) == version.page_count == paper.page_count > 1
            first = reader.pages[0].extract_text()
            assert "Độc lập - Tự do - Hạnh phúc" in first
            assert paper.title.split()[0] in first
            assert hashlib.sha256(Path(version.file.path).read_bytes()).hexdigest() == version.sha256


def _state(slug: str) -> dict[str, object]:
    """What a rehearsal changes in a demo tenant, and what the first state has."""
    from ecabinet.models import AuditEvent
    from meetings.models import Comment, MeetingSettings
    from reports.models import FollowUpTask, MeetingRecord
    from voting.models import Ballot, Slip, SlipAnswer, Vote

    tenant = Tenant.objects.get(slug=slug)
    with tenant_context(tenant):
        upcoming = Meeting.objects.get(demo__part="upcoming")
        return {
            "meetings": Meeting.objects.count(),
            "closed": Meeting.objects.filter(status="closed").count(),
            "upcoming": (upcoming.title, upcoming.status, upcoming.started_at),
            "upcoming_items": sorted(
                AgendaItem.objects.filter(meeting=upcoming).values_list("status", flat=True)
            ),
            "papers": Paper.objects.filter(meeting__isnull=False).count(),
            "ballots": Ballot.objects.count(),
            "votes": Vote.objects.count(),
            "comments": Comment.objects.count(),
            "speeches": SpeakRequest.objects.count(),
            "slips": sorted(Slip.objects.values_list("question", "status")),
            "answers": SlipAnswer.objects.count(),
            "tasks": FollowUpTask.objects.count(),
            "records": MeetingRecord.objects.count(),
            "rules": list(MeetingSettings.objects.values_list("quorum_percent", flat=True)),
            "resets": AuditEvent.objects.filter(tenant=tenant, kind="demo_reset").count(),
        }


def _rehearse(slug: str) -> None:
    """A secretariat's rehearsal: copy, create, run the upcoming session, vote, comment,
    issue a slip, change the rules, assign a task on a past session."""
    from datetime import timedelta

    from meetings import actions
    from reports.followup.actions import do_assign_task
    from voting.actions import do_answer_slip, do_cast_vote, do_close_ballot, do_issue_slip, do_open_ballot
    from voting.models import Slip

    tenant = Tenant.objects.get(slug=slug)
    with tenant_context(tenant):
        secretary, chair = (
            User.objects.get(username=f"{slug}-secretary"),
            User.objects.get(username=f"{slug}-chair"),
        )
        member = User.objects.get(username=f"{slug}-member1")
        upcoming = Meeting.objects.exclude(status="closed").get()
        actions.do_copy_meeting(
            upcoming, scheduled_start=upcoming.scheduled_start + timedelta(days=30), acting_user=secretary
        )
        extra = actions.do_create_meeting(
            tenant=tenant,
            title="Diễn tập",
            scheduled_start=timezone.now() + timedelta(days=2),
            acting_user=secretary,
        )
        actions.do_add_item(extra, title="Nội dung diễn tập", acting_user=secretary)
        actions.do_start_meeting(upcoming, acting_user=chair)
        actions.do_open_item(upcoming, item=None, acting_user=chair)
        item = AgendaItem.objects.filter(meeting=upcoming, status="open").get()
        actions.do_add_comment(item, author=member, text="Ý kiến diễn tập", visibility="all")
        ballot = do_open_ballot(upcoming, acting_user=chair)
        participant = Participant.objects.get(meeting=upcoming, user=member)
        do_cast_vote(ballot, participant=participant, option=ballot.options[0]["key"])
        do_close_ballot(ballot, acting_user=chair)
        actions.do_conclude_item(upcoming, conclusion="Thông qua.", acting_user=chair)
        actions.do_close_meeting(upcoming, acting_user=chair)
        slip = do_issue_slip(
            tenant=tenant,
            question="Phiếu diễn tập",
            deadline=timezone.now() + timedelta(days=1),
            recipients=[member],
            acting_user=secretary,
        )
        do_answer_slip(slip, user=member, choice="agree")
        open_slip = Slip.objects.filter(status="open").exclude(pk=slip.pk).first()
        if open_slip is not None:
            do_answer_slip(open_slip, user=User.objects.get(username=f"{slug}-member2"), choice="disagree")
        actions.do_set_meeting_settings(
            tenant=tenant, quorum_percent=20, speaking_limit_seconds=180, acting_user=secretary
        )
        past = Meeting.objects.filter(status="closed", demo__part="past").order_by("scheduled_start").last()
        do_assign_task(
            past,
            title="Việc diễn tập",
            due_date=timezone.localdate() + timedelta(days=5),
            assignee=member,
            acting_user=secretary,
        )


def test_a_copy_of_a_demo_meeting_does_not_stop_the_next_seed(db):
    # given a secretary who copied the upcoming session (the copy keeps its title)
    from datetime import timedelta

    from meetings.actions import do_copy_meeting

    call_command("seed_demo", "--quiet")
    tenant = Tenant.objects.get(slug="hanoi")
    with tenant_context(tenant):
        upcoming = Meeting.objects.exclude(status="closed").get()
        copy = do_copy_meeting(
            upcoming,
            scheduled_start=upcoming.scheduled_start + timedelta(days=30),
            acting_user=User.objects.get(username="hanoi-secretary"),
        )
    before = _demo_counts()
    # when seed_demo runs again, then it finds its own and adds nothing
    call_command("seed_demo", "--quiet")
    assert _demo_counts() == before
    with tenant_context(tenant):
        assert Meeting.objects.filter(title=upcoming.title).count() == 2
        assert Meeting.objects.get(pk=copy.pk).status == "draft"


def test_reset_puts_the_demo_back_to_its_first_state_after_a_rehearsal(db, settings):
    # given the demo as first loaded, then a rehearsal in Hà Nội
    call_command("seed_demo", "--quiet")
    first = _state("hanoi")
    untouched = _state("danang")
    _rehearse("hanoi")
    rehearsed = _state("hanoi")
    assert rehearsed["meetings"] == first["meetings"] + 2 and rehearsed["votes"] == 1
    assert rehearsed["upcoming"] != first["upcoming"] or rehearsed["closed"] == first["closed"] + 1
    papers_root = Path(settings.ECABINET_PAPERS_ROOT)
    files_before = sorted(p for p in papers_root.rglob("*") if p.is_file())

    # when
    call_command("seed_demo", "--reset", "--quiet")

    # then Hà Nội is as first loaded: one upcoming session, published and not started, nothing
    # voted or said, no extra meeting, slip, task or minutes, the rules as they were
    again = _state("hanoi")
    assert again == first | {"resets": 1}
    assert _state("danang") == untouched | {"resets": 1}
    # the removed session's papers left no file behind: as many files as after the first load
    files_after = sorted(p for p in papers_root.rglob("*") if p.is_file())
    assert len(files_after) <= len(files_before)
    # and a second reset changes nothing more
    call_command("seed_demo", "--reset", "--quiet")
    assert _state("hanoi") == first | {"resets": 2}
