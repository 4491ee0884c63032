"""The meetings API: every route's happy path (state and event), who may call
it, wrong-state answers in Vietnamese, bad input, the schema, query counts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ecabinet.actions import do_create_user
from ecabinet.models import AuditEvent, Event, User
from ecabinet.roles import Role
from ecabinet.tenancy import tenant_context
from meetings import actions, operations
from meetings.models import AgendaItem, Comment, Meeting, Participant, SpeakRequest
from tests.clock import local_iso
from tests.conftest import World

API = "/api/v1"
HUGE = "9" * 30
ROLES = [
    "anonymous",
    "foreign",
    "other_member",
    "guest",
    "observer",
    "member",
    "vice_chair",
    "chair",
    "secretary",
]
IN_MEETING = ["guest", "observer", "member", "vice_chair", "chair", "secretary"]


# --- helpers ------------------------------------------------------------------------------


def call(client: Client, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    if method == "get":
        return client.get(path, body or {}, **extra)
    data = body if isinstance(body, str | bytes) else json.dumps(body if body is not None else {})
    return getattr(client, method)(path, data, content_type="application/json", **extra)


def meeting_url(w: World, c: dict[str, Any], suffix: str = "") -> str:
    return f"{API}/meetings/{c.get('meeting', w.meeting).pk}/{suffix}"


def last_seq(meeting: Meeting) -> int:
    return max(Event.objects.filter(stream_id=meeting.stream_id).values_list("seq", flat=True), default=0)


def events_after(meeting: Meeting, seq: int) -> list[str]:
    return list(
        Event.objects.filter(stream_id=meeting.stream_id, seq__gt=seq)
        .order_by("seq")
        .values_list("type", flat=True)
    )


def participant(w: World, user: User, meeting: Meeting | None = None) -> Participant:
    return Participant.objects.get(meeting=meeting or w.meeting, user=user)


def third_member(w: World) -> Participant:
    """A member of the meeting who is none of the world's role accounts: nobody's "self"."""
    user = do_create_user(
        tenant=w.tenant, username=f"{w.tenant.slug}-member3", full_name="Giám đốc Ngô", password=None
    )
    return actions.do_add_participant(w.meeting, user=user, role=Role.MEMBER, acting_user=None)


def allow_substitute(w: World, user: User) -> dict[str, Any]:
    actions.do_set_substitute_candidates(w.meeting, users=[user], acting_user=w.secretary)
    return {}


def proposed_substitute(w: World) -> Any:
    allow_substitute(w, w.other_member)
    return actions.do_propose_substitute(
        participant(w, w.member), substitute=w.other_member, acting_user=w.member
    )


def fresh(w: World) -> Meeting:
    return Meeting.objects.get(pk=w.meeting.pk)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    assert body["detail"]
    if code is not None:
        assert body["error"] == code, body
    return body


# --- states to start from (direct action calls, as the secretariat and chair would) -------


def published(w: World) -> dict[str, Any]:
    return {}


def draft(w: World) -> dict[str, Any]:
    copy = actions.do_copy_meeting(
        w.meeting, scheduled_start=w.meeting.scheduled_start + timedelta(days=35), acting_user=w.secretary
    )
    return {"meeting": copy}


def started(w: World) -> dict[str, Any]:
    actions.do_start_meeting(w.meeting, acting_user=w.chair)
    return {}


def live(w: World) -> dict[str, Any]:
    """In session, the guest's item (the second) open."""
    started(w)
    actions.do_open_item(fresh(w), item=w.items[1], acting_user=w.chair)
    return {}


def adjourned(w: World) -> dict[str, Any]:
    started(w)
    actions.do_adjourn_meeting(fresh(w), acting_user=w.chair)
    return {}


def queued(w: World) -> dict[str, Any]:
    live(w)
    request = actions.do_request_to_speak(fresh(w), participant=participant(w, w.member), kind="speech")
    return {"request": request}


def all_queued(w: World) -> dict[str, Any]:
    live(w)
    for user in (w.guest, w.member, w.vice_chair, w.chair):
        actions.do_request_to_speak(fresh(w), participant=participant(w, user), kind="question")
    return {}


def speaking(w: World) -> dict[str, Any]:
    ctx = queued(w)
    actions.do_give_floor(fresh(w), request_id=ctx["request"].pk, acting_user=w.chair)
    return ctx


def commented(w: World) -> dict[str, Any]:
    comment = actions.do_add_comment(
        w.items[1], author=w.member, text="Đề nghị bổ sung số liệu.", visibility="all"
    )
    return {"comment": comment}


# --- the routes ----------------------------------------------------------------------------


@dataclass
class Route:
    id: str
    method: str
    path: Callable[[World, dict[str, Any]], str]
    body: Callable[[World, dict[str, Any]], Any] | None
    setup: Callable[[World], dict[str, Any]]
    allowed: set[str]
    status: int
    event: str | None = None  # published on the meeting's stream on success
    check: Callable[[World, dict[str, Any], Any], None] | None = None
    operation: str | None = None  # the session operation it runs, as the socket does
    on_meeting: bool = True  # False: a tenant route (no meeting: 403, not 404)
    draft: bool = False  # on a draft, only the secretariat sees the meeting

    def url(self, w: World, c: dict[str, Any]) -> str:
        return self.path(w, c)

    def data(self, w: World, c: dict[str, Any]) -> Any:
        return self.body(w, c) if self.body else None


def _check_created(w: World, c: dict[str, Any], body: Any) -> None:
    meeting = Meeting.objects.get(pk=body["meeting"]["id"])
    assert meeting.title == "Phiên họp chuyên đề về chuyển đổi số"
    assert meeting.kind == "thematic" and meeting.status == Meeting.Status.DRAFT
    start = w.meeting.scheduled_start + timedelta(days=14, minutes=30)
    assert meeting.scheduled_start == start
    assert meeting.created_by == w.secretary
    assert body["meeting"]["scheduled_start"] == start.isoformat()  # in UTC, as stored


