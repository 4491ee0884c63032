"""Background work of papers: stamped copies made ahead of the session.

A minister's tablet should open a hundred-page paper at once, so every
reader's copy is stamped by the worker before anyone asks: when the agenda is
published, when a published meeting gains participants, and when a paper gets
a new version (``documents.actions``). Stamping is idempotent — a copy is made
at most once per (version, reader) — so queueing it again costs little.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task

from documents.access import access_any_paper
from documents.models import Paper, PaperVersion
from documents.selectors import paper_readers
from documents.stamping import stamped_copy
from ecabinet.errors import ActionError
from ecabinet.models import Tenant
from ecabinet.tenancy import tenant_context
from meetings.models import Meeting

# The meeting's states in which its papers are being read.
READING_STATES = frozenset({Meeting.Status.PUBLISHED, Meeting.Status.IN_SESSION, Meeting.Status.ADJOURNED})


def _may_read(reader: Any, paper: Paper) -> bool:
    # The same check as the signed link's: nobody gets a copy made for them
    # that they could not open.
    try:
        access_any_paper(reader, paper.pk)
    except ActionError:
        return False
    return True


def _stamp_for_readers(version: PaperVersion) -> int:
    made = 0
    for reader in paper_readers(version.paper):
        if not _may_read(reader, version.paper):
            continue
        _, made_now = stamped_copy(version, reader)
        made += int(made_now)
    return made


@task()
def stamp_version(tenant_id: int, version_id: int) -> int:
    """Stamp one version for each of its readers; returns how many copies were made."""
    tenant = Tenant.objects.get(pk=tenant_id)
    with tenant_context(tenant):
        version = PaperVersion.objects.select_related("paper").filter(pk=version_id).first()
        if version is None or version.paper.current_version_id != version.pk:
            return 0  # replaced meanwhile: the new version has its own task
        if version.paper.withdrawn_at is not None:
            return 0
        return _stamp_for_readers(version)


@task()
def stamp_meeting_papers(tenant_id: int, meeting_id: int) -> int:
    """Stamp every current paper of a meeting for each of its readers.

    Queued when the agenda is published, so that a minister's tablet opens a
    hundred-page paper at once instead of waiting for its stamp.
    """
    tenant = Tenant.objects.get(pk=tenant_id)
    made = 0
    with tenant_context(tenant):
        papers = Paper.objects.filter(
            meeting_id=meeting_id, withdrawn_at__isnull=True, current_version__isnull=False
        ).select_related("current_version")
        for paper in papers:
            version = paper.current_version
            if version is None:
                continue
            version.paper = paper
            made += _stamp_for_readers(version)
    return made


def queue_meeting_stamping(meeting: Meeting) -> None:
    """After commit, stamp the meeting's papers for its readers, if it has any to read.

    The meetings ``published`` and ``participants_changed`` hooks call this
    inside the meeting action's transaction.
    """
    if meeting.status not in READING_STATES:
        return
    has_papers = Paper.objects.filter(
        meeting=meeting, withdrawn_at__isnull=True, current_version__isnull=False
    ).exists()
    if not has_papers:
        return
    tenant_id, meeting_id = meeting.tenant_id, meeting.pk
    transaction.on_commit(lambda: stamp_meeting_papers.enqueue(tenant_id, meeting_id))


def missing_stamped_copies() -> list[tuple[Any, tuple[int, int]]]:
    """Current papers of meetings being read that have no stamped copy at all (``ecabinet.recovery``).

    A stamping task killed half-way is run again by the reaper; this finds
    the papers whose task was lost altogether.
    """
    found: list[tuple[Any, tuple[int, int]]] = []
    for tenant in Tenant.objects.filter(is_active=True):
        with tenant_context(tenant):
            versions = Paper.objects.filter(
                meeting__status__in=READING_STATES,
                withdrawn_at__isnull=True,
                current_version__isnull=False,
            ).exclude(current_version__copies__isnull=False)
            for version_id in versions.values_list("current_version_id", flat=True):
                found.append((stamp_version, (tenant.pk, version_id)))
    return found
