"""Background work of papers: stamped copies made ahead of the session."""

from __future__ import annotations

from django_tasks import task

from documents.models import Paper, PaperVersion
from documents.selectors import paper_readers
from documents.stamping import stamped_copy
from ecabinet.models import Tenant
from ecabinet.tenancy import tenant_context


def _stamp_for_readers(version: PaperVersion) -> int:
    made = 0
    for reader in paper_readers(version.paper):
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
