"""Backup and restore: everything comes back into an empty database and storage, and still proves itself."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.actions import do_upload_paper
from documents.models import PaperVersion, StampedCopy, paper_storage
from documents.stamping import stamped_copy
from ecabinet.models import AuditEvent, Event, SignedDocument, Tenant, User
from ecabinet.signing import verify_pdf
from ecabinet.tenancy import tenant_context
from meetings.actions import do_open_item, do_start_meeting
from meetings.models import Meeting, Participant
from tests.conftest import World
from tests.documents.conftest import pdf_upload
from voting.actions import do_cast_vote, do_close_ballot, do_open_ballot
from voting.models import Ballot, Vote
from voting.tasks import issue_ballot_result

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def papers_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "papers"
    settings.ECABINET_PAPERS_ROOT = root
    return root


def _a_year_of_work(w: World) -> dict[str, Any]:
    """A meeting with a paper and its stamped copy, a closed ballot with votes and its signed sheet."""
    with tenant_context(w.tenant):
        paper = do_upload_paper(w.meeting, upload=pdf_upload(), title="Tờ trình", acting_user=w.secretary)
        copy, _ = stamped_copy(paper.current_version, w.member)
        meeting = do_start_meeting(w.meeting, acting_user=w.chair)
        do_open_item(meeting, item=w.items[0], acting_user=w.chair)
        ballot = do_open_ballot(meeting, acting_user=w.chair, question="Thông qua kế hoạch?")
        for user in (w.member, w.chair, w.vice_chair):
            do_cast_vote(
                ballot, participant=Participant.objects.get(meeting=meeting, user=user), option="for"
            )
        do_close_ballot(ballot, acting_user=w.chair)
        document_id = issue_ballot_result.call(w.tenant.pk, ballot.pk)
    return {"paper": paper, "copy": copy, "ballot": ballot, "document_id": document_id}


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_a_backup_restores_into_an_empty_database_and_storage(
    hanoi: World, papers_root: Path, tmp_path: Path, signing_dir: Any, capsys: Any
) -> None:
    made = _a_year_of_work(hanoi)
    files_before = _files(papers_root)
    assert len(files_before) == 2  # the paper and its stamped copy
    audit_before = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    events_before = Event.objects.count()
    archive = tmp_path / "ecabinet.tar.gz"
    call_command("backup", str(archive))
    assert "Backed up" in capsys.readouterr().out
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.BACKUP_MADE).exists()

    # the machine is lost: an empty database, empty storage
    call_command("flush", interactive=False, verbosity=0)
    for path in papers_root.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Tenant.objects.exists() and not _files(papers_root)

    call_command("restore", str(archive))
    # every meeting, paper, vote and signed document is back
    tenant = Tenant.objects.get(slug=hanoi.tenant.slug)
    with tenant_context(tenant):
        assert Meeting.objects.filter(title=hanoi.meeting.title).exists()
        version = PaperVersion.objects.get(pk=made["paper"].current_version_id)
        assert hashlib.sha256(Path(version.file.path).read_bytes()).hexdigest() == version.sha256
        copy = StampedCopy.objects.get(trace_code=made["copy"].trace_code)
        assert copy.file.read()
        assert Vote.objects.filter(ballot_id=made["ballot"].pk).count() == 3
        assert Ballot.objects.get(pk=made["ballot"].pk).result_document_id == made["document_id"]
        document = SignedDocument.objects.get(pk=made["document_id"])
        verification = verify_pdf(bytes(document.content))
        assert verification.signed and verification.intact and verification.valid, verification.problem
    assert _files(papers_root) == files_before  # the same files, byte for byte
    assert User.objects.filter(username=hanoi.member.username).exists()
    # every audit row and event, in their chains, which still verify
    audit_after = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    assert audit_after[: len(audit_before)] == audit_before
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.BACKUP_RESTORED).exists()
    assert Event.objects.count() == events_before
    call_command("verify_audit")  # exits 1 (CommandError/SystemExit) if a chain is broken


def test_restore_refuses_a_database_that_is_not_empty(
    hanoi: World, papers_root: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_restore_refuses_a_damaged_archive_and_leaves_nothing(
    hanoi: World, papers_root: Path, tmp_path: Path
) -> None:
    with tenant_context(hanoi.tenant):
        do_upload_paper(hanoi.meeting, upload=pdf_upload(), title="Tờ trình", acting_user=hanoi.secretary)
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    # one byte of the paper changed inside the archive
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as source, tarfile.open(damaged, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("files/papers/"):
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False, verbosity=0)
    for path in papers_root.rglob("*"):
        if path.is_file():
            path.unlink()
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged))
    assert not Tenant.objects.exists() and not _files(papers_root)
    assert paper_storage.listdir("")[1] == []
