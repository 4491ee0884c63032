"""``publish``: the cost of the choke point against a plain insert.

The project: ``publish_on_commit`` on a meeting's stream, one event per
transaction: the counter ``UPDATE``, its read-back, the ``Event`` insert and,
after commit, the send to the channel layer. The baseline: the same ``Event``
rows with a precomputed ``seq`` and no counter, a plain
``Event.objects.create`` in its own transaction, on another stream of the
same database.

The headline publishes as the server does (views, socket actions and the
embedded worker thread all run beside a running server loop, so the send is
handed to that loop); here a loop thread registered with
``remember_server_loop`` stands in for Daphne's. Two diagnostic variants
say where the time goes: the same call from a process with no server loop
(``manage.py db_worker`` beside Redis: ``async_to_sync`` for every send), and
the database part alone (the send replaced by nothing).

All variants and the baseline run in interleaved blocks, their order rotating
from block to block, so that drift of this shared machine falls on all alike.
Run by ``python -m bench`` in a process of its own, whose database and layer
come from the environment: ``python -m bench.publish --out FILE``.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import figure, log, setup_django, summary_ms, write_json

EVENT_TYPE = "bench.published"


def payload(i: int) -> dict[str, Any]:
    # About the size of a real event (a participant added, an item opened).
    return {
        "item_id": 1000 + i,
        "title": "Tờ trình về kế hoạch đầu tư công trung hạn giai đoạn 2026–2030",
        "by": "Sở Kế hoạch và Đầu tư",
        "status": "open",
    }


class ServerLoop:
    """An event loop running in a thread, registered as the server's loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        from ecabinet.realtime import remember_server_loop

        self.thread = threading.Thread(target=self.loop.run_forever, name="bench-server-loop", daemon=True)
        self.thread.start()
        while not self.loop.is_running():
            time.sleep(0.001)
        remember_server_loop(self.loop)

    def stop(self) -> None:
        # A loop that is not running is ignored by send_to_group: sends then
        # go through async_to_sync, as in a process without a server.
        if self.thread is not None:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)
            self.thread = None


def run(n: int, rounds: int, warmup: int, time_limit: float) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    import ecabinet.realtime
    from bench.world import bench_world
    from ecabinet.models import Event, EventStream
    from ecabinet.realtime import publish_on_commit
    from ecabinet.tenancy import tenant_context

    world = bench_world("publish")
    stream = world.meeting.stream
    baseline_stream = EventStream.objects.create()
    baseline_seq = 0
    server_loop = ServerLoop()
    real_send = ecabinet.realtime.send_to_group

    def publish(i: int) -> None:
        with transaction.atomic():
            publish_on_commit(stream, EVENT_TYPE, payload(i))

    def insert(i: int) -> None:
        nonlocal baseline_seq
        baseline_seq += 1
        with transaction.atomic():
            Event.objects.create(
                stream=baseline_stream, seq=baseline_seq, type=EVENT_TYPE, at=timezone.now(), data=payload(i)
            )

    def in_server() -> None:
        ecabinet.realtime.send_to_group = real_send
        server_loop.start()

    def no_server() -> None:
        ecabinet.realtime.send_to_group = real_send
        server_loop.stop()

    def no_send() -> None:
        ecabinet.realtime.send_to_group = lambda *args, **kwargs: None
        server_loop.stop()

    # name -> (prepare, operation)
    variants: dict[str, tuple[Callable[[], None], Callable[[int], None]]] = {
        "project": (in_server, publish),
        "project_no_server_loop": (no_server, publish),
        "project_no_send": (no_send, publish),
        "baseline": (no_send, insert),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    walls = dict.fromkeys(variants, 0.0)

    def block(name: str, start: int, count: int, record: bool) -> None:
        prepare, op = variants[name]
        prepare()
        began = time.perf_counter()
        for i in range(start, start + count):
            t0 = time.perf_counter()
            op(i)
            if record:
                times[name].append(time.perf_counter() - t0)
        if record:
            walls[name] += time.perf_counter() - began

    names = list(variants)
    with tenant_context(world.tenant):
        first_seq = EventStream.objects.get(pk=stream.pk).last_seq + 1
        for name in names:  # warm-up: connections, statement caches, the layer
            block(name, 0, warmup, record=False)
        per_block = max(1, n // rounds)
        done = 0
        truncated = False
        deadline = time.monotonic() + time_limit
        for r in range(rounds):
            count = per_block if r < rounds - 1 else n - done
            for name in names[r % len(names) :] + names[: r % len(names)]:
                block(name, warmup + done, count, record=True)
            done += count
            if done < n and time.monotonic() > deadline:
                truncated = True
                log(f"time limit of {time_limit:.0f} s reached after {done} of {n} events")
                break
        ecabinet.realtime.send_to_group = real_send
        server_loop.stop()

        # The choke point's promise: numbers without a gap.
        last_seq = EventStream.objects.get(pk=stream.pk).last_seq
        seqs = list(
            Event.objects.filter(stream=stream, seq__gte=first_seq)
            .order_by("seq")
            .values_list("seq", flat=True)
        )
        gap_free = seqs == list(range(first_seq, last_seq + 1))

    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    ms = {name: summary_ms(values) for name, values in times.items()}
    rate = {name: done / walls[name] for name in names}
    base = ms["baseline"]
    return {
        "events": done,
        "warmup_events": warmup,
        "rounds": rounds,
        "truncated": truncated,
        "gap_free": gap_free,
        "database": {"vendor": connection.vendor, "version": _db_version(connection)},
        "channel_layer": type(layer).__name__ if layer is not None else None,
        "wall_s": {name: round(value, 3) for name, value in walls.items()},
        "per_event_ms": ms,
        "figures": [
            figure("throughput", "events/s", rate["project"], rate["baseline"], "higher"),
            figure("per event, mean", "ms", ms["project"]["mean"], base["mean"], "lower"),
            figure("per event, p50", "ms", ms["project"]["p50"], base["p50"], "lower"),
            figure("per event, p99", "ms", ms["project"]["p99"], base["p99"], "lower"),
            figure(
                "per event, mean, no server loop (async_to_sync send)",
                "ms",
                ms["project_no_server_loop"]["mean"],
                base["mean"],
                "lower",
            ),
            figure(
                "per event, mean, database part only (no send)",
                "ms",
                ms["project_no_send"]["mean"],
                base["mean"],
                "lower",
            ),
        ],
    }


def _db_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return str(cursor.fetchone()[0]).split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.publish")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=90.0)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    setup_django()
    result = run(args.events, args.rounds, args.warmup, args.time_limit)
    write_json(Path(args.out), result)


if __name__ == "__main__":
    main()
