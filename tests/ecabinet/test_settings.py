import os
import subprocess
from pathlib import Path

from tests.clock import manage_py

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        manage_py(*args),
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_outside_debug_a_missing_secret_key_stops_start_up_with_a_clear_message():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_outside_debug_the_deploy_checks_pass():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", DEBUG="false", SECRET_KEY="k" * 60 + "x9!Q"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
