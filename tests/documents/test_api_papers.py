"""The papers API: the role × route matrix (what each role gets, that refusals
change nothing), another tenant's papers, bad input as a 4xx in the error
shape, the schema, and a fixed number of queries for the list."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from documents.access import paper_settings
from documents.models import MeetingPapers, Paper, PaperVersion
from ecabinet.models import Event
from ecabinet.tenancy import tenant_context
from meetings import actions as meeting_actions
from tests.conftest import World
from tests.documents.conftest import make_pdf, pdf_upload

API = "/api/v1"
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
IN_MEETING = {"guest", "observer", "member", "vice_chair", "chair", "secretary"}
RECEIVE_ITEM_1 = {"observer", "member", "vice_chair", "chair", "secretary"}  # the guest has item 2 only


def client_for(w: World, role: str, foreign: World | None = None) -> Client:
    if role == "anonymous":
        return w.client()
    if role == "foreign":
        assert foreign is not None
        client = Client(HTTP_HOST=w.host)
        client.force_login(foreign.secretary)
        return client
    return w.client(getattr(w, role))


def call(client: Client, method: str, path: str, body: Any = None, *, multipart: bool = False) -> Any:
    if method == "get":
        return client.get(path, body or {})
    if multipart:
        return client.post(path, body or {})
    data = body if isinstance(body, str | bytes) else json.dumps(body if body is not None else {})
    return getattr(client, method)(path, data, content_type="application/json")


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    assert body["detail"]
    if code is not None:
        assert body["error"] == code, body
    return body


def snapshot(w: World) -> tuple[Any, ...]:
    with tenant_context(w.tenant):
        papers = tuple(
            Paper.objects.order_by("pk").values_list(
                "pk", "title", "kind", "item_id", "position", "restricted", "downloadable", "withdrawn_at"
            )
        )
        return (
            papers,
            PaperVersion.objects.count(),
            MeetingPapers.objects.filter(revoked_at__isnull=False).count(),
            Event.objects.filter(type__startswith="paper").count(),
            tuple(paper_settings(w.tenant).__dict__[k] for k in ("max_upload_mb", "grace_days")),
        )


def two_papers(w: World) -> dict[str, Any]:
    from documents.actions import do_upload_paper

    with tenant_context(w.tenant):
        papers = [
            do_upload_paper(
                w.meeting,
                upload=pdf_upload(make_pdf(3, text=f"Tài liệu {n}")),
                title=f"Tờ trình số {n}",
                item=w.items[0],
                acting_user=w.secretary,
            )
            for n in (1, 2)
        ]
    return {"paper": papers[0], "second": papers[1]}


@dataclass
class Route:
    id: str
    method: str
    path: Callable[[World, dict[str, Any]], str]
    body: Callable[[World, dict[str, Any]], Any] | None
    allowed: set[str]
    status: int
    event: str | None = None
    multipart: bool = False
    tenant_route: bool = False  # no meeting: a participant's refusal is 403, an outsider's too
    reader_route: bool = False  # a paper a guest without the item does not receive: 404 for them
    check: Callable[[World, dict[str, Any], Any], None] | None = field(default=None)


def _paper_url(suffix: str = "") -> Callable[[World, dict[str, Any]], str]:
    return lambda w, c: f"{API}/papers/{c['paper'].pk}/{suffix}"


def _meeting_url(suffix: str = "") -> Callable[[World, dict[str, Any]], str]:
    return lambda w, c: f"{API}/meetings/{c.get('meeting', w.meeting).pk}/papers/{suffix}"


def _check_list(w: World, c: dict[str, Any], body: Any) -> None:
    assert [p["title"] for p in body] == ["Tờ trình số 1", "Tờ trình số 2"] or body == []


def _check_uploaded(w: World, c: dict[str, Any], body: Any) -> None:
    paper = body["paper"]
    assert (paper["title"], paper["kind"], paper["item_id"], paper["page_count"]) == (
        "Dự thảo quy chế",
        "draft",
        w.items[2].pk,
        4,
    )
    assert paper["restricted"] and paper["recipient_ids"] == sorted([w.chair.pk, w.vice_chair.pk])
    assert paper["link"] and [v["number"] for v in paper["versions"]] == [1]


def _check_detail(w: World, c: dict[str, Any], body: Any) -> None:
    assert body["id"] == c["paper"].pk and body["version"] == 1 and body["link"]
    assert ("versions" in body) == body["can_edit"]


def _check_patched(w: World, c: dict[str, Any], body: Any) -> None:
    paper = body["paper"]
    assert (paper["title"], paper["kind"], paper["presenting_unit"], paper["item_id"]) == (
        "Báo cáo thẩm định",
        "report",
        "Sở Tư pháp",
        None,
    )


def _check_withdrawn(w: World, c: dict[str, Any], body: Any) -> None:
    with tenant_context(w.tenant):
        assert Paper.objects.get(pk=c["paper"].pk).withdrawn_at is not None


ROUTES = [
    Route("list", "get", _meeting_url(), None, IN_MEETING, 200, check=lambda w, c, body: None),
    Route(
        "upload",
        "post",
        _meeting_url(),
        lambda w, c: {
            "file": pdf_upload(make_pdf(4)),
            "title": "Dự thảo quy chế",
            "kind": "draft",
            "presenting_unit": "Sở Nội vụ",
            "item_id": w.items[2].pk,
            "restricted": "true",
            "recipient_ids": [w.chair.pk, w.vice_chair.pk],
        },
        {"secretary"},
        201,
        "paper.added",
        multipart=True,
        check=_check_uploaded,
    ),
    Route(
        "end-reading", "post", _meeting_url("end-reading/"), None, {"secretary"}, 200, "papers.reading_ended"
    ),
    Route("detail", "get", _paper_url(), None, RECEIVE_ITEM_1, 200, reader_route=True, check=_check_detail),
    Route(
        "patch",
        "patch",
        _paper_url(),
        lambda w, c: {
            "title": "Báo cáo thẩm định",
            "kind": "report",
            "presenting_unit": "Sở Tư pháp",
            "item_id": None,
        },
        {"secretary"},
        200,
        "paper.changed",
        check=_check_patched,
    ),
    Route(
        "withdraw", "delete", _paper_url(), None, {"secretary"}, 204, "paper.removed", check=_check_withdrawn
    ),
    Route(
        "new-version",
        "post",
        _paper_url("versions/"),
        lambda w, c: {"file": pdf_upload(make_pdf(6, text="Bản sửa")), "change_note": "Bổ sung"},
        {"secretary"},
        201,
        "paper.updated",
        multipart=True,
        check=lambda w, c, body: (
            (body["paper"]["version"], body["paper"]["page_count"]) == (2, 6) or pytest.fail(str(body))
        ),
    ),
    Route(
        "distribution",
        "put",
        _paper_url("distribution/"),
        lambda w, c: {"restricted": True, "recipient_ids": [w.chair.pk], "downloadable": True},
        {"secretary"},
        200,
        "paper.distribution",
        check=lambda w, c, body: (
            (body["paper"]["recipient_ids"] == [w.chair.pk] and body["paper"]["downloadable"])
            or pytest.fail(str(body))
        ),
    ),
    Route(
        "move",
        "post",
        _paper_url("move/"),
        lambda w, c: {"offset": 1},
        {"secretary"},
        200,
        "paper.changed",
        check=lambda w, c, body: body["order"] == [c["second"].pk, c["paper"].pk] or pytest.fail(str(body)),
    ),
    Route(
        "settings",
        "get",
        lambda w, c: f"{API}/paper-settings/",
        None,
        IN_MEETING | {"other_member"},
        200,
        tenant_route=True,
        check=lambda w, c, body: body == {"max_upload_mb": 100, "grace_days": 7} or pytest.fail(str(body)),
    ),
    Route(
        "settings-put",
        "put",
        lambda w, c: f"{API}/paper-settings/",
        lambda w, c: {"max_upload_mb": 50, "grace_days": 3},
        {"secretary"},
        200,
        tenant_route=True,
        check=lambda w, c, body: body == {"max_upload_mb": 50, "grace_days": 3} or pytest.fail(str(body)),
    ),
]


def refusal(route: Route, role: str) -> int:
    if role in {"anonymous", "foreign"}:
        return 401
    if route.tenant_route:
        return 403
    if role == "other_member" or (route.reader_route and role == "guest"):
        return 404
    return 403


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_roles_the_route_does_not_allow_are_refused_and_nothing_changes(
    in_hanoi, danang, route: Route
) -> None:
    w = in_hanoi
    c = two_papers(w)
    before = snapshot(w)
    refused = [role for role in ROLES if role not in route.allowed]
    assert refused
    for role in refused:
        body = route.body(w, c) if route.body else None
        response = call(
            client_for(w, role, danang), route.method, route.path(w, c), body, multipart=route.multipart
        )
        assert_error(response, refusal(route, role))
    assert snapshot(w) == before


MATRIX = [
    pytest.param(route, role, id=f"{route.id}-{role}") for route in ROUTES for role in sorted(route.allowed)
]


@pytest.mark.parametrize(("route", "role"), MATRIX)
def test_each_allowed_role_succeeds(
    in_hanoi, route: Route, role: str, django_capture_on_commit_callbacks
) -> None:
    w = in_hanoi
    c = two_papers(w)
    events = Event.objects.count()
    body = route.body(w, c) if route.body else None
    with django_capture_on_commit_callbacks(execute=False):
        response = call(client_for(w, role), route.method, route.path(w, c), body, multipart=route.multipart)
    assert response.status_code == route.status, response.content[:500]
    if route.check:
        route.check(w, c, response.json() if response.content else None)
    new = list(Event.objects.order_by("id").values_list("type", flat=True))[events:]
    if route.event:
        assert route.event in new
    elif route.method == "get":
        assert new == []


# --- other tenants and huge ids -----------------------------------------------------------------


def test_another_tenants_papers_are_404_even_for_the_secretariat(in_hanoi, danang) -> None:
    w = in_hanoi
    theirs = two_papers(danang) | {"meeting": danang.meeting}
    before = snapshot(danang)
    for route in ROUTES:
        if route.tenant_route:
            continue
        body = route.body(w, theirs) if route.body else None
        response = call(
            w.client(w.secretary), route.method, route.path(w, theirs), body, multipart=route.multipart
        )
        assert_error(response, 404, "not_found")
    assert snapshot(danang) == before


def test_huge_and_missing_ids_are_404(in_hanoi) -> None:
    w = in_hanoi
    client = w.client(w.secretary)
    for path in (
        f"{API}/papers/{'9' * 30}/",
        f"{API}/papers/0/",
        f"{API}/papers/999999/",
        f"{API}/meetings/{'9' * 30}/papers/",
    ):
        assert_error(client.get(path), 404, "not_found")


# --- bad input ----------------------------------------------------------------------------------


def _closed(w: World) -> None:
    meeting = meeting_actions.do_start_meeting(w.meeting, acting_user=w.chair)
    meeting_actions.do_close_meeting(meeting, acting_user=w.chair)


BAD = [
    # (id, route, body, status, code, prepare)
    ("upload-json", "upload", {"title": "x"}, 415, "unsupported_media_type", None),
    ("upload-no-file", "upload", {"title": "Tờ trình"}, 400, "invalid", None),
    ("upload-no-title", "upload", {"file": "pdf"}, 400, "invalid", None),
    ("upload-bad-kind", "upload", {"file": "pdf", "title": "x", "kind": "secret"}, 400, "invalid", None),
    ("upload-bad-item", "upload", {"file": "pdf", "title": "x", "item_id": 999999}, 400, "invalid", None),
    ("upload-text-item", "upload", {"file": "pdf", "title": "x", "item_id": "abc"}, 400, "invalid", None),
    (
        "upload-unknown-field",
        "upload",
        {"file": "pdf", "title": "x", "secret_level": "1"},
        400,
        "invalid",
        None,
    ),
    (
        "upload-nobody-named",
        "upload",
        {"file": "pdf", "title": "x", "restricted": "true"},
        400,
        "invalid",
        None,
    ),
    (
        "upload-outsider-named",
        "upload",
        {"file": "pdf", "title": "x", "restricted": "true", "recipient_ids": ["OTHER"]},
        400,
        "invalid",
        None,
    ),
    ("upload-closed", "upload", {"file": "pdf", "title": "x"}, 409, "wrong_state", _closed),
    ("patch-unknown", "patch", {"colour": "red"}, 400, "invalid", None),
    ("patch-empty-title", "patch", {"title": "  "}, 400, "invalid", None),
    ("patch-bad-kind", "patch", {"kind": 3}, 400, "invalid", None),
    ("patch-bad-item", "patch", {"item_id": 999999}, 400, "invalid", None),
    ("patch-not-json", "patch", "{not json", 400, "bad_json", None),
    ("distribution-missing", "distribution", {"recipient_ids": []}, 400, "invalid", None),
    (
        "distribution-not-a-list",
        "distribution",
        {"restricted": True, "recipient_ids": 5, "downloadable": False},
        400,
        "invalid",
        None,
    ),
    (
        "distribution-nobody",
        "distribution",
        {"restricted": True, "recipient_ids": [], "downloadable": False},
        400,
        "invalid",
        None,
    ),
    ("move-by-two", "move", {"offset": 2}, 400, "invalid", None),
    ("move-first-up", "move", {"offset": -1}, 409, "wrong_state", None),
    ("settings-zero", "settings-put", {"max_upload_mb": 0, "grace_days": 3}, 400, "invalid", None),
    ("settings-negative", "settings-put", {"max_upload_mb": 10, "grace_days": -1}, 400, "invalid", None),
    ("settings-text", "settings-put", {"max_upload_mb": "lots", "grace_days": 3}, 400, "invalid", None),
    ("settings-huge", "settings-put", {"max_upload_mb": 10**12, "grace_days": 3}, 400, "invalid", None),
]
BY_ID = {route.id: route for route in ROUTES}


@pytest.mark.parametrize(
    ("case", "route_id", "body", "status", "code", "prepare"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_input_is_a_4xx_in_the_error_shape(
    in_hanoi, case: str, route_id: str, body: Any, status: int, code: str, prepare: Any
) -> None:
    w = in_hanoi
    c = two_papers(w)
    if prepare:
        prepare(w)
    route = BY_ID[route_id]
    if isinstance(body, dict):
        body = {k: (pdf_upload() if v == "pdf" else v) for k, v in body.items()}
        if body.get("recipient_ids") == ["OTHER"]:
            body["recipient_ids"] = [w.other_member.pk]
    before = snapshot(w)
    multipart = route.multipart and case != "upload-json"
    response = call(w.client(w.secretary), route.method, route.path(w, c), body, multipart=multipart)
    assert_error(response, status, code)
    assert snapshot(w) == before


def test_withdrawing_twice_is_409(in_hanoi) -> None:
    w = in_hanoi
    c = two_papers(w)
    client = w.client(w.secretary)
    assert client.delete(f"{API}/papers/{c['paper'].pk}/").status_code == 204
    assert_error(client.delete(f"{API}/papers/{c['paper'].pk}/"), 409, "wrong_state")
    # members no longer receive it; the secretariat still sees it, marked
    assert_error(w.client(w.member).get(f"{API}/papers/{c['paper'].pk}/"), 404, "not_found")
    body = client.get(f"{API}/papers/{c['paper'].pk}/").json()
    assert body["withdrawn_at"] and body["link"] is None


def test_errors_speak_vietnamese(in_hanoi) -> None:
    w = in_hanoi
    response = w.client(w.secretary).post(
        f"{API}/meetings/{w.meeting.pk}/papers/",
        {"file": pdf_upload(make_pdf(2, first_line="TUYỆT MẬT")), "title": "x"},
    )
    assert_error(response, 400, "paper_refused")
    assert "Tài liệu mật không được đưa lên eCabinet" in response.json()["detail"]


# --- the schema and queries -----------------------------------------------------------------------

SCHEMA_PATHS = {
    "/api/v1/meetings/{meeting_id}/papers/": {"get", "post"},
    "/api/v1/meetings/{meeting_id}/papers/end-reading/": {"post"},
    "/api/v1/papers/{paper_id}/": {"get", "patch", "delete"},
    "/api/v1/papers/{paper_id}/versions/": {"post"},
    "/api/v1/papers/{paper_id}/distribution/": {"put"},
    "/api/v1/papers/{paper_id}/move/": {"post"},
    "/api/v1/paper-settings/": {"get", "put"},
}


def test_the_schema_documents_every_route_with_its_errors(hanoi) -> None:
    schema = hanoi.client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, methods in SCHEMA_PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), path
        for method in methods:
            responses = schema["paths"][path][method]["responses"]
            codes = (
                {"401"}
                | ({"404"} if "_id}" in path else set())
                | ({"400", "403"} if method != "get" else set())
            )
            for code in codes:
                ref = responses[code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error", (path, method, code)
    upload = schema["paths"]["/api/v1/meetings/{meeting_id}/papers/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "413" in upload["responses"]
    assert schema["components"]["schemas"]["PaperKindEnum"]["enum"] == [
        "submission",
        "draft",
        "report",
        "other",
    ]


@pytest.mark.parametrize("who", ["member", "guest", "secretary"])
def test_the_list_runs_a_fixed_number_of_queries(in_hanoi, who: str, django_assert_max_num_queries) -> None:
    from documents.actions import do_set_distribution, do_upload_paper

    w = in_hanoi
    client = w.client(getattr(w, who))
    url = f"{API}/meetings/{w.meeting.pk}/papers/"
    two_papers(w)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url).status_code == 200
    for n in range(15):
        paper = do_upload_paper(
            w.meeting,
            upload=pdf_upload(make_pdf(2, text=f"Phụ lục {n}")),
            title=f"Phụ lục {n}",
            item=w.items[n % 3] if n % 4 else None,
            acting_user=w.secretary,
        )
        if n % 5 == 0:
            do_set_distribution(
                paper, restricted=True, recipients=[w.chair], downloadable=False, acting_user=w.secretary
            )
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(url).json()
    expected = {"member": 17 - 3, "guest": 3 + 3, "secretary": 17}[who]  # 3 named to the chair only
    assert len(body) == expected, [p["title"] for p in body]


def test_a_tenant_cannot_allow_more_than_the_server_accepts(in_hanoi, settings) -> None:
    w = in_hanoi
    settings.ECABINET_MAX_UPLOAD_MB = 50
    client = w.client(w.secretary)
    url = f"{API}/paper-settings/"
    assert_error(call(client, "put", url, {"max_upload_mb": 51, "grace_days": 7}), 400, "invalid")
    assert call(client, "put", url, {"max_upload_mb": 50, "grace_days": 7}).json()["max_upload_mb"] == 50
    page = client.post("/meetings/rules/papers/", {"max_upload_mb": 51, "grace_days": 7}, follow=True)
    [message] = [str(m) for m in page.context["messages"]]
    assert message.startswith("Dung lượng tối đa của tài liệu (MB):") and "50" in message
    with tenant_context(w.tenant):
        assert paper_settings(w.tenant).max_upload_mb == 50


def test_a_session_upload_needs_the_csrf_token(in_hanoi) -> None:
    w = in_hanoi
    client = Client(HTTP_HOST=w.host, enforce_csrf_checks=True)
    client.force_login(w.secretary)
    response = client.post(
        f"{API}/meetings/{w.meeting.pk}/papers/", {"file": pdf_upload(), "title": "Tờ trình"}
    )
    assert_error(response, 403, "not_allowed")
    with tenant_context(w.tenant):
        assert not Paper.objects.exists()
