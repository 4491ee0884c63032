"""The one consumer, through channels.testing: refusals, frames, fan-out, replay."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from ecabinet.asgi import application
from ecabinet.models import EventStream
from ecabinet.realtime import publish_on_commit
from ecabinet.tenancy import tenant_context

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def session_cookie(world, user) -> bytes:
    client = Client(HTTP_HOST=world.host)
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def open_socket(host: str, meeting_id: int, *, cookie: bytes | None = None, query: str = ""):
    headers = [(b"host", host.encode())]
    if cookie:
        headers.append((b"cookie", cookie))
    path = f"/ws/meetings/{meeting_id}/" + (f"?{query}" if query else "")
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def closed_with(communicator) -> int:
    message = await communicator.receive_output(timeout=3)
    await communicator.wait()
    assert message["type"] == "websocket.close"
    return message["code"]


async def joined(world, user):
    cookie = await sync_to_async(session_cookie)(world, user)
    communicator = await open_socket(world.host, world.meeting.pk, cookie=cookie)
    welcome = await communicator.receive_json_from(timeout=3)
    assert welcome["type"] == "welcome"
    return communicator, welcome


async def test_socket_without_a_session_is_closed_4401(hanoi):
    communicator = await open_socket(hanoi.host, hanoi.meeting.pk)
    assert await closed_with(communicator) == 4401


async def test_socket_with_another_tenants_session_is_closed_4401(hanoi, danang):
    cookie = await sync_to_async(session_cookie)(danang, danang.chair)
    communicator = await open_socket(hanoi.host, hanoi.meeting.pk, cookie=cookie)
    assert await closed_with(communicator) == 4401


async def test_socket_for_a_meeting_of_another_tenant_is_closed_4404(hanoi, danang):
    cookie = await sync_to_async(session_cookie)(hanoi, hanoi.chair)
    communicator = await open_socket(hanoi.host, danang.meeting.pk, cookie=cookie)
    assert await closed_with(communicator) == 4404


async def test_socket_for_a_meeting_the_user_is_not_in_is_closed_4404(hanoi):
    cookie = await sync_to_async(session_cookie)(hanoi, hanoi.other_member)
    communicator = await open_socket(hanoi.host, hanoi.meeting.pk, cookie=cookie)
    assert await closed_with(communicator) == 4404


async def test_socket_on_an_unknown_host_is_closed_4404(hanoi):
    communicator = await open_socket("haiphong.localhost", hanoi.meeting.pk)
    assert await closed_with(communicator) == 4404


async def test_national_admin_socket_is_closed_4403(hanoi, national_admin):
    cookie = await sync_to_async(session_cookie)(hanoi, national_admin)
    communicator = await open_socket(hanoi.host, hanoi.meeting.pk, cookie=cookie)
    assert await closed_with(communicator) == 4403


async def test_socket_from_another_sites_page_is_refused(hanoi):
    cookie = await sync_to_async(session_cookie)(hanoi, hanoi.chair)
    communicator = WebsocketCommunicator(
        application,
        f"/ws/meetings/{hanoi.meeting.pk}/",
        headers=[(b"host", b"hanoi.localhost"), (b"cookie", cookie), (b"origin", b"http://evil.example")],
    )
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4403


async def test_participant_is_welcomed_with_the_last_seq(hanoi):
    communicator, welcome = await joined(hanoi, hanoi.member)
    last = await sync_to_async(lambda: EventStream.objects.get(pk=hanoi.meeting.stream_id).last_seq)()
    assert welcome["data"] == {"last_seq": last}
    await communicator.disconnect()


async def test_token_in_the_query_authenticates_the_socket(hanoi):
    from rest_framework.authtoken.models import Token

    token = await sync_to_async(lambda: Token.objects.create(user=hanoi.guest).key)()
    communicator = await open_socket(hanoi.host, hanoi.meeting.pk, query=f"token={token}")
    assert (await communicator.receive_json_from(timeout=3))["type"] == "welcome"
    await communicator.disconnect()
    bad = await open_socket(hanoi.host, hanoi.meeting.pk, query="token=nonsense")
    assert await closed_with(bad) == 4401


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        ('{"data": {}}', "bad_frame"),
        ('{"action": "ping", "data": [1]}', "bad_frame"),
        ('{"action": "no.such.thing", "ref": "r1"}', "unknown_action"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_socket_stays(hanoi, frame, code):
    communicator, _ = await joined(hanoi, hanoi.member)
    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from(timeout=3)
    assert error["type"] == "error"
    assert error["error"] == code
    assert error["detail"]
    assert set(error) == {"type", "ref", "error", "detail"}
    # the socket is still open and answers
    await communicator.send_json_to({"action": "ping", "ref": "after"})
    ack = await communicator.receive_json_from(timeout=3)
    assert ack["type"] == "ack"
    assert ack["ref"] == "after"
    await communicator.disconnect()


async def test_binary_and_oversized_frames_are_refused_politely(hanoi):
    communicator, _ = await joined(hanoi, hanoi.member)
    await communicator.send_to(bytes_data=b"\x00\x01")
    assert (await communicator.receive_json_from(timeout=3))["error"] == "bad_frame"
    await communicator.send_to(text_data=json.dumps({"action": "ping", "data": {"x": "a" * 70000}}))
    assert (await communicator.receive_json_from(timeout=3))["error"] == "too_large"
    await communicator.disconnect()


async def test_an_event_reaches_every_socket_of_the_meeting_with_the_next_seq(hanoi):
    chair, welcome = await joined(hanoi, hanoi.chair)
    member, _ = await joined(hanoi, hanoi.member)

    def publish():
        with tenant_context(hanoi.tenant):
            return publish_on_commit(
                EventStream.objects.get(pk=hanoi.meeting.stream_id), "test.changed", {"text": "Mục 2"}
            ).seq

    seq = await sync_to_async(publish)()
    assert seq == welcome["data"]["last_seq"] + 1
    for communicator in (chair, member):
        frame = await communicator.receive_json_from(timeout=3)
        assert frame["type"] == "test.changed"
        assert frame["seq"] == seq
        assert frame["data"] == {"text": "Mục 2"}
        assert "at" in frame
        await communicator.disconnect()


async def test_a_client_that_dropped_replays_what_it_missed(hanoi):
    member, welcome = await joined(hanoi, hanoi.member)
    last_seen = welcome["data"]["last_seq"]
    await member.disconnect()

    def publish_three():
        with tenant_context(hanoi.tenant):
            stream = EventStream.objects.get(pk=hanoi.meeting.stream_id)
            for n in range(3):
                publish_on_commit(stream, "test.missed", {"n": n})

    await sync_to_async(publish_three)()
    member, welcome = await joined(hanoi, hanoi.member)
    assert welcome["data"]["last_seq"] == last_seen + 3

    def replay():
        client = Client(HTTP_HOST=hanoi.host)
        client.force_login(hanoi.member)
        return client.get(f"/api/v1/meetings/{hanoi.meeting.pk}/events/", {"since": last_seen}).json()

    body = await sync_to_async(replay)()
    assert [e["seq"] for e in body["events"]] == [last_seen + 1, last_seen + 2, last_seen + 3]
    assert [e["data"]["n"] for e in body["events"]] == [0, 1, 2]
    assert body["last_seq"] == last_seen + 3
    await member.disconnect()
