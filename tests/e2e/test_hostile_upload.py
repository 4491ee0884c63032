"""The issue's PDF bomb sent to the real server: refused, and the server stays itself.

No browser here: the upload goes through the API as a script would send it,
while another client keeps asking the server whether it is alive.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from ecabinet.models import AuditEvent
from tests.conftest import World
from tests.documents.hostile import flate_bomb
from tests.e2e.conftest import LiveDaphne
from tests.e2e.test_papers import _multipart

pytestmark = pytest.mark.django_db(transaction=True)


def _request(server: LiveDaphne, world: World, path: str, **kwargs: Any) -> urllib.request.Request:
    """A request to the server on loopback, for the world's tenant by its Host header."""
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", **kwargs)  # noqa: S310 - http, loopback
    request.add_header("Host", f"{world.host}:{server.port}")
    return request


def _peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc")


def test_the_bomb_is_refused_while_the_server_keeps_answering(hanoi: World, live_daphne: LiveDaphne) -> None:
    key = Token.objects.create(user=hanoi.secretary).key
    body, content_type = _multipart({"title": "Tờ trình", "kind": "submission"}, "bom.pdf", flate_bomb())
    assert live_daphne.process is not None
    pid = live_daphne.process.pid
    peak_before = _peak_rss_kb(pid)
    outcome: dict[str, Any] = {}

    def upload() -> None:
        request = _request(
            live_daphne,
            hanoi,
            f"/api/v1/meetings/{hanoi.meeting.pk}/papers/",
            data=body,
            headers={"Authorization": f"Token {key}", "Content-Type": content_type, "Accept-Language": "vi"},
            method="POST",
        )
        outcome["started"] = time.monotonic()
        try:
            urllib.request.urlopen(request, timeout=120)  # noqa: S310 - made by _request
            outcome["status"] = 201
        except urllib.error.HTTPError as exc:
            outcome["status"], outcome["body"] = exc.code, json.loads(exc.read())
        outcome["ended"] = time.monotonic()

    answers: list[tuple[float, float, int]] = []
    sender = threading.Thread(target=upload)
    sender.start()
    while sender.is_alive():
        asked = time.monotonic()
        with urllib.request.urlopen(_request(live_daphne, hanoi, "/healthz"), timeout=30) as response:  # noqa: S310
            answers.append((asked, time.monotonic(), response.status))
    sender.join()

    assert outcome["status"] == 400, outcome
    assert outcome["body"]["error"] == "paper_refused"
    assert "xuất lại" in outcome["body"]["detail"].lower()
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PAPER_UPLOAD_REFUSED, detail__reason="stream_too_large"
    ).exists()
    # asked and answered while the bomb was being checked: the server was not stuck in it
    during = [a for a in answers if a[0] >= outcome["started"] and a[1] <= outcome["ended"]]
    assert during and all(status == 200 for _, _, status in answers), answers
    # the bomb was opened by the sandbox's child, never by the server: its peak memory did not move
    assert _peak_rss_kb(pid) - peak_before < 100 * 1024
