"""The tablet's reader page: shown to those who receive the paper, the same
404 for everyone else, a clear "no longer available" once reading has ended,
and the paper itself only through a signed link to the reader's own copy."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from documents.access import access_paper
from documents.actions import do_end_reading, do_replace_paper, do_set_distribution, do_withdraw_paper
from documents.models import Paper, PaperOpen
from documents.notes import do_add_note
from ecabinet.tenancy import tenant_context
from tests.conftest import World
from tests.documents.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def reader_url(paper: Paper) -> str:
    return f"/papers/{paper.pk}/"


def copy_link(html: str) -> str:
    found = re.search(r'href="(/papers/\d+/copy/[^"]+)"', html)
    assert found, "the page has no link to the reader's copy"
    return found.group(1)


@pytest.mark.parametrize("who", ["chair", "vice_chair", "member", "observer", "secretary"])
def test_everyone_who_receives_the_paper_gets_the_reader(
    hanoi: World, upload_paper: Callable[..., Paper], who: str
) -> None:
    # given
    paper = upload_paper(hanoi, pages=4, title="Tờ trình về kế hoạch đầu tư công năm 2027")

    # when
    response = hanoi.client(getattr(hanoi, who)).get(reader_url(paper))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tờ trình về kế hoạch đầu tư công năm 2027" in html
    assert html.count('class="thumb"') == 4
    assert "vendor/pdfjs/pdf.min.mjs" in html and "vendor/pdfjs/pdf.worker.min.mjs" in html
    # nothing loaded from another origin (a CDN): every src and href is the server's own
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)


def test_the_link_on_the_page_serves_the_readers_own_stamped_copy(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given
    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.member)
    html = client.get(reader_url(paper)).content.decode()

    # when
    response = client.get(copy_link(html))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    # and the same link is no use to someone else
    assert hanoi.client(hanoi.vice_chair).get(copy_link(html)).status_code in (403, 404)


def test_a_guest_reads_the_papers_of_its_own_item_only(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given: the guest is invited to the second item only
    own = upload_paper(hanoi, item_index=1)
    other = upload_paper(hanoi, item_index=0)
    client = hanoi.client(hanoi.guest)

    # then
    assert client.get(reader_url(own)).status_code == 200
    assert client.get(reader_url(other)).status_code == 404


def test_those_who_do_not_receive_the_paper_get_the_same_404(
    hanoi: World, danang: World, upload_paper: Callable[..., Paper]
) -> None:
    # given
    paper = upload_paper(hanoi)
    restricted = upload_paper(hanoi, restricted=True, recipients=[hanoi.chair])
    withdrawn = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        do_withdraw_paper(withdrawn, acting_user=hanoi.secretary)

    # then: not in the meeting, another tenant's user, not named, withdrawn, missing
    assert hanoi.client(hanoi.other_member).get(reader_url(paper)).status_code == 404
    assert danang.client(danang.member).get(reader_url(paper)).status_code == 404
    assert danang.client(danang.secretary).get(reader_url(paper)).status_code == 404
    assert hanoi.client(hanoi.member).get(reader_url(restricted)).status_code == 404
    assert hanoi.client(hanoi.chair).get(reader_url(restricted)).status_code == 200
    assert hanoi.client(hanoi.member).get(reader_url(withdrawn)).status_code == 404
    assert hanoi.client(hanoi.member).get("/papers/999999999/").status_code == 404
    assert hanoi.client(hanoi.member).get("/papers/99999999999999999999999/").status_code == 404


def test_a_reader_taken_off_a_paper_loses_it(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    # given: the member reads a paper for everyone
    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.member)
    assert client.get(reader_url(paper)).status_code == 200

    # when: the secretariat restricts it to the chair
    with tenant_context(hanoi.tenant):
        do_set_distribution(
            paper, restricted=True, recipients=[hanoi.chair], downloadable=False, acting_user=hanoi.secretary
        )

    # then
    assert client.get(reader_url(paper)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    paper = upload_paper(hanoi)
    response = hanoi.client().get(reader_url(paper))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_after_reading_ends_a_member_is_told_the_paper_is_no_longer_available(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given
    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)

    # when
    response = hanoi.client(hanoi.member).get(reader_url(paper))

    # then: a page that says so, not a bare 404
    assert response.status_code == 403
    html = response.content.decode()
    assert "Tài liệu này không còn" in html or "no longer available" in html
    assert "/copy/" not in html
    # the chair and the secretariat read on
    assert hanoi.client(hanoi.chair).get(reader_url(paper)).status_code == 200
    assert hanoi.client(hanoi.secretary).get(reader_url(paper)).status_code == 200


def test_next_and_previous_paper_of_the_item(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    # given: three papers on the first item, one on the second
    first = upload_paper(hanoi, title="Tờ trình")
    second = upload_paper(hanoi, title="Dự thảo nghị quyết")
    third = upload_paper(hanoi, title="Báo cáo thẩm định")
    upload_paper(hanoi, item_index=1, title="Báo cáo khác")
    client = hanoi.client(hanoi.member)

    # when
    html = client.get(reader_url(second)).content.decode()

    # then
    assert f'id="previous-paper" href="/papers/{first.pk}/"' in html
    assert f'id="next-paper" href="/papers/{third.pk}/"' in html
    first_html = client.get(reader_url(first)).content.decode()
    assert 'id="previous-paper"' not in first_html
    assert f'id="next-paper" href="/papers/{second.pk}/"' in first_html
    assert 'id="next-paper"' not in client.get(reader_url(third)).content.decode()


def test_the_next_paper_skips_papers_the_reader_does_not_receive(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    first = upload_paper(hanoi)
    upload_paper(hanoi, restricted=True, recipients=[hanoi.chair])
    third = upload_paper(hanoi)
    html = hanoi.client(hanoi.member).get(reader_url(first)).content.decode()
    assert f'id="next-paper" href="/papers/{third.pk}/"' in html


def test_the_page_says_when_the_paper_changed_since_the_member_read_it(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    # given: the member opened version 1
    paper = upload_paper(hanoi, pages=2)
    with tenant_context(hanoi.tenant):
        PaperOpen.objects.create(
            tenant=hanoi.tenant,
            paper=paper,
            version=paper.current_version,
            reader=hanoi.member,
            at=timezone.now(),
        )
        # when: a new version arrives
        do_replace_paper(
            paper, upload=pdf_upload(pages=3), change_note="Bổ sung phụ lục", acting_user=hanoi.secretary
        )

    # then
    html = hanoi.client(hanoi.member).get(reader_url(paper)).content.decode()
    banner = re.search(r'<div class="reader-banner" id="updated-banner"[^>]*>', html)
    assert banner and "hidden" not in banner.group(0)
    assert "Bổ sung phụ lục" in html
    assert html.count('class="thumb"') == 3
    # someone who never read it gets no such banner
    other = hanoi.client(hanoi.vice_chair).get(reader_url(paper)).content.decode()
    banner = re.search(r'<div class="reader-banner" id="updated-banner"[^>]*>', other)
    assert banner and "hidden" in banner.group(0)


def test_the_download_button_only_for_downloadable_papers(
    hanoi: World, upload_paper: Callable[..., Paper]
) -> None:
    view_only = upload_paper(hanoi)
    downloadable = upload_paper(hanoi, downloadable=True)
    client = hanoi.client(hanoi.member)
    assert 'id="download"' not in client.get(reader_url(view_only)).content.decode()
    html = client.get(reader_url(downloadable)).content.decode()
    assert re.search(r'id="download" href="/papers/\d+/copy/[^"]+\?download=1"', html)


def test_the_reader_page_costs_the_same_whatever_the_number_of_notes(
    hanoi: World, upload_paper: Callable[..., Paper], django_assert_max_num_queries: Any
) -> None:
    # given
    paper = upload_paper(hanoi, pages=3)
    client = hanoi.client(hanoi.member)
    client.get(reader_url(paper))  # session and caches warm

    def add_notes(count: int) -> None:
        with tenant_context(hanoi.tenant):
            access = access_paper(hanoi.member, paper.pk)
            for n in range(count):
                do_add_note(access, page=1 + n % 3, text=f"Ghi chú {n}", acting_user=hanoi.member)

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    add_notes(1)
    reset_queries()  # a request clears the log mid-way: start it empty
    with CaptureQueriesContext(connection) as one:
        assert client.get(reader_url(paper)).status_code == 200
    expected = len(one)  # now: the captured list is a live view of the log
    add_notes(9)

    # then
    reset_queries()  # a request clears the log mid-way: start it empty
    with django_assert_max_num_queries(expected):
        response = client.get(reader_url(paper))
    assert response.content.decode().count("Ghi ch") >= 10


def test_the_agenda_links_each_paper_to_the_reader(hanoi: World, upload_paper: Callable[..., Paper]) -> None:
    # given
    paper = upload_paper(hanoi)
    meeting_url = f"/meetings/{hanoi.meeting.pk}/"

    # then: the member's agenda opens the paper in the reader; the report is not theirs
    html = hanoi.client(hanoi.member).get(meeting_url).content.decode()
    assert f'<a class="paper-link" href="/papers/{paper.pk}/">' in html
    assert 'id="reading-link"' not in html
    for user in (hanoi.chair, hanoi.secretary):
        assert (
            f'href="/meetings/{hanoi.meeting.pk}/papers/reading/"'
            in hanoi.client(user).get(meeting_url).content.decode()
        )

    # when: reading ends
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)

    # then: the member sees the paper listed, without a link, and why
    html = hanoi.client(hanoi.member).get(meeting_url).content.decode()
    assert f'href="/papers/{paper.pk}/"' not in html
    assert "không còn xem được" in html
    assert f'href="/papers/{paper.pk}/"' in hanoi.client(hanoi.chair).get(meeting_url).content.decode()


def test_the_meetings_own_papers_are_listed_and_open_in_the_reader(hanoi, upload_paper):
    # given a paper of the whole meeting, not of an item
    paper = upload_paper(hanoi, item_index=None, title="Chương trình phiên họp")
    # when a member and a guest open the meeting page
    for user in (hanoi.member, hanoi.guest):
        html = hanoi.client(user).get(f"/meetings/{hanoi.meeting.pk}/").content.decode()
        # then it is listed under the meeting's own papers, linked to the reader
        assert "Tài liệu chung của phiên họp" in html
        assert f'href="/papers/{paper.pk}/"' in html
        assert hanoi.client(user).get(f"/papers/{paper.pk}/").status_code == 200
