"""The audit log: append-only in the database, a hash chain per tenant, verified by a command."""

from __future__ import annotations

import io
import itertools
import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import translation

from ecabinet import audit
from ecabinet.flushing import flushing
from ecabinet.models import AuditChain, AuditEvent
from tests.conftest import World, is_postgres, requires_postgres


def _record_some(world: World, n: int = 4) -> list[AuditEvent]:
    return [
        audit.record(
            audit.Kind.RULES_CHANGED, user=world.secretary, tenant=world.tenant, step=i, note="Hà Nội"
        )
        for i in range(n)
    ]


@contextmanager
def _triggers_off():
    """What an intruder with the database's keys could do: the append-only triggers off.
    The test's transaction takes it back."""
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute("SET LOCAL session_replication_role = replica")  # a superuser's switch
            yield cursor
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS ecabinet_audit_no_update")
            with flushing():
                yield cursor


@pytest.fixture(autouse=True)
def _reasons_in_english():  # type: ignore[no-untyped-def]
    # the reasons are matched by their English msgids; the command's Vietnamese is checked below
    from django.utils import translation

    with translation.override("en"):
        yield


def _verify(world: World) -> tuple[int, audit.Break | None]:
    return audit.verify(audit.chain_key(world.tenant.pk))


def test_each_row_is_the_next_link_of_its_tenants_chain(hanoi: World, danang: World) -> None:
    before = AuditChain.objects.filter(key=audit.chain_key(hanoi.tenant.pk)).values_list(
        "last_seq", flat=True
    )
    start = before.first() or 0
    rows = _record_some(hanoi)
    assert [r.seq for r in rows] == list(range(start + 1, start + 5))
    assert all(r.chain == f"t{hanoi.tenant.pk}" for r in rows)
    for earlier, later in itertools.pairwise(rows):
        assert later.prev_hash == earlier.hash and len(later.hash) == 64
    # another tenant's rows make their own chain; a row with no tenant goes to the national one
    other = audit.record(audit.Kind.RULES_CHANGED, tenant=danang.tenant, step=0)
    national = audit.record(audit.Kind.LOGIN_FAILED, username="x")
    assert other.chain == f"t{danang.tenant.pk}" and national.chain == "national"
    assert national.tenant_id is None
    # what was written is what verifies: the content read back hashes the same
    for row in AuditEvent.objects.filter(pk__in=[r.pk for r in rows]):
        assert audit.hash_of(row) == row.hash
    for key in audit.chains():
        _count, broken = audit.verify(key)
        assert broken is None, broken
    head = AuditChain.objects.get(key=f"t{hanoi.tenant.pk}")
    assert (head.last_seq, head.last_hash) == (rows[-1].seq, rows[-1].hash)


