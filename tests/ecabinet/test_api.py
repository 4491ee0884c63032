import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from ecabinet.models import AuditEvent
from tests.clock import session_start
from tests.conftest import PASSWORD, requires_redis


def token_login(host: str, body, content_type="application/json"):
    return Client(HTTP_HOST=host).post("/api/v1/auth/token/", body, content_type=content_type)


def test_token_login_returns_a_token_and_audits_it(hanoi):
    response = token_login(hanoi.host, {"username": hanoi.member.username, "password": PASSWORD})
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(key=key).user == hanoi.member
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TOKEN_ISSUED, user=hanoi.member).exists()
    # the token works on the API of its own tenant
    api = Client(HTTP_HOST=hanoi.host, HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/meetings/").status_code == 200


def test_token_login_at_another_tenant_is_the_same_wrong_credentials(hanoi, danang):
    wrong = token_login(hanoi.host, {"username": hanoi.member.username, "password": "nope"})
    other = token_login(hanoi.host, {"username": danang.member.username, "password": PASSWORD})
    assert wrong.status_code == other.status_code == 401
    assert wrong.json() == other.json()
    assert wrong.json()["error"] == "wrong_credentials"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED).count() == 2


def test_a_token_of_another_tenant_is_refused(hanoi, danang):
    key = Token.objects.create(user=danang.member).key
    response = Client(HTTP_HOST=hanoi.host, HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/meetings/")
    assert response.status_code == 401
    assert response.json()["error"] == "not_logged_in"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "bad_json"),
        ("", "application/json", 400, "invalid"),
        ('{"username": "x"}', "application/json", 400, "invalid"),
        ('{"username": ["x"], "password": {}}', "application/json", 400, "invalid"),
        ("username=x&password=y", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ],
)
def test_bad_input_on_the_api_gets_the_error_shape(hanoi, body, content_type, status, code):
    response = token_login(hanoi.host, body, content_type=content_type)
    assert response.status_code == status
    payload = response.json()
    assert set(payload) == {"error", "detail"}
    assert payload["error"] == code
    assert payload["detail"]


def test_api_without_login_is_401_in_the_error_shape(hanoi):
    response = hanoi.client().get("/api/v1/meetings/")
    assert response.status_code == 401
    assert response.json()["error"] == "not_logged_in"


def test_unknown_api_route_is_a_json_404(hanoi):
    response = hanoi.client(hanoi.member).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_wrong_method_is_a_json_405(hanoi):
    response = hanoi.client(hanoi.member).delete("/api/v1/meetings/")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_api_errors_speak_vietnamese_by_default_and_english_on_request(hanoi):
    vi = hanoi.client().get("/api/v1/meetings/")
    en = hanoi.client().get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="en")
    assert vi.json()["detail"] != en.json()["detail"]
    assert "Authentication credentials were not provided." in en.json()["detail"]


def test_meeting_list_runs_a_fixed_number_of_queries(hanoi, django_assert_max_num_queries):
    from ecabinet.tenancy import tenant_context
    from meetings.actions import do_add_item, do_add_participant, do_create_meeting, do_publish_meeting

    client = hanoi.client(hanoi.member)
    with django_assert_max_num_queries(6) as few:
        assert len(client.get("/api/v1/meetings/").json()) == 1
    with tenant_context(hanoi.tenant):
        for n in range(15):
            meeting = do_create_meeting(
                tenant=hanoi.tenant,
                title=f"Phiên họp {n}",
                scheduled_start=session_start(days=-20 * (n + 1)),  # past sessions
                acting_user=hanoi.secretary,
            )
            do_add_participant(meeting, user=hanoi.member, role="member", acting_user=None)
            do_add_item(meeting, title="Nội dung", acting_user=None)
            do_publish_meeting(meeting, acting_user=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/meetings/").json()
    assert len(body) == 16
    assert {m["my_role"] for m in body} == {"member"}


def test_home_page_runs_a_fixed_number_of_queries(hanoi, django_assert_max_num_queries):
    client = hanoi.client(hanoi.secretary)
    client.get("/")
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert hanoi.meeting.title in response.content.decode()


@pytest.mark.parametrize("since", ["-1", "abc", "", "1.5"])
def test_replay_with_a_bad_since_is_a_clear_400(hanoi, since):
    response = hanoi.client(hanoi.member).get(
        f"/api/v1/meetings/{hanoi.meeting.pk}/events/", {"since": since}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"
    assert "since" in response.json()["detail"]


def test_replay_pages_with_limit(in_hanoi):
    from ecabinet.realtime import publish_on_commit

    hanoi = in_hanoi
    base = hanoi.meeting.stream.last_seq
    for n in range(4):
        publish_on_commit(hanoi.meeting.stream, "test.n", {"n": n})
    client = hanoi.client(hanoi.member)
    url = f"/api/v1/meetings/{hanoi.meeting.pk}/events/"
    first = client.get(url, {"since": base, "limit": 3}).json()
    assert first["more"] is True
    assert [e["seq"] for e in first["events"]] == [base + 1, base + 2, base + 3]
    rest = client.get(url, {"since": base + 3, "limit": 3}).json()
    assert [e["data"]["n"] for e in rest["events"]] == [3]
    assert rest["more"] is False
    assert rest["last_seq"] == rest["events"][-1]["seq"]


def test_schema_and_docs_are_served_without_cdn(hanoi):
    client = hanoi.client()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/auth/token/" in paths
    assert "/api/v1/meetings/{meeting_id}/events/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html


@requires_redis
def test_healthz_reports_a_dead_channel_layer_as_503(db, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    response = Client(HTTP_HOST="hanoi.localhost").get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "channel_layer": "error"}


@requires_redis
def test_healthz_is_ok_on_the_live_redis_layer(db):
    response = Client(HTTP_HOST="hanoi.localhost").get("/healthz")
    assert response.status_code == 200
    assert response.json()["channel_layer"] == "ok"


def test_healthz_reports_a_dead_database_as_503(db, monkeypatch):
    monkeypatch.setattr("ecabinet.views._database_ok", lambda: False)
    response = Client(HTTP_HOST="hanoi.localhost").get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
