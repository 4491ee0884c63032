"""``fanout``: one event to C connected sockets, through the real server.

eCabinet: ``manage.py serve`` as a subprocess on a free loopback port, C
participants each on ``/ws/meetings/<id>/?token=<key>`` with the Host header
``hanoi.localhost:<port>``; each socket waits for its ``welcome``. Then K
events, one at a time: each is published through ``publish_on_commit`` and
the next goes once every socket has the previous one.

Where the events are published depends on the channel layer (``--layer``):

- ``redis``: server started with ``REDIS_URL`` (the local Redis) and
  ``--worker none``; this process, also on Redis, publishes, its send handed
  to its own running loop as in a server process. The in-memory layer does
  not cross processes, so this is how an event can come from outside the
  server at all. The layer's keys in the benchmarks' Redis database are
  flushed first.
- ``memory``: the embedded default, no ``REDIS_URL``. The server runs with its
  worker thread (``--worker thread``, as ``make demo``), and this process
  enqueues a background task (``bench.tasks``) that the worker thread runs:
  the event is published inside the server, as an action would.

The baseline, in the same run: a bare asyncio ``websockets`` server
(``bench.baseline_ws``) broadcasting the same K events to the same C clients.
The clients are ``websockets`` clients in this process, for both sides.

Each frame carries ``data.sent_at``, the wall-clock time just before the
publish (or the broadcast); a socket's latency is its arrival time minus that.
Per event, the figure is the latency of the last socket to have it. The
server's log is kept in ``var/bench-logs/`` and its tracebacks are counted.

``python -m bench.fanout --layer redis|memory --out FILE`` (run by
``python -m bench``, which sets the database and the layer in the environment).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.common import (
    BASE_DIR,
    FANOUT_EVENT,
    LOG_DIR,
    LOOPBACK,
    figure,
    free_port,
    log,
    setup_django,
    stop_process,
    summary_ms,
    wait_for_http,
    wait_for_port,
    write_json,
)

CONNECT_TIMEOUT = 60.0  # all C sockets welcomed within this, or the run fails
EVENT_TIMEOUT = 10.0  # one event reaches every socket within this, or it counts as missing
SETTLE = 0.05  # pause between events
DRAIN = 2.0  # seconds between closing the sockets and stopping the server
TASK_LINGER = 0.3  # see bench.tasks.publish_fanout_event_task
REFUSALS = {4401, 4403, 4404}  # the server's refusals: a tablet does not try again


class Fleet:
    """C websocket clients in this process's event loop."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.welcomed: list[float] = []
        self.failures: list[str] = []
        self.settled = asyncio.Event()
        self.conns: list[ClientConnection] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.latencies: dict[int, list[float]] = defaultdict(list)
        self.done: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.gaps = 0  # frames whose seq was not the previous one's plus one
        self.retries: Counter[str] = Counter()  # tries again before a welcome, by close code
        self.started = 0.0

    def _check_settled(self) -> None:
        if len(self.welcomed) + len(self.failures) >= self.size:
            self.settled.set()

    async def _client(self, uri: str, kwargs: dict[str, Any]) -> None:
        """One socket. Like the tablet (static/js/live.js), a socket closed
        before its welcome for any reason but a refusal (4401, 4403, 4404)
        tries again after 0.5 s, doubling up to 10 s; each try is counted."""
        backoff = 0.5
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            welcomed = False
            try:
                async with connect(
                    uri, open_timeout=CONNECT_TIMEOUT, ping_interval=None, close_timeout=2, **kwargs
                ) as ws:
                    first = json.loads(await asyncio.wait_for(ws.recv(), CONNECT_TIMEOUT))
                    if first.get("type") != "welcome":
                        raise RuntimeError(f"first frame was {first!r}, not a welcome")
                    welcomed = True
                    self.welcomed.append(time.time() - self.started)
                    self.conns.append(ws)
                    self._check_settled()
                    await self._receive(ws)
                return
            except Exception as exc:
                if welcomed:
                    return  # closed after its welcome: what it missed counts as missing
                code = exc.rcvd.code if isinstance(exc, ConnectionClosed) and exc.rcvd else None
                reason = f"{type(exc).__name__}: {exc}"
                if code in REFUSALS or time.monotonic() + backoff > deadline:
                    self.failures.append(reason)
                    self._check_settled()
                    return
                self.retries[str(code) if code else type(exc).__name__] += 1
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    async def _receive(self, ws: ClientConnection) -> None:
        last_seq: int | None = None
        async for message in ws:
            arrived = time.time()
            frame = json.loads(message)
            if frame.get("type") != FANOUT_EVENT:
                continue
            seq = frame["seq"]
            if last_seq is not None and seq != last_seq + 1:
                self.gaps += 1
            last_seq = seq
            i = frame["data"]["i"]
            self.latencies[i].append(arrived - frame["data"]["sent_at"])
            if len(self.latencies[i]) >= len(self.welcomed):
                self.done[i].set()

    async def connect_all(self, uri_for: Callable[[int], str], kwargs: dict[str, Any]) -> float:
        """Open every socket at once; seconds until the last one is welcomed."""
        self.started = time.time()
        self.tasks = [asyncio.create_task(self._client(uri_for(i), kwargs)) for i in range(self.size)]
        await asyncio.wait_for(self.settled.wait(), CONNECT_TIMEOUT + 5)
        if self.failures:
            raise RuntimeError(
                f"{len(self.failures)} of {self.size} sockets failed to connect; first: {self.failures[0]}"
            )
        return max(self.welcomed)

    async def deliver(self, i: int, trigger: Callable[[int], Awaitable[Any]]) -> tuple[float, int]:
        """Trigger event ``i``; the last socket's latency, and how many never had it."""
        await trigger(i)
        try:
            await asyncio.wait_for(self.done[i].wait(), EVENT_TIMEOUT)
        except TimeoutError:
            pass
        got = self.latencies[i]
        return (max(got) if got else EVENT_TIMEOUT), len(self.welcomed) - len(got)

    async def close(self) -> None:
        await asyncio.gather(*(ws.close() for ws in self.conns), return_exceptions=True)
        await asyncio.wait(self.tasks, timeout=10)
        for task in self.tasks:
            task.cancel()


