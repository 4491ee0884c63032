"""``python -m bench`` (``make bench``): every benchmark, each beside its baseline.

Each benchmark runs in a child process of its own, with its database and
channel layer in the environment (settings are read once per process). This
process prepares the databases, runs the children, prints one table with
every figure, its baseline and the ratio, and writes
``bench/results/latest.json``.

Databases: the embedded SQLite in its own file ``var/bench.sqlite3`` (made
afresh each run; the demo database is never touched), and PostgreSQL when
``DATABASE_URL`` is set or ``--database postgres`` asks for it, in a database
of its own (``ecabinet_bench`` on that server, dropped and made afresh each
run). Redis: database 14 of the local Redis
(``--redis-url``, never database 0), so the demo's and the tests' keys are
never touched; its channel-layer keys are flushed before each fan-out run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.common import BASE_DIR, LOG_DIR, RESULTS_DIR, VAR_DIR, stop_process, write_json

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/ecabinet_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
SQLITE_PATH = VAR_DIR / "bench.sqlite3"
CHILD_TIMEOUT = 240  # seconds, for any one benchmark process

PACKAGES = [
    "Django",
    "channels",
    "channels-redis",
    "daphne",
    "Twisted",
    "redis",
    "psycopg",
    "django-tasks",
    "django-tasks-db",
    "websockets",
    "pikepdf",
    "reportlab",
]


@dataclass
class Database:
    name: str  # "sqlite" or "postgres"
    url: str  # a file path for SQLite

    def env(self) -> dict[str, str]:
        if self.name == "sqlite":
            return {"ECABINET_SQLITE_PATH": self.url}
        return {"DATABASE_URL": self.url}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="eCabinet benchmarks, each beside its baseline; writes bench/results/latest.json.",
    )
    parser.add_argument(
        "--database",
        default=None,
        help="comma-separated: sqlite, postgres (default: sqlite, plus postgres when DATABASE_URL is set)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="PostgreSQL database for the benchmarks; its name must contain 'bench' because it is dropped "
        "(default: BENCH_DATABASE_URL, else the DATABASE_URL server with database ecabinet_bench, "
        f"else {DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        help=f"Redis for the Redis channel layer (default: BENCH_REDIS_URL, else {DEFAULT_REDIS_URL})",
    )
    parser.add_argument(
        "--only",
        default="publish,fanout,stamping,minutes",
        help="comma-separated: publish, fanout, stamping, minutes",
    )
    parser.add_argument("-n", "--events", type=int, default=2000, help="publish: events per variant (2000)")
    parser.add_argument("-c", "--clients", type=int, default=200, help="fanout: connected sockets (200)")
    parser.add_argument("-k", "--fanout-events", type=int, default=20, help="fanout: events sent (20)")
    parser.add_argument(
        "--layers",
        default="redis,memory",
        help="fanout: comma-separated channel layers, redis and/or memory (default: both)",
    )
    parser.add_argument("--stamp-rounds", type=int, default=15, help="stamping: rounds of each variant (15)")
    parser.add_argument("--minutes-rounds", type=int, default=3, help="minutes: rounds of each variant (3)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: n=200, c=20, k=5, 5 stamping rounds, 1 minutes round",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "latest.json")
    args = parser.parse_args()
    if args.quick:
        args.events, args.clients, args.fanout_events = 200, 20, 5
        args.stamp_rounds = 5
        args.minutes_rounds = 1
    for name, value, top in [
        ("--events", args.events, 100_000),
        ("--clients", args.clients, 5_000),
        ("--fanout-events", args.fanout_events, 1_000),
        ("--stamp-rounds", args.stamp_rounds, 200),
        ("--minutes-rounds", args.minutes_rounds, 50),
    ]:
        if not 1 <= value <= top:
            parser.error(f"{name} must be between 1 and {top}")
    return args


def split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def postgres_url(args: argparse.Namespace) -> str:
    if args.postgres_url:
        return str(args.postgres_url)
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql://")):
        # The same server and credentials, a database of the benchmarks' own.
        return urlunsplit(urlsplit(configured)._replace(path="/ecabinet_bench"))
    return DEFAULT_POSTGRES_URL


def databases(args: argparse.Namespace) -> list[Database]:
    names = split(args.database) if args.database else ["sqlite"]
    if args.database is None and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        names.append("postgres")
    result = []
    for name in names:
        if name == "sqlite":
            result.append(Database("sqlite", str(SQLITE_PATH)))
        elif name in {"postgres", "postgresql"}:
            result.append(Database("postgres", postgres_url(args)))
        else:
            sys.exit(f"Unknown database {name!r}: use sqlite and/or postgres.")
    return result


def base_env() -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "ECABINET_SQLITE_PATH", "ECABINET_WORKER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ecabinet.settings",
        # Measured as production runs it: no debug (no query log), quiet logs.
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *command: str) -> None:
    done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", *command],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def prepare(db: Database) -> None:
    env = {**base_env(), **db.env()}
    if db.name == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(db.url + suffix).unlink(missing_ok=True)
        manage(env, "migrate", "--noinput")
        return
    name = urlsplit(db.url).path.lstrip("/")
    if "bench" not in name:
        sys.exit(
            f"The PostgreSQL database for the benchmarks is dropped and made afresh each run, so its "
            f"name must contain 'bench'; {name!r} does not. Set --postgres-url or BENCH_DATABASE_URL."
        )
    import psycopg
    from psycopg import sql

    # Made afresh, like the SQLite file: the same start every run, whatever
    # migrations were rewritten since the last one.
    server = urlunsplit(urlsplit(db.url)._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    manage(env, "migrate", "--noinput")


def redis_reachable(url: str) -> str | None:
    """The Redis server's version, or None when it does not answer."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not (host.startswith("127.") or host in {"localhost", "::1"}):
        sys.exit(f"--redis-url must be on this machine (loopback); {host!r} is not")
    if parts.path.strip("/") in {"", "0"}:
        sys.exit(
            "--redis-url must name a Redis database of the benchmarks' own (not 0, the default one): "
            "its channel-layer keys are flushed before each run."
        )
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        return str(client.info("server")["redis_version"])
    except Exception:
        return None