def _check_state(w: World, c: dict[str, Any], body: Any) -> None:
    assert body["meeting"]["id"] == w.meeting.pk
    assert body["me"]["role"] in Role.values
    assert {"items", "participants", "quorum", "comments", "meeting_papers", "server_time"} <= set(body)


def _check_patched(w: World, c: dict[str, Any], body: Any) -> None:
    meeting = fresh(w)
    assert meeting.title == "Phiên họp thường kỳ tháng 12"
    assert meeting.speaking_limit_seconds == 180
    assert meeting.planned_end == w.meeting.scheduled_start + timedelta(hours=3)


def _check_copied(w: World, c: dict[str, Any], body: Any) -> None:
    copy = Meeting.objects.get(pk=body["meeting"]["id"])
    assert copy.copied_from_id == w.meeting.pk and copy.status == Meeting.Status.DRAFT
    assert copy.title == "Phiên họp thường kỳ tháng 1"
    assert AgendaItem.objects.filter(meeting=copy).count() == 3
    assert Participant.objects.filter(meeting=copy).count() == 5


def _check_item_added(w: World, c: dict[str, Any], body: Any) -> None:
    item = AgendaItem.objects.get(pk=body["item"]["id"])
    assert (item.title, item.presenter, item.planned_minutes, item.position) == (
        "Tờ trình mới",
        w.member,
        25,
        4,
    )
    assert item.changed_at is not None  # added after publishing: marked as changed
    assert body["item"]["presenter_name"] == w.member.full_name


def _order(w: World) -> list[int]:
    return list(
        AgendaItem.objects.filter(meeting=w.meeting).order_by("position").values_list("pk", flat=True)
    )


