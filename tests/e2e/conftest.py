"""Real-browser tests: Debian's Chromium, driven by Playwright, against the real
server (``manage.py serve``, Daphne) started as a subprocess on the test
database.

The tests are ``django_db(transaction=True)`` so that what they create is
committed and the server process sees it. Chromium is never downloaded: CI
installs Debian's package; without ``/usr/bin/chromium`` the folder is skipped.
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.clock import manage_py
from tests.conftest import PASSWORD, World

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    # Two tablets share one browser here: keep the page that is not in front
    # ticking its clocks as a real tablet would.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = REPO / "test-artifacts"
SERVER_LOGS = REPO / "var" / "e2e"
STARTUP_SECONDS = 20.0
STOP_SECONDS = 10.0

LANDSCAPE = {"width": 1024, "height": 768}
PORTRAIT = {"width": 768, "height": 1024}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"real-browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
        "CI installs it, never `playwright install`"
    )
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(E2E_DIR):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Keep each phase's report on the item so fixtures can tell a failed test
    # at teardown (and show the server's log with it).
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# Module scope, not session: while Playwright runs, its event loop counts as
# running in this thread, and the async tests collected after tests/e2e
# (channels, asgiref) could not start their own.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread while the browser
    # lives; Django's ORM calls from the tests and their database teardown are
    # still synchronous and safe. Only while the browser lives: the socket
    # tests (run before this folder) keep Django's async-safety checks.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(viewport)``: a fresh tablet (its own cookies) showing a blank page.

    The tablet's browser is set to English on purpose: pages are Vietnamese
    unless the person chooses English on the page, whatever the browser asks
    for. Every page error is collected on ``page.errors``.
    """
    contexts: list[Any] = []

    def make(viewport: dict[str, int] = LANDSCAPE) -> Any:
        context = browser.new_context(
            viewport=viewport,
            locale="en-US",
            timezone_id="Asia/Ho_Chi_Minh",
            has_touch=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Saved under test-artifacts/ (gitignored) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(autouse=True)
def _events_reach_the_server_by_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    # What the test process writes is kept in the database; the server's
    # sockets learn of it by replay. The test process serves no socket, and
    # sending from inside Playwright's event loop only logs a failure.
    monkeypatch.setattr("ecabinet.realtime.send_to_group", lambda group, frame, **kwargs: None)


# --- accounts the server can check -----------------------------------------


@functools.cache
def _server_password_hash() -> str:
    # The test process hashes with MD5 for speed (tests/conftest.py); the
    # server runs with the real settings, whose hashers don't read MD5. One
    # real hash, computed once, serves every account of the e2e tests.
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(PASSWORD, hasher.salt())


def let_log_in(*worlds: World) -> None:
    """Give every account of ``worlds`` a password hash the server accepts."""
    from ecabinet.models import User

    User.objects.filter(tenant__in=[world.tenant for world in worlds]).update(
        password=_server_password_hash()
    )


# --- the real server --------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_env() -> dict[str, str]:
    """The environment of the test run, pointed at the test database."""
    env = dict(os.environ)
    # The server must not inherit the test process's licence to call the ORM
    # from async code: that would hide a real bug.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["PYTHONUNBUFFERED"] = "1"
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        env["ECABINET_SQLITE_PATH"] = str(Path(name).resolve())
    else:
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path="/" + name))
    return env


class LiveDaphne:
    """``manage.py serve`` on a fixed port, which can be stopped and started again."""

    def __init__(self, port: int, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self.env = _server_env()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, world: World, path: str = "/") -> str:
        return f"http://{world.host}:{self.port}{path}"

    def start(self) -> None:
        assert self.process is None, "the server is already running"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"--- start on port {self.port} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                manage_py("serve", "--worker", "none", "--host", "127.0.0.1", "--port", str(self.port)),
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._fail(f"the server exited with {self.process.returncode} while starting")
            if self._healthy():
                return
            time.sleep(0.1)
        self.stop()
        self._fail(f"the server did not answer /healthz within {STARTUP_SECONDS:.0f} s")

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGCONT)  # a frozen server cannot act on SIGTERM
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_SECONDS)

    def freeze(self) -> None:
        """SIGSTOP: the server holds its sockets open and answers nothing, as a
        process does in the instant before it dies."""
        assert self.process is not None and self.process.poll() is None
        os.killpg(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT: a frozen server goes on where it stopped."""
        assert self.process is not None and self.process.poll() is None
        os.killpg(self.process.pid, signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL to the server and everything it started: nothing of it runs a
        line more, and its sockets are closed by the kernel."""
        process, self.process = self.process, None
        assert process is not None
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def _fail(self, why: str) -> None:
        print(f"--- server log {self.log_path} ---\n{self.log()}", file=sys.stderr)
        pytest.fail(f"{why}; its output is above and in {self.log_path}")


@pytest.fixture
def live_daphne(transactional_db: None, request: pytest.FixtureRequest) -> Iterator[LiveDaphne]:
    """The real server on the test database, on a free port of 127.0.0.1.

    Depends on ``transactional_db`` so that it is stopped before the tables are
    flushed (and, on PostgreSQL, before the test database is dropped).
    """
    safe_name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
    log_path = SERVER_LOGS / f"{safe_name}.log"
    log_path.unlink(missing_ok=True)
    server = LiveDaphne(_free_port(), log_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(f"--- server log {log_path} ---\n{server.log()[-8000:]}")
