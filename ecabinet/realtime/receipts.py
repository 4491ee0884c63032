"""Actions sent again after a lost socket are done once.

A tablet keeps what a person asked for — a comment, a request to speak, a
vote — until the server has answered it, and sends it again, with the same
``key``, when its socket comes back (``static/js/live.js``). If the server
had done it before the socket died, only the answer was lost: the receipt
kept in the same transaction as the action says so, and the second frame
gets the first answer and changes nothing. If the server died before it
committed, neither the action nor its receipt exist and the second frame
does it.

The receipt is written before the action, inside the action's transaction:
a second frame with the same key that arrives while the first is still
running waits on the unique index until the first commits (or rolls back)
instead of running the action alongside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from ecabinet.errors import Invalid
from ecabinet.models import EventStream, SocketReceipt

KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")

# How long a tablet may hold an action it could not send (an evening offline,
# a weekend in a drawer) and still have the server recognise it.
KEEP_FOR = timedelta(days=7)
FORGET_EVERY = timedelta(hours=6)


def valid_key(key: Any) -> bool:
    return isinstance(key, str) and KEY.fullmatch(key) is not None


def run_once(
    user: Any, key: str, action: str, stream: EventStream, run: Callable[[], dict[str, Any] | None]
) -> tuple[dict[str, Any] | None, bool]:
    """``run()`` unless ``user`` already had ``key`` done: its answer, and whether it is the first's."""
    from ecabinet.realtime import _json_safe

    with transaction.atomic():
        try:
            with transaction.atomic():
                receipt = SocketReceipt.objects.create(
                    user=user, key=key, stream=stream, action=action, created_at=timezone.now()
                )
        except IntegrityError:
            earlier = SocketReceipt.objects.get(user=user, key=key)
            if earlier.action != action or earlier.stream_id != stream.pk:
                raise Invalid(
                    _("This key was used for another action; send the action with a new key."),
                    code="key_reused",
                ) from None
            return earlier.answer, True
        answer = run()
        receipt.answer = _json_safe(answer) if answer else None
        receipt.save(update_fields=["answer"])
        return answer, False


def forget_old(now: Any = None) -> int:
    """Delete receipts past ``KEEP_FOR``; how many."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _kinds = SocketReceipt.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@task()
def forget_old_receipts(repeat: bool = True) -> int:
    deleted = forget_old()
    if repeat:
        forget_old_receipts.using(run_after=timezone.now() + FORGET_EVERY).enqueue(True)
    return deleted
