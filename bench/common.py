"""Helpers shared by the benchmarks; nothing here imports Django."""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
LOG_DIR = VAR_DIR / "bench-logs"
RESULTS_DIR = Path(__file__).resolve().parent / "results"

# Every address a benchmark talks to is on this machine.
LOOPBACK = "127.0.0.1"

# The type of the events the fan-out benchmark sends, on both sides.
FANOUT_EVENT = "bench.fanout"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear between the closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    """Mean, p50, p99 and max of durations given in seconds, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    if not ms:
        return {"n": 0, "mean": math.nan, "p50": math.nan, "p99": math.nan, "max": math.nan}
    return {
        "n": len(ms),
        "mean": round(sum(ms) / len(ms), 3),
        "p50": round(percentile(ms, 50), 3),
        "p99": round(percentile(ms, 99), 3),
        "max": round(max(ms), 3),
    }


def figure(name: str, unit: str, project: float, baseline: float, better: str) -> dict[str, Any]:
    """One figure: the project's value, the baseline's, and project ÷ baseline."""
    ratio = project / baseline if baseline else math.nan
    return {
        "name": name,
        "unit": unit,
        "project": round(project, 3),
        "baseline": round(baseline, 3),
        "ratio": round(ratio, 3),
        "better": better,  # "lower" or "higher"
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, *, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll ``url`` (on loopback) until it answers 200; bounded by ``timeout``."""
    assert url.startswith(f"http://{LOOPBACK}:"), url
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except Exception as exc:
            last = exc
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f} s (last error: {last})")


def wait_for_port(port: int, *, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before it was ready")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listened on {LOOPBACK}:{port} within {timeout:.0f} s")


def stop_process(
    proc: subprocess.Popen[bytes], *, signals: tuple[tuple[int, float], ...] | None = None
) -> int | None:
    """Stop a process this benchmark started, by its id: by default SIGINT
    (a clean stop), then SIGTERM, then SIGKILL, each given a while."""
    import signal

    if proc.poll() is not None:
        return proc.returncode
    steps = signals or ((signal.SIGINT, 10.0), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0))
    for sig, wait in steps:
        proc.send_signal(sig)
        try:
            return proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    return None


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON, atomically (a ``.tmp`` file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecabinet.settings")
    import django

    django.setup()


def log(message: str) -> None:
    print(f"  · {message}", flush=True)
