import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from documents.models import Paper
from ecabinet.models import Event, Tenant, User
from ecabinet.tenancy import tenant_context
from meetings.models import AgendaItem, Baseline, Meeting, Participant, SpeakRequest


def test_create_tenant_makes_a_province_with_its_first_secretary(db, capsys):
    call_command(
        "create_tenant",
        "haiphong",
        "UBND thành phố Hải Phòng",
        "--level",
        "province",
        "--secretary",
        "haiphong-secretary",
        "--password",
        "a-long-Passw0rd-for-tests",
    )
    tenant = Tenant.objects.get(slug="haiphong")
    assert (tenant.name, tenant.level) == ("UBND thành phố Hải Phòng", "province")
    secretary = User.objects.get(username="haiphong-secretary")
    assert secretary.tenant == tenant
    assert secretary.is_secretariat
    assert "Đã tạo UBND thành phố Hải Phòng tại haiphong.localhost" in capsys.readouterr().out
    client = Client(HTTP_HOST="haiphong.localhost")
    response = client.post(
        "/accounts/login/", {"login": "haiphong-secretary", "password": "a-long-Passw0rd-for-tests"}
    )
    assert response.status_code == 302


def test_create_tenant_prints_a_generated_password_when_none_is_given(db, capsys):
    call_command("create_tenant", "camau", "UBND tỉnh Cà Mau", "--secretary", "camau-secretary")
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1].rsplit(": ", 1)[1]
    assert User.objects.get(username="camau-secretary").check_password(password)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hanoi", "Trùng", "--secretary", "x1"], "Địa chỉ “hanoi” đã được dùng"),
        (["Bad Slug", "Tên", "--secretary", "x2"], "chữ thường"),
        (["phuong1", "Phường 1", "--level", "commune", "--secretary", "x3"], "đơn vị cấp trên"),
        (
            ["phuong2", "Phường 2", "--level", "commune", "--parent", "nowhere", "--secretary", "x4"],
            "nowhere",
        ),
        (["newprov", "Tỉnh mới", "--secretary", "hanoi-chair"], "“hanoi-chair” đã có người dùng"),
    ],
)
def test_create_tenant_refuses_bad_input_and_leaves_nothing(hanoi, args, message):
    tenants, users = Tenant.objects.count(), User.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("create_tenant", *args)
    assert (Tenant.objects.count(), User.objects.count()) == (tenants, users)


def test_create_tenant_makes_a_commune_under_its_province(hanoi):
    call_command(
        "create_tenant",
        "hoankiem",
        "UBND phường Hoàn Kiếm",
        "--level",
        "commune",
        "--parent",
        "hanoi",
        "--secretary",
        "hoankiem-secretary",
    )
    assert Tenant.objects.get(slug="hoankiem").parent == hanoi.tenant


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


def test_serving_starts_each_sweep_once(db):
    # given the sweeps the apps registered (the opinion slips' one among them)
    from django_tasks_db.models import DBTaskResult

    from ecabinet.worker import _sweeps, start_sweeps

    paths = {task.module_path for task in _sweeps}
    assert "voting.tasks.sweep_slips" in paths
    # when the server starts twice
    first = start_sweeps()
    second = start_sweeps()
    # then each sweep waits in the queue once
    assert set(first) == paths and second == []
    waiting = DBTaskResult.objects.filter(task_path__in=paths, status="READY")
    assert sorted(waiting.values_list("task_path", flat=True)) == sorted(paths)
