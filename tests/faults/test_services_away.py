"""PostgreSQL and Redis go away under the running server, and come back.

The server is pointed at a TCP proxy in front of each service (tests/faults/proxy.py);
cutting the proxy is the service's machine going down, as far as the server
can tell. Expected: a readable 503 (page and API) while the database is away,
``/healthz`` naming what is down, nothing written, and everything working again
by itself once the service is back — no restart.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from meetings.models import Comment
from tests.conftest import World, requires_postgres, requires_redis
from tests.e2e.conftest import SERVER_LOGS, LiveDaphne, _free_port
from tests.faults.proxy import Proxy

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres, requires_redis]


def _get(server: LiveDaphne, world: World, path: str, **headers: str) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}")
    request.add_header("Host", f"{world.host}:{server.port}")
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def _post(server: LiveDaphne, world: World, path: str, body: dict[str, Any], token: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}", data=json.dumps(body).encode(), method="POST"
    )
    request.add_header("Host", f"{world.host}:{server.port}")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _server(name: str, **env: str) -> LiveDaphne:
    log = SERVER_LOGS / f"{name}.log"
    log.unlink(missing_ok=True)
    server = LiveDaphne(_free_port(), log)
    server.env.update(env)
    return server


def _via(url: str, proxy: Proxy) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    credentials = netloc[0] + "@" if len(netloc) == 2 else ""
    return urlunsplit(parts._replace(netloc=f"{credentials}127.0.0.1:{proxy.port}"))


def _until(check: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


def test_the_database_away_is_a_readable_503_and_it_comes_back(hanoi: World) -> None:
    token = Token.objects.create(user=hanoi.member).key
    port = urlsplit((connection.settings_dict.get("HOST") and "postgres://x:5432") or "").port or 5432
    proxy = Proxy(int(connection.settings_dict.get("PORT") or port)).start()
    server = _server("database-away", DATABASE_POOL_TIMEOUT="2")
    url = urlsplit(server.env["DATABASE_URL"])
    server.env["DATABASE_URL"] = _via(urlunsplit(url), proxy)
    server.start()
    meeting_api = f"/api/v1/meetings/{hanoi.meeting.pk}/"
    try:
        assert _get(server, hanoi, meeting_api, Authorization=f"Token {token}")[0] == 200
        proxy.cut()
        # a page: the 503 that says what happened, in Vietnamese
        status, body, headers = _get(server, hanoi, "/", **{"Accept-Language": "vi"})
        assert status == 503, body[:300]
        assert "tạm thời" in body and "Traceback" not in body
        assert headers.get("Retry-After")
        # the API: its JSON error
        status, body, _ = _get(server, hanoi, meeting_api, Authorization=f"Token {token}")
        assert status == 503, body[:500]
        assert json.loads(body)["error"] == "unavailable"
        # healthz names the database
        status, body, _ = _get(server, hanoi, "/healthz")
        assert status == 503 and json.loads(body)["database"] == "error"
        # a write while it is away is refused, and nothing of it is kept
        comments = Comment.all_tenants.count()
        path = f"/api/v1/meetings/{hanoi.meeting.pk}/comments/"
        assert _post(server, hanoi, path, {"item_id": hanoi.items[0].pk, "text": "Ý kiến"}, token) == 503
        proxy.mend()
        assert _until(lambda: _get(server, hanoi, "/healthz")[0] == 200), server.log()[-3000:]
        assert _get(server, hanoi, meeting_api, Authorization=f"Token {token}")[0] == 200
        assert Comment.all_tenants.count() == comments
    finally:
        server.stop()
        proxy.cut()


def test_redis_away_is_named_by_healthz_and_it_recovers_by_itself(hanoi: World) -> None:
    import os

    redis_url = os.environ["REDIS_URL"]
    proxy = Proxy(urlsplit(redis_url).port or 6379).start()
    server = _server("redis-away", REDIS_URL=_via(redis_url, proxy))
    server.start()
    try:
        assert _get(server, hanoi, "/healthz")[0] == 200
        proxy.cut()
        down = _until(lambda: _get(server, hanoi, "/healthz")[0] == 503, 20)
        status, body, _ = _get(server, hanoi, "/healthz")
        assert down and status == 503, body
        assert json.loads(body) == {"status": "error", "database": "ok", "channel_layer": "error"}
        proxy.mend()
        assert _until(lambda: _get(server, hanoi, "/healthz")[0] == 200), server.log()[-3000:]
    finally:
        server.stop()
        proxy.cut()


def test_the_proxy_really_cuts(tmp_path: Path) -> None:
    # the tool the tests above rely on: cut is connection refused, mend is served again
    import socket

    upstream = socket.socket()
    upstream.bind(("127.0.0.1", 0))
    upstream.listen(1)
    proxy = Proxy(upstream.getsockname()[1]).start()
    socket.create_connection(("127.0.0.1", proxy.port), timeout=2).close()
    proxy.cut()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", proxy.port), timeout=2)
    proxy.mend()
    socket.create_connection(("127.0.0.1", proxy.port), timeout=2).close()
    proxy.cut()
    upstream.close()
