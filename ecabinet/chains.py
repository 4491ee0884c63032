"""Hash chains: each link carries the SHA-256 of its content and of the link before.

Used by the audit log (``ecabinet.audit``, one chain per tenant) and by each
meeting's events (``ecabinet.realtime``, one chain per stream). The form
hashed is fixed for ever, since links already written are verified by it: a
JSON array, keys sorted, no spaces, UTF-8; times in UTC to the microsecond.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

# The hash "before" the first link of a chain.
GENESIS = "0" * 64


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def digest(values: list[Any]) -> str:
    body = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