ROUTES = [
    Route(
        "create-meeting",
        "post",
        lambda w, c: f"{API}/meetings/",
        lambda w, c: {
            "title": "Phiên họp chuyên đề về chuyển đổi số",
            "kind": "thematic",
            "place": "Phòng họp số 1",
            "scheduled_start": local_iso(w.meeting.scheduled_start + timedelta(days=14, minutes=30)),
            "planned_end": local_iso(w.meeting.scheduled_start + timedelta(days=14, hours=3, minutes=30)),
        },
        published,
        {"secretary"},
        201,
        check=_check_created,
        on_meeting=False,
    ),
    Route(
        "directory",
        "get",
        lambda w, c: f"{API}/directory/",
        None,
        published,
        {"secretary"},
        200,
        check=lambda w, c, body: None,
        on_meeting=False,
    ),
    Route(
        "meeting-state",
        "get",
        lambda w, c: meeting_url(w, c),
        None,
        published,
        set(IN_MEETING),
        200,
        check=_check_state,
    ),
    Route(
        "meeting-events",
        "get",
        lambda w, c: meeting_url(w, c, "events/"),
        lambda w, c: {"since": 0},
        published,
        set(IN_MEETING),
        200,
    ),
    Route(
        "update-meeting",
        "patch",
        lambda w, c: meeting_url(w, c),
        lambda w, c: {
            "title": "Phiên họp thường kỳ tháng 12",
            "speaking_limit_seconds": 180,
            "planned_end": local_iso(w.meeting.scheduled_start + timedelta(hours=3)),
        },
        published,
        {"secretary"},
        200,
        "meeting.updated",
        _check_patched,
    ),
    Route(
        "publish",
        "post",
        lambda w, c: meeting_url(w, c, "publish/"),
        None,
        draft,
        {"secretary"},
        200,
        "meeting.published",
        lambda w, c, body: (
            Meeting.objects.get(pk=c["meeting"].pk).status == Meeting.Status.PUBLISHED
            or pytest.fail("not published")
        ),
        draft=True,
    ),
    Route(
        "copy",
        "post",
        lambda w, c: meeting_url(w, c, "copy/"),
        lambda w, c: {
            "scheduled_start": local_iso(w.meeting.scheduled_start + timedelta(days=35)),
            "title": "Phiên họp thường kỳ tháng 1",
        },
        published,
        {"secretary"},
        201,
        check=_check_copied,
    ),
    Route(
        "acting-chair",
        "post",
        lambda w, c: meeting_url(w, c, "acting-chair/"),
        lambda w, c: {"participant_id": participant(w, w.vice_chair).pk},
        published,
        {"secretary", "chair"},
        200,
        "meeting.updated",
        lambda w, c, body: fresh(w).acting_chair == participant(w, w.vice_chair) or pytest.fail("not named"),
    ),
    Route(
        "add-item",
        "post",
        lambda w, c: meeting_url(w, c, "items/"),
        lambda w, c: {"title": "Tờ trình mới", "presenter_id": w.member.pk, "planned_minutes": 25},
        published,
        {"secretary"},
        201,
        "item.added",
        _check_item_added,
    ),
    Route(
        "update-item",
        "patch",
        lambda w, c: meeting_url(w, c, f"items/{w.items[0].pk}/"),
        lambda w, c: {"summary": "Tóm tắt mới", "presenter_name": "Ông Ngô", "presenter_id": None},
        published,
        {"secretary"},
        200,
        "item.updated",
        lambda w, c, body: (
            AgendaItem.objects.filter(
                pk=w.items[0].pk, summary="Tóm tắt mới", presenter_name="Ông Ngô", changed_at__isnull=False
            ).exists()
            or pytest.fail("not changed")
        ),
    ),
    Route(
        "remove-item",
        "delete",
        lambda w, c: meeting_url(w, c, f"items/{w.items[2].pk}/"),
        None,
        published,
        {"secretary"},
        204,
        "item.removed",
        lambda w, c, body: _order(w) == [w.items[0].pk, w.items[1].pk] or pytest.fail("not removed"),
    ),
    Route(
        "reorder-items",
        "post",
        lambda w, c: meeting_url(w, c, "items/reorder/"),
        lambda w, c: {"order": [i.pk for i in reversed(w.items)]},
        published,
        {"secretary"},
        200,
        "agenda.reordered",
        lambda w, c, body: (
            _order(w) == body["order"] == [i.pk for i in reversed(w.items)] or pytest.fail("not reordered")
        ),
    ),
    Route(
        "move-item",
        "post",
        lambda w, c: meeting_url(w, c, f"items/{w.items[0].pk}/move/"),
        lambda w, c: {"offset": 1},
        published,
        {"secretary"},
        200,
        "agenda.reordered",
        lambda w, c, body: (
            _order(w) == [w.items[1].pk, w.items[0].pk, w.items[2].pk] or pytest.fail("not moved")
        ),
    ),
    Route(
        "add-participant",
        "post",
        lambda w, c: meeting_url(w, c, "participants/"),
        lambda w, c: {"user_id": w.other_member.pk, "role": "member"},
        published,
        {"secretary"},
        201,
        "participant.added",
        lambda w, c, body: participant(w, w.other_member).role == Role.MEMBER or pytest.fail("not added"),
    ),
    Route(
        "change-participant",
        "patch",
        lambda w, c: meeting_url(w, c, f"participants/{participant(w, w.guest).pk}/"),
        lambda w, c: {"item_ids": [w.items[0].pk, w.items[1].pk]},
        published,
        {"secretary"},
        200,
        "participant.changed",
        lambda w, c, body: (
            set(participant(w, w.guest).items.values_list("pk", flat=True)) == {w.items[0].pk, w.items[1].pk}
            or pytest.fail("not changed")
        ),
    ),
    Route(
        "remove-participant",
        "delete",
        lambda w, c: meeting_url(w, c, f"participants/{participant(w, w.observer).pk}/"),
        None,
        published,
        {"secretary"},
        204,
        "participant.removed",
        lambda w, c, body: (
            not Participant.objects.filter(meeting=w.meeting, user=w.observer).exists()
            or pytest.fail("not removed")
        ),
    ),
    Route(
        "substitute",
        "post",
        lambda w, c: meeting_url(w, c, f"participants/{c.get('absent', _Id(1)).pk}/substitute/"),
        lambda w, c: {"user_id": w.other_member.pk},
        lambda w: {"absent": third_member(w)},
        {"secretary"},
        201,
        "participant.added",
        lambda w, c, body: (
            (
                participant(w, w.other_member).substitute_for == c["absent"]
                and Participant.objects.get(pk=c["absent"].pk).cannot_attend
            )
            or pytest.fail("no substitute")
        ),
    ),
    Route(
        "substitute-propose",
        "post",
        lambda w, c: meeting_url(w, c, "substitutes/"),
        lambda w, c: {"user_id": w.other_member.pk},
        lambda w: allow_substitute(w, w.other_member),
        {"member", "vice_chair"},
        202,
        "substitute.proposed",
        lambda w, c, body: (
            (
                body["proposal"]["status"] == "proposed"
                and not Participant.objects.filter(meeting=w.meeting, user=w.other_member).exists()
            )
            or pytest.fail("not a proposal, or in effect before approval")
        ),
    ),
    Route(
        "substitute-decide",
        "post",
        lambda w, c: meeting_url(w, c, f"substitutes/{c.get('proposal', _Id(1)).pk}/decision/"),
        lambda w, c: {"approve": True},
        lambda w: {"proposal": proposed_substitute(w)},
        {"secretary", "chair"},
        200,
        "substitute.decided",
        lambda w, c, body: (
            participant(w, w.other_member).substitute_for == participant(w, w.member)
            or pytest.fail("not approved")
        ),
    ),
    Route(
        "substitute-withdraw",
        "post",
        lambda w, c: meeting_url(w, c, f"substitutes/{c.get('proposal', _Id(1)).pk}/withdraw/"),
        None,
        lambda w: {"proposal": proposed_substitute(w)},
        {"member"},
        200,
        "substitute.decided",
        lambda w, c, body: body["proposal"]["status"] == "withdrawn" or pytest.fail("not withdrawn"),
    ),
    Route(
        "start",
        "post",
        lambda w, c: meeting_url(w, c, "start/"),
        None,
        published,
        {"chair"},
        200,
        "meeting.updated",
        lambda w, c, body: fresh(w).status == Meeting.Status.IN_SESSION or pytest.fail("not started"),
        operation="meeting.start",
    ),
    Route(
        "adjourn",
        "post",
        lambda w, c: meeting_url(w, c, "adjourn/"),
        None,
        live,
        {"chair"},
        200,
        "meeting.updated",
        lambda w, c, body: (
            (fresh(w).status, fresh(w).running_since) == (Meeting.Status.ADJOURNED, None)
            or pytest.fail("not adjourned")
        ),
        operation="meeting.adjourn",
    ),
    Route(
        "resume",
        "post",
        lambda w, c: meeting_url(w, c, "resume/"),
        None,
        adjourned,
        {"chair"},
        200,
        "meeting.updated",
        lambda w, c, body: fresh(w).status == Meeting.Status.IN_SESSION or pytest.fail("not resumed"),
        operation="meeting.resume",
    ),
    Route(
        "close",
        "post",
        lambda w, c: meeting_url(w, c, "close/"),
        None,
        started,
        {"chair"},
        200,
        "meeting.updated",
        lambda w, c, body: fresh(w).status == Meeting.Status.CLOSED or pytest.fail("not closed"),
        operation="meeting.close",
    ),
    Route(
        "open-next-item",
        "post",
        lambda w, c: meeting_url(w, c, "items/open/"),
        None,
        started,
        {"chair"},
        200,
        "item.opened",
        lambda w, c, body: (
            fresh(w).current_item_id == w.items[0].pk == body["item"]["id"] or pytest.fail("not opened")
        ),
        operation="item.open",
    ),
    Route(
        "open-item",
        "post",
        lambda w, c: meeting_url(w, c, f"items/{w.items[2].pk}/open/"),
        None,
        started,
        {"chair"},
        200,
        "item.opened",
        lambda w, c, body: fresh(w).current_item_id == w.items[2].pk or pytest.fail("not opened"),
        operation="item.open",
    ),
    Route(
        "conclude",
        "post",
        lambda w, c: meeting_url(w, c, "items/current/conclude/"),
        lambda w, c: {"conclusion": "Thống nhất thông qua."},
        live,
        {"chair"},
        200,
        "item.closed",
        lambda w, c, body: (
            AgendaItem.objects.filter(
                pk=w.items[1].pk, status="concluded", conclusion="Thống nhất thông qua."
            ).exists()
            or pytest.fail("not concluded")
        ),
        operation="item.conclude",
    ),
    Route(
        "defer",
        "post",
        lambda w, c: meeting_url(w, c, "items/current/defer/"),
        lambda w, c: {"note": "Bổ sung hồ sơ."},
        live,
        {"chair"},
        200,
        "item.closed",
        lambda w, c, body: (
            AgendaItem.objects.get(pk=w.items[1].pk).status == "deferred" or pytest.fail("not deferred")
        ),
        operation="item.defer",
    ),
    Route(
        "request-to-speak",
        "post",
        lambda w, c: meeting_url(w, c, "speak-requests/"),
        lambda w, c: {"kind": "question"},
        live,
        {"guest", "member", "vice_chair", "chair"},
        201,
        "queue.changed",
        lambda w, c, body: (
            SpeakRequest.objects.filter(
                pk=body["request"]["id"], item=w.items[1], kind="question", status="waiting"
            ).exists()
            or pytest.fail("not queued")
        ),
        operation="speak.request",
    ),
    Route(
        "withdraw-request",
        "delete",
        lambda w, c: meeting_url(w, c, "speak-requests/mine/"),
        None,
        all_queued,
        {"guest", "member", "vice_chair", "chair"},
        200,
        "queue.changed",
        lambda w, c, body: (
            SpeakRequest.objects.get(pk=body["request"]["id"]).status == "withdrawn"
            or pytest.fail("not withdrawn")
        ),
        operation="speak.withdraw",
    ),
    Route(
        "give-floor",
        "post",
        lambda w, c: meeting_url(w, c, "floor/"),
        lambda w, c: {"request_id": c["request"].pk},
        queued,
        {"chair"},
        200,
        "queue.changed",
        lambda w, c, body: (
            SpeakRequest.objects.get(pk=c["request"].pk).status == "speaking" or pytest.fail("no floor")
        ),
        operation="floor.give",
    ),
    Route(
        "end-speech",
        "delete",
        lambda w, c: meeting_url(w, c, "floor/"),
        None,
        speaking,
        {"chair"},
        200,
        "queue.changed",
        lambda w, c, body: (
            SpeakRequest.objects.get(pk=c["request"].pk).status == "done" or pytest.fail("still speaking")
        ),
        operation="floor.end",
    ),
    Route(
        "check-in",
        "post",
        lambda w, c: meeting_url(w, c, "check-in/"),
        lambda w, c: {"attendance": "remote"},
        published,
        {"guest", "observer", "member", "vice_chair", "chair"},
        200,
        "attendance.changed",
        lambda w, c, body: (
            Participant.objects.get(pk=body["participant"]["id"]).attendance == "remote"
            or pytest.fail("not checked in")
        ),
        operation="attendance.check_in",
    ),
    Route(
        "add-comment",
        "post",
        lambda w, c: meeting_url(w, c, "comments/"),
        lambda w, c: {"item_id": w.items[1].pk, "text": "Cần làm rõ nguồn vốn.", "visibility": "all"},
        published,
        {"guest", "member", "vice_chair", "chair", "secretary"},
        201,
        "comment.added",
        lambda w, c, body: (
            Comment.objects.filter(pk=body["comment"]["id"], text="Cần làm rõ nguồn vốn.").exists()
            or pytest.fail("no comment")
        ),
        operation="comment.add",
    ),
    Route(
        "edit-comment",
        "patch",
        lambda w, c: meeting_url(w, c, f"comments/{c['comment'].pk}/"),
        lambda w, c: {"text": "Đề nghị bổ sung số liệu quý IV."},
        commented,
        {"member"},
        200,
        "comment.edited",
        lambda w, c, body: (
            Comment.objects.get(pk=c["comment"].pk).revisions.count() == 1 or pytest.fail("no trace")
        ),
        operation="comment.edit",
    ),
    Route(
        "withdraw-comment",
        "delete",
        lambda w, c: meeting_url(w, c, f"comments/{c['comment'].pk}/"),
        None,
        commented,
        {"member"},
        200,
        "comment.withdrawn",
        lambda w, c, body: (
            Comment.objects.get(pk=c["comment"].pk).withdrawn_at is not None or pytest.fail("not withdrawn")
        ),
        operation="comment.withdraw",
    ),
]
BY_ID = {route.id: route for route in ROUTES}


