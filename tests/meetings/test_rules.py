"""The tenant's rules: quorum, default speaking-time limit, paper-era baselines."""

import pytest

from ecabinet.errors import Invalid
from ecabinet.models import AuditEvent
from ecabinet.tenancy import tenant_context
from meetings.actions import do_create_meeting, do_set_baseline, do_set_meeting_settings, quorum
from meetings.models import Baseline, MeetingSettings
from tests.clock import session_start


def test_a_baseline_is_copied_into_meetings_made_after_it(in_hanoi):
    hanoi = in_hanoi
    do_set_baseline(
        tenant=hanoi.tenant,
        kind="thematic",
        minutes=240,
        source="Biên bản năm 2019",
        is_assumption=False,
        acting_user=hanoi.secretary,
    )
    meeting = do_create_meeting(
        tenant=hanoi.tenant,
        title="Phiên họp chuyên đề",
        kind="thematic",
        scheduled_start=session_start(days=30),
        acting_user=hanoi.secretary,
    )
    assert (meeting.baseline_minutes, meeting.baseline_source, meeting.baseline_is_assumption) == (
        240,
        "Biên bản năm 2019",
        False,
    )
    # a later change does not rewrite the meeting already made
    do_set_baseline(
        tenant=hanoi.tenant,
        kind="thematic",
        minutes=180,
        source="Ước tính",
        is_assumption=True,
        acting_user=hanoi.secretary,
    )
    meeting.refresh_from_db()
    assert meeting.baseline_minutes == 240
    assert Baseline.objects.get(kind="thematic").minutes == 180


def test_the_quorum_share_and_speaking_limit_apply(in_hanoi):
    hanoi = in_hanoi
    # the world's meeting has 3 members (chair, vice-chair, member): more than half is 2
    assert quorum(hanoi.meeting)["needed"] == 2
    do_set_meeting_settings(
        tenant=hanoi.tenant, quorum_percent=66, speaking_limit_seconds=120, acting_user=hanoi.secretary
    )
    assert quorum(hanoi.meeting)["needed"] == 2  # more than 66 % of 3 is 2 (1.98 → 2)
    do_set_meeting_settings(
        tenant=hanoi.tenant, quorum_percent=67, speaking_limit_seconds=120, acting_user=hanoi.secretary
    )
    assert quorum(hanoi.meeting)["needed"] == 3
    meeting = do_create_meeting(
        tenant=hanoi.tenant, title="Họp", scheduled_start=session_start(days=30), acting_user=None
    )
    assert meeting.speaking_limit_seconds == 120
    assert MeetingSettings.objects.count() == 1


@pytest.mark.parametrize(
    ("quorum_percent", "limit"), [(0, 300), (101, 300), ("50", 300), (True, 300), (50, 5), (50, 7200)]
)
def test_bad_rules_are_refused(in_hanoi, quorum_percent, limit):
    with pytest.raises(Invalid):
        do_set_meeting_settings(
            tenant=in_hanoi.tenant,
            quorum_percent=quorum_percent,
            speaking_limit_seconds=limit,
            acting_user=None,
        )


@pytest.mark.parametrize(
    ("kind", "minutes", "source"),
    [("nope", 60, "x"), ("regular", 0, "x"), ("regular", 60, " "), ("regular", 60, None)],
)
def test_bad_baselines_are_refused(in_hanoi, kind, minutes, source):
    with pytest.raises(Invalid):
        do_set_baseline(
            tenant=in_hanoi.tenant,
            kind=kind,
            minutes=minutes,
            source=source,
            is_assumption=False,
            acting_user=None,
        )


def test_the_secretariat_sets_the_rules_on_its_page(hanoi):
    client = hanoi.client(hanoi.secretary)
    page = client.get("/meetings/rules/")
    assert page.status_code == 200
    assert "Phiên họp chuyên đề" in page.content.decode()
    client.post("/meetings/rules/", {"form": "rules", "quorum_percent": 60, "speaking_limit_seconds": 240})
    client.post(
        "/meetings/rules/",
        {
            "form": "baseline",
            "kind": "regular",
            "minutes": 300,
            "source": "Báo cáo 2018",
            "is_assumption": "on",
        },
    )
    with tenant_context(hanoi.tenant):
        assert MeetingSettings.objects.get().quorum_percent == 60
        baseline = Baseline.objects.get(kind="regular")
    assert (baseline.minutes, baseline.source, baseline.is_assumption) == (300, "Báo cáo 2018", True)
    bad = client.post("/meetings/rules/", {"form": "rules", "quorum_percent": 500}, follow=True)
    assert bad.status_code == 200
    assert list(bad.context["messages"])