async def measure(
    label: str,
    uri_for: Callable[[int], str],
    kwargs: dict[str, Any],
    clients: int,
    events: int,
    trigger: Callable[[int], Awaitable[Any]],
) -> dict[str, Any]:
    fleet = Fleet(clients)
    try:
        connect_s = await fleet.connect_all(uri_for, kwargs)
        retried = sum(fleet.retries.values())
        log(
            f"{label}: {clients} sockets welcomed in {connect_s * 1000:.0f} ms"
            + (f", {retried} of them after trying again" if retried else "")
        )
        last: list[float] = []
        missing = 0
        for i in range(events):
            latency, lost = await fleet.deliver(i, trigger)
            last.append(latency)
            missing += lost
            await asyncio.sleep(SETTLE)
        deliveries = [value for i in range(events) for value in fleet.latencies[i]]
        return {
            "clients": clients,
            "events": events,
            "connect_all_ms": round(connect_s * 1000, 3),
            "connect_per_socket_ms": summary_ms(fleet.welcomed),
            "last_socket_ms": summary_ms(last),
            "every_delivery_ms": summary_ms(deliveries),
            "missing_deliveries": missing,
            "seq_gaps": fleet.gaps,
            "connect_retries": dict(fleet.retries),
        }
    finally:
        await fleet.close()


async def run_baseline(clients: int, events: int) -> dict[str, Any]:
    port = free_port()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    with (LOG_DIR / "fanout-baseline.log").open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "bench.baseline_ws", "--port", str(port)],
            cwd=BASE_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(port, timeout=20, proc=proc)
            async with connect(f"ws://{LOOPBACK}:{port}/control", ping_interval=None) as control:

                async def trigger(i: int) -> None:
                    await control.send(json.dumps({"action": "broadcast", "seq": i + 1, "i": i}))
                    await control.recv()

                uri = f"ws://{LOOPBACK}:{port}/"
                return await measure("baseline", lambda i: uri, {}, clients, events, trigger)
        finally:
            stop_process(proc)


