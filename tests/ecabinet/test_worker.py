"""The embedded default: the worker is a thread of the server process, and what
it publishes reaches the sockets of that process through the in-memory layer."""

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from ecabinet.worker import WorkerThread
from tests.ecabinet.background import publish_from_the_worker
from tests.ecabinet.test_socket import joined

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(
    bool(settings.REDIS_URL), reason="the worker thread is the embedded default's (no REDIS_URL)"
)
async def test_what_the_worker_thread_publishes_reaches_the_sockets(hanoi):
    member, welcome = await joined(hanoi, hanoi.member)
    worker = WorkerThread(interval=0.05)
    worker.start()
    try:
        await sync_to_async(publish_from_the_worker.enqueue)(
            hanoi.tenant.pk, hanoi.meeting.stream_id, "Tờ trình mới"
        )
        frame = await member.receive_json_from(timeout=10)
        assert frame["type"] == "test.background"
        assert frame["seq"] == welcome["data"]["last_seq"] + 1
        assert frame["data"] == {"text": "Tờ trình mới"}
    finally:
        worker.stop()
        await sync_to_async(worker.join)(timeout=5)
        await member.disconnect()