def refusal(route: Route, role: str) -> int:
    """What a role the route does not allow gets: the rules, as statuses."""
    if role in {"anonymous", "foreign"}:
        return 401
    if not route.on_meeting:
        return 403
    if role == "other_member" or (route.draft and role != "secretary"):
        return 404
    return 403


def client_for(w: World, role: str, foreign: World | None = None) -> Client:
    if role == "anonymous":
        return w.client()
    if role == "foreign":
        assert foreign is not None
        # another tenant's secretariat, logged in, on this tenant's host
        client = Client(HTTP_HOST=w.host)
        client.force_login(foreign.secretary)
        return client
    return w.client(getattr(w, role))


# --- the role × route matrix ------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_roles_the_route_does_not_allow_are_refused_and_nothing_changes(in_hanoi, danang, route):
    # given
    w = in_hanoi
    c = route.setup(w)
    meeting = c.get("meeting", w.meeting)
    seq = last_seq(meeting)
    meetings = Meeting.objects.count()
    refused = [role for role in ROLES if role not in route.allowed]
    assert refused
    # when / then
    for role in refused:
        response = call(client_for(w, role, danang), route.method, route.url(w, c), route.data(w, c))
        assert_error(response, refusal(route, role))
    assert events_after(meeting, seq) == []
    assert Meeting.objects.count() == meetings


