#!/usr/bin/env bash
# Runs a command with the process clock moved by TEST_CLOCK, or as it is when
# TEST_CLOCK is empty. TEST_CLOCK takes faketime's forms: an offset (+1y,
# +400d, -3h) or a start ("@2030-01-01 09:00:00", then the clock runs on).
# Every child of the command (the test servers, Chromium) runs on the same
# moved clock; PostgreSQL and Redis keep the machine's, which the project
# never reads (every "now" is taken in Python).
set -euo pipefail

if [ -z "${TEST_CLOCK:-}" ]; then
  exec "$@"
fi

if ! command -v faketime >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing faketime (TEST_CLOCK=$TEST_CLOCK moves the tests' clock with it)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; }
  fi
fi
if ! command -v faketime >/dev/null 2>&1; then
  echo "TEST_CLOCK needs faketime: sudo apt-get install faketime (Debian/Ubuntu), brew install libfaketime (macOS)." >&2
  exit 2
fi

# The machine's time, read before the clock moves: the suite checks that it did.
ECABINET_TEST_REAL_EPOCH=$(date +%s)
export ECABINET_TEST_REAL_EPOCH
export ECABINET_TEST_CLOCK="$TEST_CLOCK"
# A moved monotonic clock makes timed waits (queues, locks, sleeps) hang for
# ever under libfaketime 0.9.10; only the wall clock needs to move.
export FAKETIME_DONT_FAKE_MONOTONIC=1
exec faketime -f "$TEST_CLOCK" "$@"
