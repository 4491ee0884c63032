"""Serving: signed links to stamped copies, checked on every request, every open audited."""

from __future__ import annotations

import pytest

from documents.access import access_paper
from documents.models import PaperOpen
from documents.serving import signed_link
from ecabinet.models import AuditEvent
from ecabinet.tenancy import tenant_context

pytestmark = pytest.mark.django_db


def link_for(world, user, paper, **kwargs):  # type: ignore[no-untyped-def]
    with tenant_context(world.tenant):
        return signed_link(access_paper(user, paper.pk), **kwargs)


def test_signed_link_serves_the_readers_stamped_copy(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    response = hanoi.client(hanoi.member).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    with tenant_context(hanoi.tenant):
        assert PaperOpen.objects.filter(paper=paper, reader=hanoi.member).count() == 1
        assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_OPENED).count() == 1
