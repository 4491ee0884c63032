"""The fan-out baseline: a bare asyncio ``websockets`` broadcast server.

Every socket but ``/control`` gets a ``welcome`` frame and then every frame
broadcast. A frame ``{"action": "broadcast", "seq": N, "i": I}`` on
``/control`` makes the server broadcast one event shaped like eCabinet's
(``type``, ``seq``, ``at``, ``data.sent_at``, the wall-clock time just before
the broadcast) and answer ``{"type": "ack"}``. Loopback only; it stops by
itself after ``--lifetime`` seconds, or on SIGINT/SIGTERM.

``python -m bench.baseline_ws --port PORT``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time
from datetime import UTC, datetime
from typing import Any

from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.common import FANOUT_EVENT, LOOPBACK


async def main(port: int, lifetime: float) -> None:
    clients: set[ServerConnection] = set()

    async def handler(ws: ServerConnection) -> None:
        if ws.request is not None and ws.request.path == "/control":
            async for message in ws:
                command: dict[str, Any] = json.loads(message)
                if command.get("action") == "broadcast":
                    sent_at = time.time()
                    frame = {
                        "type": FANOUT_EVENT,
                        "seq": command["seq"],
                        "at": datetime.fromtimestamp(sent_at, UTC).isoformat(),
                        "data": {"sent_at": sent_at, "i": command["i"]},
                    }
                    broadcast(clients, json.dumps(frame, ensure_ascii=False))
                    await ws.send(json.dumps({"type": "ack", "clients": len(clients)}))
            return
        clients.add(ws)
        try:
            await ws.send(json.dumps({"type": "welcome", "data": {"last_seq": 0}}))
            await ws.wait_closed()
        finally:
            clients.discard(ws)

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
    async with serve(handler, LOOPBACK, port, ping_interval=None):
        print(f"baseline websockets server on ws://{LOOPBACK}:{port}/", flush=True)
        try:
            await asyncio.wait_for(stop, timeout=lifetime)
        except TimeoutError:
            pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.baseline_ws")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lifetime", type=float, default=300.0)
    args = parser.parse_args()
    asyncio.run(main(args.port, args.lifetime))
