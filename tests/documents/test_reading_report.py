"""The reading report: per paper who has opened it, and before the session
which participant has not opened which paper — for the secretariat and the
chair only, in a fixed number of queries."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from documents import reading
from documents.access import access_paper
from documents.actions import do_replace_paper
from documents.models import Paper
from documents.selectors import paper_readers
from documents.serving import signed_link
from ecabinet.tenancy import tenant_context
from meetings.access import access_meeting
from tests.conftest import World
from tests.documents.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def open_paper(world: World, user: Any, paper: Paper) -> None:
    """Open the paper the way a tablet does: through the signed link to the reader's copy."""
    with tenant_context(world.tenant):
        link = signed_link(access_paper(user, paper.pk))
    response = world.client(user).get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def summary_for(world: World, user: Any) -> reading.MeetingReading:
    with tenant_context(world.tenant):
        return reading.meeting_reading(access_meeting(user, world.meeting.pk))


def statuses(summary: reading.MeetingReading) -> dict[tuple[int, int], str]:
    return {
        (row.participant.user_id, cell.paper.pk): cell.status for row in summary.rows for cell in row.cells
    }


def test_the_unread_report_is_right(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    # given: two papers of the first item, one of the second, one for the chair and member only
    a = upload_paper(hanoi, title="A")
    b = upload_paper(hanoi, title="B")
    c = upload_paper(hanoi, item_index=1, title="C")
    d = upload_paper(hanoi, restricted=True, recipients=[hanoi.chair, hanoi.member], title="D")
    open_paper(hanoi, hanoi.member, a)
    open_paper(hanoi, hanoi.member, a)
    open_paper(hanoi, hanoi.member, d)
    open_paper(hanoi, hanoi.chair, b)
    open_paper(hanoi, hanoi.guest, c)
    # the secretariat opening a paper is not a participant's reading
    open_paper(hanoi, hanoi.secretary, b)

    # when
    summary = summary_for(hanoi, hanoi.secretary)

    # then
    got = statuses(summary)
    assert got[(hanoi.member.pk, a.pk)] == reading.OPENED
    assert got[(hanoi.member.pk, b.pk)] == reading.UNREAD
    assert got[(hanoi.member.pk, c.pk)] == reading.UNREAD
    assert got[(hanoi.member.pk, d.pk)] == reading.OPENED
    assert got[(hanoi.chair.pk, b.pk)] == reading.OPENED
    assert got[(hanoi.chair.pk, d.pk)] == reading.UNREAD
    assert got[(hanoi.vice_chair.pk, d.pk)] == reading.NOT_RECEIVED
    assert got[(hanoi.guest.pk, a.pk)] == reading.NOT_RECEIVED
    assert got[(hanoi.guest.pk, c.pk)] == reading.OPENED
    assert hanoi.secretary.pk not in {row.participant.user_id for row in summary.rows}
    unread = {row.participant.user_id: {p.title for p in row.unread} for row in summary.rows}
    assert unread[hanoi.member.pk] == {"B", "C"}
    assert unread[hanoi.chair.pk] == {"A", "C", "D"}
    assert unread[hanoi.vice_chair.pk] == {"A", "B", "C"}
    assert unread[hanoi.guest.pk] == set()
    columns = {column.paper.title: (column.opened, column.recipients) for column in summary.papers}
    # chair, vice-chair, member, observer receive A and B; the guest too for C
    assert columns == {"A": (1, 4), "B": (1, 4), "C": (1, 5), "D": (1, 2)}


def test_the_bulk_recipients_agree_with_paper_readers(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    papers = [
        upload_paper(hanoi),
        upload_paper(hanoi, item_index=1),
        upload_paper(hanoi, item_index=None),
        upload_paper(hanoi, restricted=True, recipients=[hanoi.vice_chair]),
    ]
    with tenant_context(hanoi.tenant):
        from meetings.models import Participant

        participants = list(Participant.objects.filter(meeting=hanoi.meeting))
        bulk = reading._recipients(papers, participants)
        for paper in papers:
            assert bulk[paper.pk] == {user.pk for user in paper_readers(paper)}


def test_a_member_who_read_an_older_version_only_is_shown_so(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given
    paper = upload_paper(hanoi, pages=2)
    open_paper(hanoi, hanoi.member, paper)
    open_paper(hanoi, hanoi.chair, paper)
    with tenant_context(hanoi.tenant):
        do_replace_paper(paper, upload=pdf_upload(pages=3), acting_user=hanoi.secretary)
    open_paper(hanoi, hanoi.chair, paper)

    # then
    got = statuses(summary_for(hanoi, hanoi.secretary))
    assert got[(hanoi.member.pk, paper.pk)] == reading.OLDER
    assert got[(hanoi.chair.pk, paper.pk)] == reading.OPENED
    with tenant_context(hanoi.tenant):
        rows = {row.user.pk: row for row in reading.paper_reading(access_paper(hanoi.secretary, paper.pk))}
    assert rows[hanoi.chair.pk].reading.opens == 2
    assert rows[hanoi.chair.pk].reading.version_list == [1, 2]
    assert rows[hanoi.member.pk].status == reading.OLDER
    assert rows[hanoi.vice_chair.pk].status == reading.UNREAD


def test_the_chair_sees_the_papers_the_chair_receives(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    upload_paper(hanoi, title="Cho mọi người")
    upload_paper(hanoi, restricted=True, recipients=[hanoi.vice_chair], title="Chỉ Phó Chủ tịch")
    chair = [c.paper.title for c in summary_for(hanoi, hanoi.chair).papers]
    secretariat = [c.paper.title for c in summary_for(hanoi, hanoi.secretary).papers]
    assert chair == ["Cho mọi người"]
    assert secretariat == ["Cho mọi người", "Chỉ Phó Chủ tịch"]


# --- the pages ----------------------------------------------------------------------------


def report_url(world: World) -> str:
    return f"/meetings/{world.meeting.pk}/papers/reading/"


def test_the_report_pages_for_the_secretariat_and_the_chair_only(
    hanoi: World, danang: World, upload_paper: Callable[..., Paper]
) -> None:
    paper = upload_paper(hanoi)
    paper_url = f"/papers/{paper.pk}/reading/"
    for user in (hanoi.secretary, hanoi.chair):
        assert hanoi.client(user).get(report_url(hanoi)).status_code == 200
        assert hanoi.client(user).get(paper_url).status_code == 200
    for user in (hanoi.vice_chair, hanoi.member, hanoi.observer):
        assert hanoi.client(user).get(report_url(hanoi)).status_code == 403
        assert hanoi.client(user).get(paper_url).status_code == 403
    for user in (hanoi.other_member,):
        assert hanoi.client(user).get(report_url(hanoi)).status_code == 404
        assert hanoi.client(user).get(paper_url).status_code == 404
    # a guest may not even see that the paper exists
    assert hanoi.client(hanoi.guest).get(paper_url).status_code == 404
    assert danang.client(danang.secretary).get(report_url(hanoi)).status_code == 404
    assert danang.client(danang.secretary).get(paper_url).status_code == 404
    assert danang.client(danang.chair).get(f"/meetings/{hanoi.meeting.pk}/papers/reading/").status_code == 404


def test_the_report_page_lists_who_has_not_opened_what(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given
    read = upload_paper(hanoi, title="Tờ trình đã đọc")
    unread = upload_paper(hanoi, title="Dự thảo chưa đọc")
    open_paper(hanoi, hanoi.member, read)

    # when
    html = hanoi.client(hanoi.chair).get(report_url(hanoi)).content.decode()

    # then
    member_block = re.search(rf'<li data-user-id="{hanoi.member.pk}">(.*?)</ul>', html, flags=re.S)
    assert member_block is not None
    assert "Dự thảo chưa đọc" in member_block.group(1)
    assert "Tờ trình đã đọc" not in member_block.group(1)
    assert f'data-paper-id="{read.pk}" data-status="opened"' in html
    assert f'data-paper-id="{unread.pk}" data-status="unread"' in html

    # and per paper
    page = hanoi.client(hanoi.secretary).get(f"/papers/{read.pk}/reading/").content.decode()
    assert f'data-user-id="{hanoi.member.pk}" data-status="opened"' in page
    assert f'data-user-id="{hanoi.vice_chair.pk}" data-status="unread"' in page


def test_the_report_costs_a_fixed_number_of_queries(
    hanoi: World, upload_paper: Callable[..., Paper], django_assert_num_queries: Any
) -> None:
    # given: one paper, one open
    first = upload_paper(hanoi)
    open_paper(hanoi, hanoi.member, first)
    client = hanoi.client(hanoi.secretary)
    client.get(report_url(hanoi))
    reset_queries()  # a request clears the log mid-way: start it empty
    with CaptureQueriesContext(connection) as small:
        assert client.get(report_url(hanoi)).status_code == 200
    # counted at once: a captured list is a live view of the log, which the next reset clears
    expected = len(small)
    assert expected <= 14
    reset_queries()  # a request clears the log mid-way: start it empty
    with CaptureQueriesContext(connection) as small_paper:
        assert client.get(f"/papers/{first.pk}/reading/").status_code == 200
    expected_paper = len(small_paper)

    # when: many more papers, readers and opens
    more = [upload_paper(hanoi, item_index=i % 3) for i in range(5)]
    more.append(upload_paper(hanoi, restricted=True, recipients=[hanoi.chair, hanoi.member]))
    for paper in more[:4]:
        open_paper(hanoi, hanoi.chair, paper)
        open_paper(hanoi, hanoi.vice_chair, paper)
    for _ in range(3):
        open_paper(hanoi, hanoi.observer, first)
    open_paper(hanoi, hanoi.secretary, first)

    # then: the same number of queries
    reset_queries()  # a request clears the log mid-way: start it empty
    with django_assert_num_queries(expected):
        assert client.get(report_url(hanoi)).status_code == 200
    reset_queries()  # a request clears the log mid-way: start it empty
    with CaptureQueriesContext(connection) as large_paper:
        assert client.get(f"/papers/{first.pk}/reading/").status_code == 200
    # one more: the secretariat, who is no participant, opened it and is looked up
    assert len(large_paper) == expected_paper + 1