MATRIX = [
    pytest.param(route, role, id=f"{route.id}-{role}") for route in ROUTES for role in sorted(route.allowed)
]


@pytest.mark.parametrize(("route", "role"), MATRIX)
def test_each_allowed_role_succeeds_with_state_and_event(
    in_hanoi, route, role, monkeypatch, django_capture_on_commit_callbacks
):
    # given
    w = in_hanoi
    c = route.setup(w)
    meeting = c.get("meeting", w.meeting)
    seq = last_seq(meeting)
    ran: list[str] = []
    real_run = operations.run

    def spy(name: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        ran.append(name)
        return real_run(name, *args, **kwargs)

    monkeypatch.setattr(operations, "run", spy)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = call(client_for(w, role), route.method, route.url(w, c), route.data(w, c))
    # then
    assert response.status_code == route.status, response.content[:500]
    body = response.json() if response.content else None
    if route.check:
        route.check(w, c, body)
    new_events = events_after(meeting, seq)
    if route.event:
        assert route.event in new_events
    elif route.method == "get":
        assert new_events == []
    # the session routes run the socket's operation of the same name
    assert ran == ([route.operation] if route.operation else [])


def test_a_vice_chair_named_acting_chair_runs_the_session_and_stops_when_unnamed(in_hanoi):
    w = in_hanoi
    vice = w.client(w.vice_chair)
    assert_error(call(vice, "post", meeting_url(w, {}, "start/")), 403, "not_allowed")
    pid = participant(w, w.vice_chair).pk
    secretary = w.client(w.secretary)
    assert (
        call(secretary, "post", meeting_url(w, {}, "acting-chair/"), {"participant_id": pid}).status_code
        == 200
    )
    assert call(vice, "post", meeting_url(w, {}, "start/")).status_code == 200
    assert call(vice, "post", meeting_url(w, {}, "items/open/")).status_code == 200
    response = call(w.client(w.chair), "post", meeting_url(w, {}, "acting-chair/"), {"participant_id": None})
    assert response.status_code == 200 and response.json()["meeting"]["acting_chair_id"] is None
    assert_error(call(vice, "post", meeting_url(w, {}, "items/current/defer/")), 403, "not_allowed")
    # only a vice-chair can be named
    member_pid = participant(w, w.member).pk
    response = call(secretary, "post", meeting_url(w, {}, "acting-chair/"), {"participant_id": member_pid})
    assert_error(response, 400, "invalid")


def test_a_guest_sees_and_comments_only_on_the_items_given_to_them(in_hanoi):
    w = in_hanoi
    guest = w.client(w.guest)
    state = guest.get(meeting_url(w, {})).json()
    assert [item["id"] for item in state["items"]] == [w.items[1].pk]
    assert state["me"]["role"] == "guest"
    for item in (w.items[0], w.items[2]):
        body = {"item_id": item.pk, "text": "Ý kiến", "visibility": "all"}
        assert_error(call(guest, "post", meeting_url(w, {}, "comments/"), body), 404, "not_found")
        assert_error(call(guest, "patch", meeting_url(w, {}, f"items/{item.pk}/"), {"title": "x"}), 403)
    assert not Comment.objects.filter(author=w.guest).exists()
    # opening an item the guest is not invited to: they cannot ask to speak on it
    started(w)
    actions.do_open_item(fresh(w), item=w.items[0], acting_user=w.chair)
    response = call(guest, "post", meeting_url(w, {}, "speak-requests/"), {"kind": "speech"})
    assert_error(response, 403, "not_allowed")


def test_a_secretariat_only_comment_is_not_in_a_members_state(in_hanoi):
    w = in_hanoi
    body = {"item_id": w.items[0].pk, "text": "Ghi chú của Văn phòng", "visibility": "secretariat"}
    assert call(w.client(w.secretary), "post", meeting_url(w, {}, "comments/"), body).status_code == 201
    member_state = w.client(w.member).get(meeting_url(w, {})).json()
    chair_state = w.client(w.chair).get(meeting_url(w, {})).json()
    assert member_state["comments"] == []
    assert [c["text"] for c in chair_state["comments"]] == ["Ghi chú của Văn phòng"]


class _Id:
    def __init__(self, pk: object) -> None:
        self.pk = pk


def test_another_tenants_meeting_is_404_even_for_the_secretariat(in_hanoi, danang):
    w = in_hanoi
    other = {"meeting": danang.meeting, "comment": _Id(1), "request": _Id(1)}
    for route in ROUTES:
        if route.on_meeting:
            response = call(w.client(w.secretary), route.method, route.path(w, other))
            assert_error(response, 404, "not_found")
    with tenant_context(danang.tenant):
        assert fresh(danang).status == Meeting.Status.PUBLISHED
        assert last_seq(danang.meeting) == danang.meeting.stream.last_seq


def test_refusals_are_audited(in_hanoi):
    w = in_hanoi
    call(w.client(w.member), "post", meeting_url(w, {}, "start/"))
    call(w.client(w.other_member), "get", meeting_url(w, {}))
    refused = AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION_REFUSED)
    assert {e.user_id for e in refused} == {w.member.pk, w.other_member.pk}


def test_directory_lists_the_active_users_of_this_tenant_only(in_hanoi, danang):
    w = in_hanoi
    with tenant_context(w.tenant):
        gone = do_create_user(
            tenant=w.tenant, username="hanoi-gone", full_name="Đã nghỉ", password=None, check_password=False
        )
    User.objects.filter(pk=gone.pk).update(is_active=False)
    body = w.client(w.secretary).get(f"{API}/directory/").json()
    ids = {row["id"] for row in body}
    assert w.other_member.pk in ids and w.chair.pk in ids
    assert gone.pk not in ids and danang.member.pk not in ids
    assert set(body[0]) == {"id", "full_name", "title", "unit"}


# --- wrong state: 409 in Vietnamese --------------------------------------------------------


def closed(w: World) -> dict[str, Any]:
    started(w)
    actions.do_close_meeting(fresh(w), acting_user=w.chair)
    return {}


