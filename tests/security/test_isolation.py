"""Another tenant, another meeting, another role: 404/403/401 everywhere.

One matrix per surface (page, API); the socket's refusals are in
tests/ecabinet/test_socket.py.
"""

import pytest
from rest_framework.authtoken.models import Token

from ecabinet.models import AuditEvent

PARTICIPANTS = ["chair", "vice_chair", "member", "guest", "observer"]


def page(world, meeting):
    return f"/meetings/{meeting.pk}/"


def events(world, meeting):
    return f"/api/v1/meetings/{meeting.pk}/events/?since=0"


@pytest.mark.parametrize("who", [*PARTICIPANTS, "secretary"])
def test_participants_and_the_secretariat_see_the_meeting(hanoi, who):
    user = getattr(hanoi, who)
    client = hanoi.client(user)
    assert client.get(page(hanoi, hanoi.meeting)).status_code == 200
    assert client.get(events(hanoi, hanoi.meeting)).status_code == 200


@pytest.mark.parametrize("url", [page, events])
def test_a_colleague_outside_the_meeting_gets_404_and_is_audited(hanoi, url):
    response = hanoi.client(hanoi.other_member).get(url(hanoi, hanoi.meeting))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PERMISSION_REFUSED, user=hanoi.other_member
    ).exists()


@pytest.mark.parametrize("who", [*PARTICIPANTS, "secretary", "other_member"])
@pytest.mark.parametrize("url", [page, events])
def test_every_user_gets_404_for_a_meeting_of_another_tenant(hanoi, danang, who, url):
    response = hanoi.client(getattr(hanoi, who)).get(url(danang, danang.meeting))
    assert response.status_code == 404


def test_a_missing_meeting_and_a_forbidden_one_look_the_same(hanoi, danang):
    client = hanoi.client(hanoi.member)
    missing = client.get("/api/v1/meetings/999999/events/?since=0")
    foreign = client.get(events(danang, danang.meeting))
    assert missing.status_code == foreign.status_code == 404
    assert missing.json() == foreign.json()


def test_another_tenants_session_is_sent_to_login_on_pages(hanoi, danang):
    response = hanoi.client(danang.chair).get(page(hanoi, hanoi.meeting))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_tenants_token_is_refused_on_the_api(hanoi, danang):
    key = Token.objects.create(user=danang.chair).key
    client = hanoi.client()
    response = client.get(events(hanoi, hanoi.meeting), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_the_same_users_own_host_still_works_with_its_token(hanoi, danang):
    key = Token.objects.create(user=danang.chair).key
    response = danang.client().get(events(danang, danang.meeting), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_anonymous_gets_login_on_pages_and_401_on_the_api(hanoi):
    client = hanoi.client()
    assert client.get(page(hanoi, hanoi.meeting)).status_code == 302
    assert client.get(events(hanoi, hanoi.meeting)).status_code == 401


def test_national_admin_takes_no_part_in_a_tenants_meetings(hanoi, national_admin):
    client = hanoi.client(national_admin)
    assert client.get(page(hanoi, hanoi.meeting)).status_code == 404
    assert client.get(events(hanoi, hanoi.meeting)).status_code == 404


def test_list_shows_only_own_meetings(hanoi, danang):
    titles = {m["title"] for m in hanoi.client(hanoi.member).get("/api/v1/meetings/").json()}
    assert titles == {hanoi.meeting.title}
    assert hanoi.client(hanoi.other_member).get("/api/v1/meetings/").json() == []
    secretariat = {m["title"] for m in hanoi.client(hanoi.secretary).get("/api/v1/meetings/").json()}
    assert secretariat == {hanoi.meeting.title}