async def run_project(layer: str, clients: int, events: int) -> dict[str, Any]:
    from channels.layers import get_channel_layer
    from django.db import close_old_connections, connection

    from bench.tasks import publish_fanout_event, publish_fanout_event_task
    from bench.world import bench_world
    from ecabinet.realtime import remember_server_loop

    if layer == "redis":
        # The benchmarks' Redis database is their own: start with no group
        # members left over from an earlier run's server. (Before anything
        # here has used the layer, so that no pool of another loop is open.)
        await get_channel_layer().flush()
    world = await asyncio.to_thread(bench_world, f"fanout ({layer})", members=clients)
    stream = world.meeting.stream
    port = free_port()
    worker = "none" if layer == "redis" else "thread"
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"fanout-{layer}-{connection.vendor}-server.log"
    with log_path.open("wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
            [
                sys.executable,
                "manage.py",
                "serve",
                "--worker",
                worker,
                "--host",
                LOOPBACK,
                "--port",
                str(port),
            ],
            cwd=BASE_DIR,
            env=os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            await asyncio.to_thread(wait_for_http, f"http://{LOOPBACK}:{port}/healthz", timeout=60, proc=proc)
            if worker == "thread":
                # Background work that making the meeting queued (the
                # invitations) runs before the measurement, not during it.
                await asyncio.to_thread(wait_for_idle_queue, timeout=30)

            def publish(i: int) -> None:
                try:
                    publish_fanout_event(stream, i)
                finally:
                    close_old_connections()

            def enqueue(i: int) -> None:
                try:
                    publish_fanout_event_task.enqueue(world.tenant.pk, world.meeting.pk, i, TASK_LINGER)
                finally:
                    close_old_connections()

            action = publish if layer == "redis" else enqueue
            if layer == "redis":
                # Publish as a server process does: the send after commit is
                # handed to this process's running loop (here the clients'),
                # not run through async_to_sync with a new Redis connection.
                remember_server_loop(asyncio.get_running_loop())

            async def trigger(i: int) -> None:
                await asyncio.to_thread(action, i)

            base = f"ws://{world.host}:{port}/ws/meetings/{world.meeting.pk}/?token="
            tokens = world.tokens
            # The Host header names the tenant; the TCP connection goes to loopback.
            result = await measure(
                f"eCabinet ({layer})",
                lambda i: base + tokens[i],
                {"host": LOOPBACK, "port": port},
                clients,
                events,
                trigger,
            )
            # Let the server run its consumers' disconnects (and leave their groups).
            await asyncio.sleep(DRAIN)
        finally:
            code = stop_process(proc)
            if code not in (0, -2, None):
                log(f"the server exited with {code}; its log: {log_path}")
    result["server_errors"] = server_errors(log_path)
    if result["server_errors"]["count"]:
        log(f"the server logged {result['server_errors']['count']} errors; its log: {log_path}")
    return result


def wait_for_idle_queue(*, timeout: float) -> None:
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    try:
        while DBTaskResult.objects.ready().exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        close_old_connections()


def server_errors(log_path: Path) -> dict[str, Any]:
    """The tracebacks a server logged, counted by their last line."""
    lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    kinds: Counter[str] = Counter()
    in_traceback = False
    for line in lines:
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and line and not line.startswith((" ", "During handling", "The above")):
            kinds[line.strip()[:200]] += 1
            in_traceback = False
    shown = log_path.relative_to(BASE_DIR) if log_path.is_relative_to(BASE_DIR) else log_path
    return {"count": sum(kinds.values()), "kinds": dict(kinds.most_common(5)), "log": str(shown)}


def _exit_on_signal(signum: int, frame: Any) -> None:
    # Stopped from outside: unwind, so that the servers started here are stopped.
    raise SystemExit(f"stopped by signal {signum}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout")
    parser.add_argument("--layer", choices=["redis", "memory"], required=True)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.layer == "redis" and not os.environ.get("REDIS_URL"):
        parser.error("--layer redis needs REDIS_URL")
    if args.layer == "memory" and os.environ.get("REDIS_URL"):
        parser.error("--layer memory needs REDIS_URL unset")
    signal.signal(signal.SIGTERM, _exit_on_signal)
    setup_django()

    async def both() -> dict[str, Any]:
        baseline = await run_baseline(args.clients, args.events)
        project = await run_project(args.layer, args.clients, args.events)
        return {"project": project, "baseline": baseline}

    result = asyncio.run(both())
    write_json(Path(args.out), summarise(args.layer, result))


def summarise(layer: str, result: dict[str, Any]) -> dict[str, Any]:
    project, baseline = result["project"], result["baseline"]
    return {
        "layer": layer,
        **result,
        "figures": [
            figure(
                "connect all sockets", "ms", project["connect_all_ms"], baseline["connect_all_ms"], "lower"
            ),
            figure(
                "last socket has it, p50",
                "ms",
                project["last_socket_ms"]["p50"],
                baseline["last_socket_ms"]["p50"],
                "lower",
            ),
            figure(
                "last socket has it, p99",
                "ms",
                project["last_socket_ms"]["p99"],
                baseline["last_socket_ms"]["p99"],
                "lower",
            ),
            figure(
                "last socket has it, max",
                "ms",
                project["last_socket_ms"]["max"],
                baseline["last_socket_ms"]["max"],
                "lower",
            ),
            figure(
                "every delivery, p50",
                "ms",
                project["every_delivery_ms"]["p50"],
                baseline["every_delivery_ms"]["p50"],
                "lower",
            ),
        ],
    }


if __name__ == "__main__":
    main()