@pytest.mark.parametrize("who", ["chair", "member", "guest", "observer", "other_member"])
def test_only_the_secretariat_sets_the_rules(hanoi, who):
    client = hanoi.client(getattr(hanoi, who))
    assert client.get("/meetings/rules/").status_code == 403
    assert (
        client.post(
            "/meetings/rules/", {"form": "rules", "quorum_percent": 90, "speaking_limit_seconds": 60}
        ).status_code
        == 403
    )
    response = client.put(
        "/api/v1/meeting-rules/",
        {"quorum_percent": 90, "speaking_limit_seconds": 60},
        content_type="application/json",
    )
    assert response.status_code == 403
    with tenant_context(hanoi.tenant):
        assert not MeetingSettings.objects.exists()


def test_the_rules_over_the_api(hanoi, danang):
    client = hanoi.client(hanoi.secretary)
    assert client.get("/api/v1/meeting-rules/").json()["quorum_percent"] == 50
    body = client.put(
        "/api/v1/meeting-rules/",
        {"quorum_percent": 75, "speaking_limit_seconds": 180},
        content_type="application/json",
    ).json()
    assert (body["quorum_percent"], body["speaking_limit_seconds"]) == (75, 180)
    body = client.put(
        "/api/v1/meeting-rules/baselines/extraordinary/",
        {"minutes": 150, "source": "Ước tính của Văn phòng"},
        content_type="application/json",
    ).json()
    extraordinary = next(b for b in body["baselines"] if b["kind"] == "extraordinary")
    assert (extraordinary["minutes"], extraordinary["is_assumption"]) == (150, False)
    assert (
        client.put(
            "/api/v1/meeting-rules/baselines/nope/",
            {"minutes": 1, "source": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    bad = client.put("/api/v1/meeting-rules/", {"quorum_percent": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"error", "detail"}
    # another tenant's rules are untouched
    assert danang.client(danang.secretary).get("/api/v1/meeting-rules/").json()["quorum_percent"] == 50


def test_closing_a_secret_ballot_early_is_a_rule_on_the_page_and_the_api(hanoi):
    client = hanoi.client(hanoi.secretary)
    page = client.get("/meetings/rules/").content.decode()
    assert 'name="secret_ballot_early_close"' in page and "trước khi đủ túc số" in page
    rules = {"form": "rules", "quorum_percent": 50, "speaking_limit_seconds": 300}
    client.post("/meetings/rules/", rules | {"secret_ballot_early_close": "on"})
    with tenant_context(hanoi.tenant):
        assert MeetingSettings.objects.get().secret_ballot_early_close is True
    assert " checked>" in client.get("/meetings/rules/").content.decode()
    # the API keeps it when it is left out, changes it when it is given
    put = {"quorum_percent": 50, "speaking_limit_seconds": 300}
    body = client.put("/api/v1/meeting-rules/", put, content_type="application/json").json()
    assert body["secret_ballot_early_close"] is True
    body = client.put(
        "/api/v1/meeting-rules/", put | {"secret_ballot_early_close": False}, content_type="application/json"
    ).json()
    assert body["secret_ballot_early_close"] is False
    bad = client.put(
        "/api/v1/meeting-rules/", put | {"secret_ballot_early_close": "yes"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "secret_ballot_early_close" in bad.json()["detail"]
    # each change is audited with who made it and what the rule was before
    with tenant_context(hanoi.tenant):
        changes = list(AuditEvent.objects.filter(kind="rules_changed").order_by("id"))
    assert [(c.detail["before"], c.detail["after"]) for c in changes] == [
        ({"secret_ballot_early_close": False}, {"secret_ballot_early_close": True}),
        ({"secret_ballot_early_close": True}, {"secret_ballot_early_close": False}),
    ]
    assert {c.user_id for c in changes} == {hanoi.secretary.pk}
