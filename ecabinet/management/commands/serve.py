"""``manage.py serve``: Daphne for HTTP and sockets, and the background worker.

The worker runs as a thread of this process with the in-memory channel layer
(so what it publishes reaches this process's sockets) and as a child process
with Redis. ``ECABINET_WORKER=none`` starts no worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from daphne.cli import CommandLineInterface
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve HTTP and WebSockets with Daphne, with the background worker beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument(
            "--worker",
            choices=["thread", "process", "none"],
            default=settings.ECABINET_WORKER,
            help="how to run the background worker (default: thread without Redis, process with it)",
        )
        parser.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-For/-Proto")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["worker"] != "none":
            from ecabinet.worker import start_sweeps

            for path in start_sweeps():
                self.stdout.write(f"Sweep started: {path}")
        if options["worker"] == "thread" and settings.REDIS_URL == "":
            from ecabinet.worker import WorkerThread

            WorkerThread().start()
            self.stdout.write("Background worker: a thread of this process.")
        elif options["worker"] == "thread":
            self.stderr.write("With REDIS_URL the worker runs as a process; starting one.")
            options["worker"] = "process"
        child = None
        if options["worker"] == "process":
            child = subprocess.Popen([sys.executable, "manage.py", "db_worker"])
            self.stdout.write(f"Background worker: process {child.pid}.")
        argv = ["-b", options["host"], "-p", str(options["port"])]
        if options["proxy_headers"]:
            argv.append("--proxy-headers")
        argv.append("ecabinet.asgi:application")
        self.stdout.write(f"Serving on http://{options['host']}:{options['port']}/")
        try:
            CommandLineInterface().run(argv)
        finally:
            if child is not None:
                child.terminate()
                child.wait(timeout=10)