WRONG_STATE = [
    (
        "open-item-of-closed-meeting",
        closed,
        "items/open/",
        "post",
        None,
        "Chỉ mở nội dung khi cuộc họp đang diễn ra.",
    ),
    ("start-twice", started, "start/", "post", None, "Chỉ bắt đầu được cuộc họp đã công bố và chưa bắt đầu."),
    ("start-closed", closed, "start/", "post", None, "Cuộc họp đã kết thúc."),
    ("publish-twice", published, "publish/", "post", None, "Chỉ cuộc họp đang chuẩn bị mới có thể công bố."),
    (
        "floor-to-no-request",
        live,
        "floor/",
        "post",
        {"request_id": 424242},
        "Đăng ký này không còn chờ phát biểu.",
    ),
    ("end-speech-of-nobody", live, "floor/", "delete", None, "Không có ai đang phát biểu."),
    (
        "conclude-with-no-item-open",
        started,
        "items/current/conclude/",
        "post",
        {"conclusion": "Xong."},
        "Không có nội dung nào đang thảo luận.",
    ),
    (
        "open-while-another-is-open",
        live,
        "items/open/",
        "post",
        None,
        "Hãy kết luận hoặc hoãn nội dung đang thảo luận trước.",
    ),
    (
        "close-with-item-open",
        live,
        "close/",
        "post",
        None,
        "Hãy kết luận hoặc hoãn nội dung đang thảo luận trước khi kết thúc cuộc họp.",
    ),
    (
        "edit-closed-meeting",
        closed,
        "",
        "patch",
        {"title": "Mới"},
        "Cuộc họp đã kết thúc, không thể thay đổi.",
    ),
]