def run_child(module: str, label: str, env: dict[str, str], *options: str) -> dict[str, Any]:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    out = LOG_DIR / f"{label}.json"
    out.unlink(missing_ok=True)
    print(f"▶ {label}", flush=True)
    began = time.monotonic()
    proc = subprocess.Popen(  # noqa: S603 - our own modules, fixed arguments
        [sys.executable, "-m", module, *options, "--out", str(out)], cwd=BASE_DIR, env=env
    )
    code: int | str
    try:
        code = proc.wait(timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        # SIGTERM first: the child then stops the servers it started.
        code = f"timed out after {CHILD_TIMEOUT} s"
        stop_process(proc, signals=((signal.SIGTERM, 30.0), (signal.SIGKILL, 5.0)))
    if code != 0 or not out.exists():
        print(f"  ✗ {label} failed ({code})", flush=True)
        return {"error": f"exit {code}"}
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["duration_s"] = round(time.monotonic() - began, 1)
    return result


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        info["memory_gib"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (OSError, ValueError):
        pass
    return info


def versions() -> dict[str, str]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_commit() -> str | None:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+dirty" if dirty else "")


LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def setup_label(benchmark: dict[str, Any]) -> str:
    if benchmark["name"] == "stamping":
        return (
            f"{LABELS[benchmark['db']]}, {benchmark.get('pages', 100)} pages, {benchmark.get('qpdf', 'qpdf')}"
        )
    if benchmark["name"] == "minutes":
        return f"{LABELS[benchmark['db']]}, {benchmark.get('items', 40)} items, WeasyPrint + pyHanko"
    if benchmark["name"] == "publish":
        layer = "in-memory layer" if benchmark["layer"] == "memory" else "Redis layer"
        version = benchmark.get("database", {}).get("version", "")
        return f"{LABELS[benchmark['db']]} {version}, {layer}".replace("  ", " ")
    if benchmark["layer"] == "redis":
        return f"{LABELS[benchmark['db']]}, Redis layer (REDIS_URL set), C={benchmark['clients']}"
    return f"{LABELS[benchmark['db']]}, in-memory layer (embedded), C={benchmark['clients']}"


def table(benchmarks: list[dict[str, Any]]) -> str:
    header = ("benchmark", "set-up", "figure", "unit", "eCabinet", "baseline", "ratio")
    rows = [header]
    for bench in benchmarks:
        if "error" in bench:
            rows.append((bench["name"], setup_label(bench), f"FAILED: {bench['error']}", "", "", "", ""))
            continue
        for fig in bench["figures"]:
            rows.append(
                (
                    bench["name"],
                    setup_label(bench),
                    fig["name"],
                    fig["unit"],
                    f"{fig['project']:,.2f}",
                    f"{fig['baseline']:,.2f}",
                    f"{fig['ratio']:.2f}×",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {4, 5, 6}
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def checks(benchmarks: list[dict[str, Any]]) -> list[str]:
    """What each run verified besides its speed."""
    lines = []
    for bench in benchmarks:
        if "error" in bench:
            continue
        label = f"{bench['name']} ({setup_label(bench)})"
        if bench["name"] == "stamping":
            c = bench["checks"]
            ok = (
                c["project_stamped_pages"] == c["project_pages"]
                and c["baseline_stamped_pages"] == c["baseline_pages"]
            )
            lines.append(
                f"{'✓' if ok else '✗'} {label}: the trace code in the text of "
                f"{c['project_stamped_pages']} of "
                f"{c['project_pages']} pages of a cold copy ({c['project_copy_bytes']:,} bytes), and of "
                f"{c['baseline_stamped_pages']} of {c['baseline_pages']} pages of qpdf's "
                f"({c['baseline_copy_bytes']:,} bytes); the paper itself {c['source_bytes']:,} bytes"
            )
            continue
        if bench["name"] == "minutes":
            c = bench["checks"]
            ok = c["signature_ok"] and c["titles_in_text"] == c["items"]
            lines.append(
                f"{'✓' if ok else '✗'} {label}: the signed minutes verify"
                + ("" if c["signature_ok"] else f" NOT ({c['signature_problem']})")
                + f", {c['titles_in_text']} of {c['items']} item titles in their text; "
                f"{c['project_pages']} pages ({c['project_bytes']:,} bytes), the plain baseline "
                f"{c['baseline_pages']} pages ({c['baseline_bytes']:,} bytes)"
            )
            continue
        if bench["name"] == "publish":
            ok = bench["gap_free"]
            lines.append(
                f"{'✓' if ok else '✗'} {label}: {bench['events']} events per variant, "
                + ("every seq numbered without a gap" if ok else "GAP in the seq numbers")
                + (" (stopped at the time limit)" if bench["truncated"] else "")
            )
        else:
            for side in ("project", "baseline"):
                run = bench[side]
                ok = run["missing_deliveries"] == 0 and run["seq_gaps"] == 0
                who = "eCabinet" if side == "project" else "baseline"
                lines.append(
                    f"{'✓' if ok else '✗'} {label}, {who}: {run['clients']} sockets × {run['events']} "
                    f"events, {run['missing_deliveries']} deliveries missing, {run['seq_gaps']} seq gaps"
                )
            retries = bench["project"].get("connect_retries", {})
            if retries:
                detail = ", ".join(f"{n}× after {code}" for code, n in retries.items())
                lines.append(
                    f"✗ {label}, eCabinet: sockets closed before their welcome and tried again "
                    f"(0.5 s backoff, as the tablet does): {detail}; the connect figure includes it"
                )
            errors = bench["project"].get("server_errors", {})
            if errors.get("count"):
                first, times = next(iter(errors["kinds"].items()))
                lines.append(
                    f"✗ {label}, eCabinet server: {errors['count']} tracebacks in its log "
                    f"({times}× {first}); see {errors['log']}"
                )
            else:
                lines.append(f"✓ {label}, eCabinet server: no traceback in its log")
    return lines


NOTES = [
    "ratio = eCabinet ÷ baseline, for every figure: for ms lower is better, for events/s higher is better.",
    "publish: publish_on_commit, one event per transaction, as the server calls it (send handed to a "
    "running server loop); baseline: the same Event rows, precomputed seq, plain Event.objects.create "
    "in its own transaction, same database. The two diagnostic rows: the same call with no server loop "
    "(async_to_sync per send, as in manage.py db_worker), and the database part alone (send stubbed).",
    "fanout: the time from publishing (wall clock just before publish_on_commit / the broadcast) to the "
    "last socket having the event, over K events one at a time; connect = all C sockets opened at once "
    "until the last welcome. Baseline: a bare asyncio websockets server broadcasting the same K events "
    "to the same C clients on loopback. Clients: websockets, one process, for both.",
    "fanout, Redis layer: the server (manage.py serve --worker none) ran with REDIS_URL set to the local "
    "Redis, and the benchmark process published through publish_on_commit, its send handed to its own "
    "running loop as in a server process: the in-memory layer of the embedded default does not cross "
    "processes. fanout, in-memory layer: the embedded default itself (manage.py serve --worker thread); "
    "each event is published inside the server by its worker thread running a bench task.",
    "stamping: documents.stamping.stamped_copy for one reader of a 100-page A4 paper in Vietnamese: cold "
    "(a reader with no copy: the stamp page drawn, laid over every page with pikepdf, the file written to "
    "the private storage, the row inserted) and cached (the copy already made); diagnostics: the stamping "
    "alone in process, and a whole open through the signed link with the copy cached (access check, read "
    "and audit rows, the file read out) through Django's test client. Baseline: Debian's qpdf --overlay of "
    "the same stamp page on the same paper, a process of its own. Interleaved rounds, p50.",
    "minutes: the minutes of a closed 40-item session (16 members, two speakers per item, a named ballot "
    "on every fourth): render + sign = the facts read again, put into words, rendered in the administrative "
    "layout with WeasyPrint and signed with pyHanko; diagnostics: the rendering alone, and the whole "
    "do_issue_record (number, render, sign, rows, event) rolled back after each round. Baseline: WeasyPrint "
    "rendering the same text as plain paragraphs in the same font, no layout, no signature. Interleaved "
    "rounds, p50, in seconds.",
    "Processes run with DEBUG=false and LOG_LEVEL=WARNING (Daphne's access log stays on, as in serve). "
    "This machine is shared: the load average is printed and kept; compare ratios, not absolute figures, "
    "between runs.",
]


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    only = split(args.only)
    layers = split(args.layers)
    dbs = databases(args)
    redis_version = redis_reachable(args.redis_url)
    try:
        import websockets

        websockets_version = websockets.__version__
    except ImportError:
        sys.exit(
            "The fan-out benchmark needs the websockets package: .venv/bin/pip install websockets==17.4 "
            "(pin it in requirements-dev.txt)."
        )
    print(f"eCabinet benchmarks on {os.cpu_count()} CPUs; websockets {websockets_version}", flush=True)
    load_start = os.getloadavg()
    notes = list(NOTES)
    benchmarks: list[dict[str, Any]] = []
    for db in dbs:
        print(f"▶ preparing {LABELS[db.name]} ({'file ' + db.url if db.name == 'sqlite' else db.url})")
        prepare(db)
        if "publish" in only:
            layer = "redis" if db.name == "postgres" and redis_version else "memory"
            env = {**base_env(), **db.env()}
            if layer == "redis":
                env["REDIS_URL"] = args.redis_url
            result = run_child("bench.publish", f"publish-{db.name}", env, "--events", str(args.events))
            benchmarks.append({"name": "publish", "db": db.name, "layer": layer, **result})
        if "fanout" in only:
            for layer in layers:
                if layer == "memory" and db.name != "sqlite":
                    continue  # the in-memory layer is the embedded default's, on SQLite
                if layer == "redis" and not redis_version:
                    notes.append(
                        f"fanout with the Redis layer skipped: no Redis answered at {args.redis_url}."
                    )
                    continue
                env = {**base_env(), **db.env()}
                if layer == "redis":
                    env["REDIS_URL"] = args.redis_url
                result = run_child(
                    "bench.fanout",
                    f"fanout-{layer}-{db.name}",
                    env,
                    "--layer",
                    layer,
                    "--clients",
                    str(args.clients),
                    "--events",
                    str(args.fanout_events),
                )
                benchmarks.append(
                    {"name": "fanout", "db": db.name, "layer": layer, "clients": args.clients, **result}
                )
        if "stamping" in only:
            if shutil.which("qpdf") is None:
                notes.append(
                    "stamping skipped: its baseline needs Debian's qpdf (apt-get install qpdf), not found."
                )
            else:
                env = {**base_env(), **db.env()}
                result = run_child(
                    "bench.stamping", f"stamping-{db.name}", env, "--rounds", str(args.stamp_rounds)
                )
                if "skipped" in result:
                    notes.append(f"stamping skipped: {result['skipped']}")
                else:
                    benchmarks.append({"name": "stamping", "db": db.name, **result})
        if "minutes" in only:  # reports: minutes of a 40-item session
            env = {**base_env(), **db.env()}
            result = run_child(
                "bench.minutes", f"minutes-{db.name}", env, "--rounds", str(args.minutes_rounds)
            )
            benchmarks.append({"name": "minutes", "db": db.name, **result})

    report = {
        "schema": 1,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m bench", *sys.argv[1:]]),
        "git_commit": git_commit(),
        "machine": {
            **machine_info(),
            "load_average_start": [round(x, 2) for x in load_start],
            "load_average_end": [round(x, 2) for x in os.getloadavg()],
        },
        "versions": {**versions(), "redis-server": redis_version or "not reachable"},
        "config": {
            "databases": [db.name for db in dbs],
            "publish_events": args.events,
            "fanout_clients": args.clients,
            "fanout_events": args.fanout_events,
            "fanout_layers": layers,
            "stamping_rounds": args.stamp_rounds,
            "minutes_rounds": args.minutes_rounds,
            "redis_url": args.redis_url,
        },
        "notes": notes,
        "benchmarks": benchmarks,
        "duration_s": round(time.monotonic() - started, 1),
    }
    args.output = args.output.resolve()
    write_json(args.output, report)

    print()
    print(table(benchmarks))
    print()
    for line in checks(benchmarks):
        print(line)
    print()
    for note in notes:
        print(f"- {note}")
    machine = report["machine"]
    print(
        f"\nMachine: {machine.get('cpu_model', machine['processor'])}, {machine['cpu_count']} CPUs, "
        f"{machine.get('memory_gib', '?')} GiB, {machine['platform']}, {machine['python']}; "
        f"load average {machine['load_average_start'][0]} → {machine['load_average_end'][0]}."
    )
    shown = args.output.relative_to(BASE_DIR) if args.output.is_relative_to(BASE_DIR) else args.output
    print(f"Written {shown} in {report['duration_s']} s.")
    if any("error" in bench for bench in benchmarks):
        sys.exit(1)


if __name__ == "__main__":
    main()
