import threading

import pytest
from django.db import close_old_connections, transaction

from ecabinet.models import Event, EventStream
from ecabinet.realtime import events_since, publish_on_commit
from ecabinet.tenancy import tenant_context


def test_publish_numbers_events_one_after_another(in_hanoi):
    stream = in_hanoi.meeting.stream
    start = EventStream.objects.get(pk=stream.pk).last_seq
    first = publish_on_commit(stream, "test.one", {"n": 1})
    second = publish_on_commit(stream, "test.two", {"n": 2})
    assert (first.seq, second.seq) == (start + 1, start + 2)
    assert EventStream.objects.get(pk=stream.pk).last_seq == start + 2


def test_publish_sends_only_after_commit(in_hanoi, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setattr(
        "ecabinet.realtime.send_to_group", lambda group, frame, audience=None: sent.append((group, frame))
    )
    stream = in_hanoi.meeting.stream
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = publish_on_commit(stream, "test.sent", {"text": "Kết luận"})
        assert sent == []
    assert len(callbacks) == 1
    assert sent == [(stream.group_name, event.as_frame())]
    assert sent[0][1]["data"] == {"text": "Kết luận"}


def test_a_rolled_back_action_leaves_no_event_and_no_gap(in_hanoi):
    stream = in_hanoi.meeting.stream
    before = EventStream.objects.get(pk=stream.pk).last_seq
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_on_commit(stream, "test.lost", {})
        raise RuntimeError("the action failed")
    assert EventStream.objects.get(pk=stream.pk).last_seq == before
    assert not Event.objects.filter(type="test.lost").exists()
    after = publish_on_commit(stream, "test.kept", {})
    assert after.seq == before + 1


def test_replay_since_n_returns_exactly_the_later_events(in_hanoi):
    stream = in_hanoi.meeting.stream
    base = EventStream.objects.get(pk=stream.pk).last_seq
    for n in range(5):
        publish_on_commit(stream, "test.n", {"n": n})
    replay = events_since(stream, base + 2)
    assert [e.seq for e in replay] == [base + 3, base + 4, base + 5]
    assert [e.data["n"] for e in replay] == [2, 3, 4]
    assert events_since(stream, base + 5) == []


@pytest.mark.django_db(transaction=True)
def test_two_threads_publishing_get_consecutive_numbers(hanoi):
    stream = hanoi.meeting.stream
    start = EventStream.objects.get(pk=stream.pk).last_seq
    per_thread = 15
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def publish_many(name: str) -> None:
        try:
            barrier.wait()
            with tenant_context(hanoi.tenant):
                for n in range(per_thread):
                    with transaction.atomic():
                        publish_on_commit(EventStream.objects.get(pk=stream.pk), f"test.{name}", {"n": n})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=publish_many, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    seqs = list(
        Event.objects.filter(stream=stream, seq__gt=start).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(start + 1, start + 2 * per_thread + 1))
    assert EventStream.objects.get(pk=stream.pk).last_seq == start + 2 * per_thread
    # each thread's own events stay in the order it published them
    for name in ("a", "b"):
        ns = [e.data["n"] for e in Event.objects.filter(type=f"test.{name}").order_by("seq")]
        assert ns == list(range(per_thread))