@pytest.mark.parametrize(
    ("setup", "suffix", "method", "body", "vietnamese"),
    [pytest.param(*case[1:], id=case[0]) for case in WRONG_STATE],
)
def test_wrong_state_is_409_with_a_vietnamese_detail(in_hanoi, setup, suffix, method, body, vietnamese):
    w = in_hanoi
    setup(w)
    seq = last_seq(w.meeting)
    user = w.secretary if suffix in {"", "publish/"} else w.chair
    response = call(w.client(user), method, meeting_url(w, {}, suffix), body)
    assert assert_error(response, 409, "wrong_state")["detail"] == vietnamese
    assert events_after(w.meeting, seq) == []
    english = call(w.client(user), method, meeting_url(w, {}, suffix), body, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409 and english.json()["detail"] != vietnamese


def test_giving_the_floor_to_nobody_is_a_clear_400(in_hanoi):
    w = in_hanoi
    live(w)
    body = assert_error(
        call(w.client(w.chair), "post", meeting_url(w, {}, "floor/"), {"request_id": None}), 400
    )
    assert body["detail"] == "Hãy chọn người được phát biểu."


# --- bad input: 4xx in the error shape, never a 500 ----------------------------------------

BAD_INPUT = [
    # (id, setup, role, method, path suffix, body, status)
    ("bad-json", published, "secretary", "patch", "", "{not json", 400),
    ("json-list", published, "secretary", "patch", "", "[1, 2]", 400),
    ("json-string", published, "secretary", "post", "items/", '"a title"', 400),
    ("json-null", published, "secretary", "post", "items/", "null", 400),
    ("unknown-field", published, "secretary", "patch", "", {"status": "closed"}, 400),
    ("unknown-field-on-action", published, "chair", "post", "start/", {"force": True}, 400),
    ("title-as-object", published, "secretary", "patch", "", {"title": {"vi": "x"}}, 400),
    ("title-as-list", published, "secretary", "post", "items/", {"title": ["x"]}, 400),
    ("title-empty", published, "secretary", "post", "items/", {"title": "   "}, 400),
    ("title-too-long", published, "secretary", "post", "items/", {"title": "x" * 501}, 400),
    ("title-null-char", published, "secretary", "post", "items/", {"title": "a\x00b"}, 400),
    (
        "minutes-as-text",
        published,
        "secretary",
        "post",
        "items/",
        {"title": "x", "planned_minutes": "many"},
        400,
    ),
    (
        "minutes-as-bool",
        published,
        "secretary",
        "post",
        "items/",
        {"title": "x", "planned_minutes": True},
        400,
    ),
    (
        "minutes-fraction",
        published,
        "secretary",
        "post",
        "items/",
        {"title": "x", "planned_minutes": 1.5},
        400,
    ),
    (
        "minutes-too-many",
        published,
        "secretary",
        "post",
        "items/",
        {"title": "x", "planned_minutes": 10**6},
        400,
    ),
    (
        "presenter-huge",
        published,
        "secretary",
        "post",
        "items/",
        {"title": "x", "presenter_id": int(HUGE)},
        400,
    ),
    ("presenter-foreign", published, "secretary", "post", "items/", {"title": "x", "presenter_id": -1}, 400),
    ("reorder-not-a-list", published, "secretary", "post", "items/reorder/", {"order": "1,2,3"}, 400),
    ("reorder-huge", published, "secretary", "post", "items/reorder/", {"order": [int(HUGE)]}, 400),
    ("reorder-missing-items", published, "secretary", "post", "items/reorder/", {"order": [1]}, 400),
    ("move-by-two", published, "secretary", "post", "ITEM0/move/", {"offset": 2}, 400),
    ("role-unknown", published, "secretary", "post", "participants/", {"user_id": 1, "role": "king"}, 400),
    (
        "user-huge",
        published,
        "secretary",
        "post",
        "participants/",
        {"user_id": int(HUGE), "role": "member"},
        400,
    ),
    (
        "user-unknown",
        published,
        "secretary",
        "post",
        "participants/",
        {"user_id": 10**9, "role": "member"},
        400,
    ),
    (
        "item-ids-wrong",
        published,
        "secretary",
        "patch",
        "participants/GUEST/",
        {"item_ids": [{"id": 1}]},
        400,
    ),
    ("start-naive", published, "secretary", "patch", "", {"scheduled_start": "2026-12-01T08:00:00"}, 400),
    ("start-not-a-date", published, "secretary", "patch", "", {"scheduled_start": "tomorrow"}, 400),
    ("start-as-number", published, "secretary", "patch", "", {"scheduled_start": 1764550800}, 400),
    ("end-before-start", published, "secretary", "patch", "", {"planned_end": "2020-01-01T00:00:00Z"}, 400),
    ("copy-naive", published, "secretary", "post", "copy/", {"scheduled_start": "2027-01-05 08:00"}, 400),
    ("limit-too-small", published, "secretary", "patch", "", {"speaking_limit_seconds": 1}, 400),
    ("attendance-unknown", published, "member", "post", "check-in/", {"attendance": "moon"}, 400),
    ("attendance-missing", published, "member", "post", "check-in/", {}, 400),
    ("speak-kind-unknown", live, "member", "post", "speak-requests/", {"kind": "shout"}, 400),
    ("floor-request-huge", queued, "chair", "post", "floor/", {"request_id": int(HUGE)}, 400),
    ("floor-request-text", queued, "chair", "post", "floor/", {"request_id": "first"}, 400),
    ("open-item-huge", started, "chair", "post", "items/open/", {"item_id": int(HUGE)}, 400),
    ("conclusion-empty", live, "chair", "post", "items/current/conclude/", {"conclusion": ""}, 400),
    ("conclusion-missing", live, "chair", "post", "items/current/conclude/", {}, 400),
    ("comment-too-long", published, "member", "post", "comments/", {"item_id": 0, "text": "x" * 6000}, 400),
    (
        "comment-visibility",
        published,
        "member",
        "post",
        "comments/",
        {"item_id": 0, "text": "x", "visibility": "me"},
        400,
    ),
    ("comment-item-huge", published, "member", "post", "comments/", {"item_id": int(HUGE), "text": "x"}, 400),
    ("comment-item-missing", published, "member", "post", "comments/", {"item_id": 10**9, "text": "x"}, 404),
    ("huge-item-in-path", published, "secretary", "patch", f"items/{HUGE}/", {"title": "x"}, 404),
    ("huge-participant-in-path", published, "secretary", "delete", f"participants/{HUGE}/", None, 404),
    ("huge-comment-in-path", published, "member", "patch", f"comments/{HUGE}/", {"text": "x"}, 404),
    ("huge-item-to-open", started, "chair", "post", f"items/{HUGE}/open/", None, 404),
    ("missing-item-to-open", started, "chair", "post", "items/999999999/open/", None, 404),
    (
        "huge-participant-substitute",
        published,
        "member",
        "post",
        f"participants/{HUGE}/substitute/",
        {"user_id": 1},
        404,
    ),
]


@pytest.mark.parametrize(
    ("setup", "role", "method", "suffix", "body", "status"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUT],
)
def test_bad_input_is_a_4xx_in_the_error_shape(in_hanoi, setup, role, method, suffix, body, status):
    w = in_hanoi
    setup(w)
    suffix = suffix.replace("ITEM0", f"items/{w.items[0].pk}").replace(
        "GUEST", str(participant(w, w.guest).pk)
    )
    if isinstance(body, dict) and body.get("item_id") == 0:
        body = {**body, "item_id": w.items[1].pk}
    seq = last_seq(w.meeting)
    before = fresh(w)
    response = call(w.client(getattr(w, role)), method, meeting_url(w, {}, suffix), body)
    assert_error(response, status)
    assert events_after(w.meeting, seq) == []
    after = fresh(w)
    assert (after.title, after.scheduled_start, after.planned_end) == (
        before.title,
        before.scheduled_start,
        before.planned_end,
    )


def test_a_naive_datetime_is_refused_with_a_clear_message(in_hanoi):
    w = in_hanoi
    body = {"title": "Phiên họp", "scheduled_start": "2026-12-15T08:30:00"}
    response = call(w.client(w.secretary), "post", f"{API}/meetings/", body)
    detail = assert_error(response, 400, "invalid")["detail"]
    assert detail.startswith("scheduled_start: ")
    assert "múi giờ" in detail
    assert not Meeting.objects.filter(title="Phiên họp").exists()


def test_a_start_already_past_is_refused_and_an_unchanged_one_is_kept(in_hanoi):
    w = in_hanoi
    client = w.client(w.secretary)
    yesterday = local_iso(timezone.now() - timedelta(days=1))
    created = call(
        client, "post", f"{API}/meetings/", {"title": "Họp nhầm ngày", "scheduled_start": yesterday}
    )
    assert "đã qua" in assert_error(created, 400, "invalid")["detail"]
    assert not Meeting.objects.filter(title="Họp nhầm ngày").exists()
    copied = call(client, "post", f"{API}/meetings/{w.meeting.pk}/copy/", {"scheduled_start": yesterday})
    assert "đã qua" in assert_error(copied, 400, "invalid")["detail"]
    moved = call(client, "patch", f"{API}/meetings/{w.meeting.pk}/", {"scheduled_start": yesterday})
    assert "đã qua" in assert_error(moved, 400, "invalid")["detail"]
    # a meeting whose start has passed keeps it when something else changes
    past = timezone.now() - timedelta(hours=2)
    Meeting.objects.filter(pk=w.meeting.pk).update(scheduled_start=past)
    kept = call(
        client,
        "patch",
        f"{API}/meetings/{w.meeting.pk}/",
        {"place": "Phòng 2", "scheduled_start": local_iso(past)},
    )
    assert kept.status_code == 200, kept.content
    assert Meeting.objects.get(pk=w.meeting.pk).place == "Phòng 2"


def test_unknown_fields_are_named_in_the_error(in_hanoi):
    w = in_hanoi
    response = call(
        w.client(w.secretary), "post", meeting_url(w, {}, "items/"), {"title": "x", "colour": "red"}
    )
    detail = assert_error(response, 400, "invalid")["detail"]
    assert detail == "colour: Trường không hợp lệ."


def test_huge_meeting_ids_are_404_on_every_route(in_hanoi):
    w = in_hanoi
    huge = {"meeting": _Id(HUGE), "comment": _Id(1), "request": _Id(1)}
    for route in ROUTES:
        if route.on_meeting:
            response = call(w.client(w.secretary), route.method, route.url(w, huge))
            assert_error(response, 404, "not_found")


def test_datetimes_come_back_with_their_time_zone(in_hanoi):
    w = in_hanoi
    moved = w.meeting.scheduled_start + timedelta(minutes=75)
    body = {"scheduled_start": local_iso(moved)}
    assert body["scheduled_start"].endswith("+07:00")
    meeting = call(w.client(w.secretary), "patch", meeting_url(w, {}), body).json()["meeting"]
    assert meeting["scheduled_start"] == moved.isoformat() and moved.isoformat().endswith("+00:00")
    assert datetime.fromisoformat(meeting["scheduled_start"]).tzinfo is not None


# --- the schema ------------------------------------------------------------------------------

SCHEMA_PATHS = {
    "/api/v1/meetings/": {"get", "post"},
    "/api/v1/directory/": {"get"},
    "/api/v1/meetings/{meeting_id}/": {"get", "patch"},
    "/api/v1/meetings/{meeting_id}/publish/": {"post"},
    "/api/v1/meetings/{meeting_id}/copy/": {"post"},
    "/api/v1/meetings/{meeting_id}/acting-chair/": {"post"},
    "/api/v1/meetings/{meeting_id}/items/": {"post"},
    "/api/v1/meetings/{meeting_id}/items/{item_id}/": {"patch", "delete"},
    "/api/v1/meetings/{meeting_id}/items/reorder/": {"post"},
    "/api/v1/meetings/{meeting_id}/items/{item_id}/move/": {"post"},
    "/api/v1/meetings/{meeting_id}/items/open/": {"post"},
    "/api/v1/meetings/{meeting_id}/items/{item_id}/open/": {"post"},
    "/api/v1/meetings/{meeting_id}/items/current/conclude/": {"post"},
    "/api/v1/meetings/{meeting_id}/items/current/defer/": {"post"},
    "/api/v1/meetings/{meeting_id}/participants/": {"post"},
    "/api/v1/meetings/{meeting_id}/participants/{participant_id}/": {"patch", "delete"},
    "/api/v1/meetings/{meeting_id}/participants/{participant_id}/substitute/": {"post"},
    "/api/v1/meetings/{meeting_id}/substitutes/": {"get", "put", "post"},
    "/api/v1/meetings/{meeting_id}/substitutes/{proposal_id}/decision/": {"post"},
    "/api/v1/meetings/{meeting_id}/substitutes/{proposal_id}/withdraw/": {"post"},
    "/api/v1/meetings/{meeting_id}/start/": {"post"},
    "/api/v1/meetings/{meeting_id}/adjourn/": {"post"},
    "/api/v1/meetings/{meeting_id}/resume/": {"post"},
    "/api/v1/meetings/{meeting_id}/close/": {"post"},
    "/api/v1/meetings/{meeting_id}/speak-requests/": {"post"},
    "/api/v1/meetings/{meeting_id}/speak-requests/mine/": {"delete"},
    "/api/v1/meetings/{meeting_id}/floor/": {"post", "delete"},
    "/api/v1/meetings/{meeting_id}/check-in/": {"post"},
    "/api/v1/meetings/{meeting_id}/comments/": {"post"},
    "/api/v1/meetings/{meeting_id}/comments/{comment_id}/": {"patch", "delete"},
}


def test_the_schema_documents_every_route_with_its_shapes_and_errors(hanoi):
    schema = hanoi.client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path, methods in SCHEMA_PATHS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
        for method in methods:
            responses = paths[path][method]["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, (path, method)
            for code in success:
                if code != "204":
                    assert "$ref" in json.dumps(responses[code]["content"]), (path, method, code)
            errors = {"401"} | ({"404"} if "{meeting_id}" in path else set())
            if method != "get":
                errors |= {"400", "403"}
            for code in errors:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (path, method, code)
    state = schema["components"]["schemas"]["MeetingState"]["properties"]
    assert {"meeting", "me", "items", "participants", "quorum", "comments"} <= set(state)


def test_the_schema_validates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/meetings/{meeting_id}/floor/" in out.read_text()


# --- queries --------------------------------------------------------------------------------


def test_meeting_state_runs_a_fixed_number_of_queries_whatever_the_size(
    in_hanoi, django_assert_max_num_queries
):
    w = in_hanoi
    client = w.client(w.chair)
    url = meeting_url(w, {})
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        assert len(client.get(url).json()["items"]) == 3
    # a larger agenda: 40 items, 30 more participants, comments and a queue
    for n in range(37):
        actions.do_add_item(w.meeting, title=f"Nội dung {n}", presenter=w.member, acting_user=w.secretary)
    for n in range(30):
        user = do_create_user(
            tenant=w.tenant,
            username=f"hanoi-m{n}",
            full_name=f"Thành viên {n}",
            password=None,
            check_password=False,
        )
        p = actions.do_add_participant(w.meeting, user=user, role=Role.MEMBER, acting_user=w.secretary)
        if n % 3 == 0:
            actions.do_name_substitute(
                p,
                substitute=do_create_user(
                    tenant=w.tenant,
                    username=f"hanoi-s{n}",
                    full_name=f"Thay {n}",
                    password=None,
                    check_password=False,
                ),
                acting_user=w.secretary,
            )
    live(w)
    for user in (w.member, w.vice_chair, w.guest):
        actions.do_request_to_speak(fresh(w), participant=participant(w, user), kind="speech")
    for n in range(20):
        actions.do_add_comment(w.items[1], author=w.member, text=f"Ý kiến {n}", visibility="all")
    with django_assert_max_num_queries(len(small.captured_queries)):
        state = client.get(url).json()
    assert len(state["items"]) == 40
    assert len(state["participants"]) == 45
    assert len(state["comments"]) == 20
    assert len(next(i for i in state["items"] if i["id"] == w.items[1].pk)["queue"]) == 3