def test_an_action_rolled_back_takes_its_link_with_it(hanoi: World) -> None:
    _record_some(hanoi, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(audit.Kind.RULES_CHANGED, tenant=hanoi.tenant, step="lost")
        raise RuntimeError
    after = audit.record(audit.Kind.RULES_CHANGED, tenant=hanoi.tenant, step="kept")
    assert _verify(hanoi) == (after.seq, None)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ecabinet_auditevent SET kind = 'login' WHERE id = %s",
        "DELETE FROM ecabinet_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_remove_a_row(hanoi: World, statement: str) -> None:
    row = _record_some(hanoi, 1)[0]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [row.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).delete()
    assert AuditEvent.objects.filter(pk=row.pk, kind=row.kind).exists()


def test_only_a_flush_may_empty_the_log_on_sqlite(hanoi: World) -> None:
    if is_postgres():
        pytest.skip("PostgreSQL refuses every DELETE; its flush uses TRUNCATE")
    _record_some(hanoi, 1)
    with flushing():
        AuditEvent.objects.all().delete()
    assert not AuditEvent.objects.exists()


def test_a_row_changed_behind_the_triggers_is_named(hanoi: World) -> None:
    rows = _record_some(hanoi)
    with _triggers_off() as cursor:
        cursor.execute(
            "UPDATE ecabinet_auditevent SET detail = %s WHERE id = %s", ['{"step": 99}', rows[2].pk]
        )
    count, broken = _verify(hanoi)
    assert broken is not None and (broken.seq, broken.row_id) == (rows[2].seq, rows[2].pk)
    assert "not what was written" in broken.reason and count == rows[1].seq


def test_a_row_removed_from_the_middle_or_the_end_is_named(hanoi: World) -> None:
    rows = _record_some(hanoi)
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM ecabinet_auditevent WHERE id = %s", [rows[-1].pk])
    count, broken = _verify(hanoi)
    assert broken is not None and broken.seq == rows[-1].seq and "head says" in broken.reason
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM ecabinet_auditevent WHERE id = %s", [rows[1].pk])
    count, broken = _verify(hanoi)
    assert broken is not None and (broken.seq, broken.row_id) == (rows[1].seq, None)
    assert "missing" in broken.reason and count == rows[0].seq


def test_a_row_slipped_in_with_a_good_hash_of_its_own_is_named(hanoi: World) -> None:
    """A forger renumbers nothing: a row put in at a free number with a hash
    it computed itself does not carry the hash of the row before it."""
    rows = _record_some(hanoi, 2)
    forged = AuditEvent(
        kind="vote_cast",
        tenant=hanoi.tenant,
        at=rows[1].at,
        chain=rows[1].chain,
        seq=rows[1].seq + 1,
        prev_hash="f" * 64,
        detail={"option": "for"},
    )
    forged.hash = audit.hash_of(forged)
    forged.save(force_insert=True)
    AuditChain.objects.filter(key=rows[1].chain).update(last_seq=forged.seq, last_hash=forged.hash)
    _count, broken = _verify(hanoi)
    assert broken is not None and broken.row_id == forged.pk and "hash of the row before" in broken.reason


def test_verify_audit_says_intact_or_names_the_first_row_that_does_not_fit(hanoi: World, capsys) -> None:
    rows = _record_some(hanoi)
    call_command("verify_audit", "--tenant", hanoi.tenant.slug)
    out = capsys.readouterr().out
    assert f"t{hanoi.tenant.pk}" in out and rows[-1].hash in out
    with _triggers_off() as cursor:
        cursor.execute("DELETE FROM ecabinet_auditevent WHERE id = %s", [rows[1].pk])
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit")
    out = capsys.readouterr().out
    assert refused.value.returncode == 1
    assert f"t{hanoi.tenant.pk}" in out and f"#{rows[1].seq}" in out
    with translation.override("vi"):
        assert "bị mất" in str(audit.verify(rows[1].chain)[1])
    with pytest.raises(CommandError):
        call_command("verify_audit", "--tenant", "no-such-tenant")


def test_two_rows_never_take_the_same_link(hanoi: World) -> None:
    row = _record_some(hanoi, 1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(
            kind="login", chain=row.chain, seq=row.seq, prev_hash=row.prev_hash, hash=row.hash
        )


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_writers_on_many_connections_make_one_unbroken_chain(hanoi: World) -> None:
    writers, each = 12, 5
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(each):
                with transaction.atomic():
                    audit.record(audit.Kind.RULES_CHANGED, tenant=hanoi.tenant, writer=n, i=i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    _count, broken = _verify(hanoi)
    assert broken is None, broken
    assert (
        AuditEvent.objects.filter(chain=f"t{hanoi.tenant.pk}", kind="rules_changed").count() == writers * each
    )


# --- a meeting's events, chained the same way ----------------------------------------------


def test_a_meetings_events_are_a_chain_and_a_changed_one_is_named(in_hanoi) -> None:  # type: ignore[no-untyped-def]
    from ecabinet.models import Event, EventStream
    from ecabinet.realtime import event_hash, publish_on_commit, verify_stream

    stream = EventStream.objects.get(pk=in_hanoi.meeting.stream_id)
    start = stream.last_seq
    events = [publish_on_commit(stream, "test.event", {"n": n, "text": "Hà Nội"}) for n in range(3)]
    stream.refresh_from_db()
    assert [e.seq for e in events] == [start + 1, start + 2, start + 3]
    assert stream.last_hash == events[-1].hash
    for earlier, later in itertools.pairwise(events):
        assert event_hash(later, earlier.hash) == later.hash
    assert verify_stream(stream) == (start + 3, None)
    Event.objects.filter(pk=events[1].pk).update(data={"n": 99})
    count, why = verify_stream(stream)
    assert count == start + 1 and why is not None and f"#{events[1].seq}" in why
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=io.StringIO())
