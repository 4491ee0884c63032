"""The secretariat's paper pages: who gets them, every form (upload, details,
order, distribution, withdrawal, end of reading, the tenant's settings),
refusals as messages (never a 500), and a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from documents.access import access_paper, paper_settings
from documents.actions import do_withdraw_paper
from documents.models import MeetingPapers, Paper
from ecabinet.errors import NotFound
from ecabinet.models import Event
from ecabinet.tenancy import tenant_context
from meetings.models import Meeting
from tests.conftest import World
from tests.documents.conftest import make_pdf, pdf_upload

PARTICIPANTS = ["chair", "vice_chair", "member", "guest", "observer"]


def papers_url(world: World) -> str:
    return reverse("documents:papers-manage", args=[world.meeting.pk])


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def fresh(world: World, paper: Paper) -> Paper:
    with tenant_context(world.tenant):
        return Paper.objects.select_related("current_version").get(pk=paper.pk)


def writes(world: World, paper: Paper) -> dict[str, dict[str, Any]]:
    meeting_id = world.meeting.pk
    return {
        reverse("documents:paper-upload", args=[meeting_id]): {
            "file": pdf_upload(),
            "title": "Chen ngang",
            "kind": "other",
        },
        reverse("documents:papers-end-reading", args=[meeting_id]): {},
        reverse("documents:paper-replace", args=[paper.pk]): {"file": pdf_upload(make_pdf(9))},
        reverse("documents:paper-details", args=[paper.pk]): {
            "title": "Đổi tên",
            "kind": "report",
            "item": "",
        },
        reverse("documents:paper-distribution", args=[paper.pk]): {
            "restricted": "on",
            "recipients": [world.member.pk],
        },
        reverse("documents:paper-move", args=[paper.pk]): {"direction": "down"},
        reverse("documents:paper-withdraw", args=[paper.pk]): {},
    }


def reads(world: World, paper: Paper) -> list[str]:
    return [papers_url(world), reverse("documents:paper-manage", args=[paper.pk])]


# --- who gets which page -------------------------------------------------------------------


def test_the_secretariat_gets_the_papers_page_by_item(hanoi: World, upload_paper) -> None:
    first = upload_paper(hanoi, title="Tờ trình về đầu tư công")
    second = upload_paper(hanoi, item_index=1, title="Báo cáo kinh tế - xã hội", kind="report")
    whole = upload_paper(hanoi, item_index=None, title="Chương trình phiên họp", kind="other")
    html = hanoi.client(hanoi.secretary).get(papers_url(hanoi)).content.decode()
    for paper in (first, second, whole):
        assert f'id="paper-{paper.pk}"' in html and paper.title in html
    # in agenda order, the whole meeting's papers last
    assert html.index(first.title) < html.index(second.title) < html.index(whole.title)
    assert 'id="upload-form"' in html and 'enctype="multipart/form-data"' in html
    assert 'data-limit-bytes="104857600"' in html
    assert 'id="end-reading-form"' in html


def test_the_console_and_the_rules_page_link_to_the_papers(hanoi: World) -> None:
    client = hanoi.client(hanoi.secretary)
    console = client.get(reverse("meetings:meeting-manage", args=[hanoi.meeting.pk])).content.decode()
    assert f'href="{papers_url(hanoi)}"' in console and 'id="papers-link"' in console
    rules = client.get(reverse("meetings:meeting-rules")).content.decode()
    assert f'href="{reverse("documents:paper-settings")}"' in rules


@pytest.mark.parametrize("who", PARTICIPANTS)
def test_participants_get_403_on_every_page_and_form(hanoi: World, upload_paper, who: str) -> None:
    paper = upload_paper(hanoi)
    client = hanoi.client(getattr(hanoi, who))
    for url in reads(hanoi, paper):
        assert client.get(url).status_code == 403, url
    for url, data in writes(hanoi, paper).items():
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("documents:paper-settings")).status_code == 403
    assert (
        client.post(reverse("documents:paper-settings"), {"max_upload_mb": 1, "grace_days": 0}).status_code
        == 403
    )
    paper = fresh(hanoi, paper)
    assert (paper.title, paper.restricted, paper.withdrawn_at, paper.current_version.number) == (  # type: ignore[union-attr]
        "Tờ trình về kế hoạch đầu tư công",
        False,
        None,
        1,
    )
    with tenant_context(hanoi.tenant):
        assert Paper.objects.count() == 1
        assert not MeetingPapers.objects.filter(revoked_at__isnull=False).exists()
        assert paper_settings(hanoi.tenant).max_upload_mb == 100


def test_a_colleague_outside_the_meeting_and_another_tenant_get_404(
    hanoi: World, danang: World, upload_paper
) -> None:
    paper = upload_paper(hanoi)
    foreign = upload_paper(danang)
    outsider = hanoi.client(hanoi.other_member)
    for url in reads(hanoi, paper):
        assert outsider.get(url).status_code == 404, url
    for url, data in writes(hanoi, paper).items():
        assert outsider.post(url, data).status_code == 404, url
    # the secretariat of Hà Nội, on its own host, asking for Đà Nẵng's
    secretary = hanoi.client(hanoi.secretary)
    for url in reads(danang, foreign):
        assert secretary.get(url).status_code == 404, url
    for url, data in writes(danang, foreign).items():
        assert secretary.post(url, data).status_code == 404, url
    with tenant_context(danang.tenant):
        assert Paper.objects.get(pk=foreign.pk).withdrawn_at is None


def test_anonymous_and_another_tenants_account_are_sent_to_login(
    hanoi: World, danang: World, upload_paper
) -> None:
    paper = upload_paper(hanoi)
    for client in (hanoi.client(), hanoi.client(danang.secretary)):
        for url in [*reads(hanoi, paper), reverse("documents:paper-settings")]:
            response = client.get(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        for url in writes(hanoi, paper):
            assert client.post(url, {}).status_code == 302, url


def test_every_write_needs_post(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.secretary)
    for url in writes(hanoi, paper):
        assert client.get(url).status_code == 405, url


# --- the forms ---------------------------------------------------------------------------------


def test_the_secretariat_uploads_a_paper_for_named_people(hanoi: World) -> None:
    response = hanoi.client(hanoi.secretary).post(
        reverse("documents:paper-upload", args=[hanoi.meeting.pk]),
        {
            "file": pdf_upload(make_pdf(6)),
            "title": "Dự thảo Nghị quyết về phát triển kinh tế - xã hội",
            "kind": "draft",
            "presenting_unit": "Sở Kế hoạch và Đầu tư",
            "item": hanoi.items[2].pk,
            "restricted": "on",
            "recipients": [hanoi.chair.pk, hanoi.vice_chair.pk],
            "downloadable": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == ["Tài liệu đã được tải lên và gửi tới người nhận."]
    with tenant_context(hanoi.tenant):
        paper = Paper.objects.get()
        assert (paper.kind, paper.presenting_unit, paper.item_id, paper.page_count) == (
            "draft",
            "Sở Kế hoạch và Đầu tư",
            hanoi.items[2].pk,
            6,
        )
        assert paper.restricted and paper.downloadable
        access_paper(hanoi.chair, paper.pk)
        with pytest.raises(NotFound):
            access_paper(hanoi.member, paper.pk)
    assert response.redirect_chain[-1][0].endswith(f"#paper-{paper.pk}")


def test_a_paper_uploaded_to_a_draft_meeting_is_not_said_to_be_sent(hanoi: World) -> None:
    with tenant_context(hanoi.tenant):
        Meeting.objects.filter(pk=hanoi.meeting.pk).update(status=Meeting.Status.DRAFT)
    response = hanoi.client(hanoi.secretary).post(
        reverse("documents:paper-upload", args=[hanoi.meeting.pk]),
        {"file": pdf_upload(make_pdf(2)), "title": "Tờ trình", "kind": "submission"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response) == [
        "Tài liệu đã được tải lên. Người nhận sẽ nhận được khi cuộc họp được công bố."
    ]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"title": "", "kind": "submission"}, "Tên tài liệu"),
        ({"title": "Tờ trình", "kind": "secret"}, "Loại tài liệu"),
        ({"title": "Tờ trình", "kind": "submission", "item": 999999}, "Nội dung"),
        ({"title": "Tờ trình", "kind": "submission", "item": "abc"}, "Nội dung"),
        ({"title": "Tờ trình", "kind": "submission", "restricted": "on"}, "ít nhất một người"),
        ({"title": "Tờ trình", "kind": "submission", "restricted": "on", "recipients": ["x"]}, "Người nhận"),
        ({"title": "x" * 501, "kind": "submission"}, "Tên tài liệu"),
    ],
)
def test_bad_upload_input_gives_a_message_not_a_500(hanoi: World, form: dict[str, Any], message: str) -> None:
    response = hanoi.client(hanoi.secretary).post(
        reverse("documents:paper-upload", args=[hanoi.meeting.pk]),
        {"file": pdf_upload(), **form},
        follow=True,
    )
    assert response.status_code == 200
    assert any(message in m for m in messages_of(response)), messages_of(response)
    with tenant_context(hanoi.tenant):
        assert not Paper.objects.exists()


def test_an_upload_without_a_file_is_a_message(hanoi: World) -> None:
    response = hanoi.client(hanoi.secretary).post(
        reverse("documents:paper-upload", args=[hanoi.meeting.pk]),
        {"title": "Tờ trình", "kind": "submission"},
        follow=True,
    )
    assert any("Tệp PDF" in m for m in messages_of(response)), messages_of(response)


def test_the_secretariat_changes_a_papers_details_and_item(hanoi: World, upload_paper) -> None:
    already = upload_paper(hanoi, item_index=1)
    paper = upload_paper(hanoi)
    response = hanoi.client(hanoi.secretary).post(
        reverse("documents:paper-details", args=[paper.pk]),
        {
            "title": "Báo cáo tổng hợp ý kiến",
            "kind": "report",
            "presenting_unit": "Sở Tư pháp",
            "item": hanoi.items[1].pk,
        },
        follow=True,
    )
    assert messages_of(response) == ["Đã lưu tài liệu."]
    paper = fresh(hanoi, paper)
    assert (paper.title, paper.kind, paper.presenting_unit, paper.item_id) == (
        "Báo cáo tổng hợp ý kiến",
        "report",
        "Sở Tư pháp",
        hanoi.items[1].pk,
    )
    assert paper.position == fresh(hanoi, already).position + 1  # at the end of its new item
    event = Event.objects.filter(type="paper.changed").get()
    assert event.data == {"paper_id": paper.pk}
    assert event.audience is None  # those of both items must refetch; the frame names only the id


def test_the_secretariat_orders_the_papers_of_an_item(hanoi: World, upload_paper) -> None:
    papers = [upload_paper(hanoi, title=f"Tài liệu {n}") for n in range(3)]
    client = hanoi.client(hanoi.secretary)
    response = client.post(
        reverse("documents:paper-move", args=[papers[2].pk]), {"direction": "up"}, follow=True
    )
    assert messages_of(response) == ["Đã lưu thứ tự tài liệu."]
    with tenant_context(hanoi.tenant):
        order = list(
            Paper.objects.filter(item=hanoi.items[0]).order_by("position").values_list("pk", flat=True)
        )
    assert order == [papers[0].pk, papers[2].pk, papers[1].pk]
    response = client.post(
        reverse("documents:paper-move", args=[papers[0].pk]), {"direction": "up"}, follow=True
    )
    assert messages_of(response) == ["Tài liệu này đã ở đầu danh sách."]
    response = client.post(
        reverse("documents:paper-move", args=[papers[0].pk]), {"direction": "sideways"}, follow=True
    )
    assert response.status_code == 200 and messages_of(response)


def test_the_secretariat_restricts_and_withdraws(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.secretary)
    response = client.post(
        reverse("documents:paper-distribution", args=[paper.pk]),
        {"restricted": "on", "recipients": [hanoi.chair.pk]},
        follow=True,
    )
    assert messages_of(response) == ["Đã lưu danh sách người nhận tài liệu."]
    assert hanoi.client(hanoi.member).get(f"/api/v1/papers/{paper.pk}/").status_code == 404
    assert hanoi.client(hanoi.chair).get(f"/api/v1/papers/{paper.pk}/").status_code == 200
    # a guest not invited to the item cannot be named: the refusal is a message
    response = client.post(
        reverse("documents:paper-distribution", args=[paper.pk]),
        {"restricted": "on", "recipients": [hanoi.guest.pk]},
        follow=True,
    )
    assert any("không được mời" in m for m in messages_of(response)), messages_of(response)
    response = client.post(reverse("documents:paper-withdraw", args=[paper.pk]), follow=True)
    assert fresh(hanoi, paper).withdrawn_at is not None
    assert hanoi.client(hanoi.chair).get(f"/api/v1/papers/{paper.pk}/").status_code == 404
    html = client.get(papers_url(hanoi)).content.decode()
    assert "paper-withdrawn" in html
    # withdrawn: the paper page still shows it, with its versions, but no forms
    html = client.get(reverse("documents:paper-manage", args=[paper.pk])).content.decode()
    assert 'id="version-1"' in html and 'id="replace-form"' not in html
    response = client.post(reverse("documents:paper-withdraw", args=[paper.pk]), follow=True)
    assert messages_of(response) == ["Tài liệu này đã được rút."]


def test_the_secretariat_ends_reading(hanoi: World, upload_paper) -> None:
    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.secretary)
    response = client.post(reverse("documents:papers-end-reading", args=[hanoi.meeting.pk]), follow=True)
    assert response.status_code == 200 and messages_of(response)
    assert hanoi.client(hanoi.member).get(f"/api/v1/papers/{paper.pk}/").status_code == 403
    html = client.get(papers_url(hanoi)).content.decode()
    assert 'id="end-reading-form"' not in html


def test_the_secretariat_sets_the_paper_settings(hanoi: World) -> None:
    client = hanoi.client(hanoi.secretary)
    page = client.get(reverse("documents:paper-settings"))
    assert page.status_code == 200 and 'value="100"' in page.content.decode()
    response = client.post(
        reverse("documents:paper-settings"), {"max_upload_mb": 40, "grace_days": 3}, follow=True
    )
    assert messages_of(response) == ["Đã lưu thiết lập tài liệu."]
    with tenant_context(hanoi.tenant):
        found = paper_settings(hanoi.tenant)
        assert (found.max_upload_mb, found.grace_days) == (40, 3)
    for bad in (
        {"max_upload_mb": 0, "grace_days": 3},
        {"max_upload_mb": 40, "grace_days": -1},
        {"max_upload_mb": "x"},
    ):
        response = client.post(reverse("documents:paper-settings"), bad, follow=True)
        assert response.status_code == 200 and messages_of(response), bad
    with tenant_context(hanoi.tenant):
        assert paper_settings(hanoi.tenant).max_upload_mb == 40


def test_a_closed_meeting_shows_its_papers_without_forms(hanoi: World, upload_paper) -> None:
    from meetings import actions as meeting_actions

    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        meeting = meeting_actions.do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        meeting_actions.do_close_meeting(meeting, acting_user=hanoi.chair)
    client = hanoi.client(hanoi.secretary)
    html = client.get(papers_url(hanoi)).content.decode()
    assert paper.title in html and 'id="upload-form"' not in html
    response = client.post(
        reverse("documents:paper-upload", args=[hanoi.meeting.pk]),
        {"file": pdf_upload(), "title": "Muộn", "kind": "submission"},
        follow=True,
    )
    assert any("đã kết thúc" in m for m in messages_of(response)), messages_of(response)


# --- queries ----------------------------------------------------------------------------------


def test_the_papers_page_runs_a_fixed_number_of_queries(
    hanoi: World, upload_paper, django_assert_max_num_queries: Any
) -> None:
    client = hanoi.client(hanoi.secretary)
    upload_paper(hanoi)
    client.get(papers_url(hanoi))  # warm the session and the readers' group
    with django_assert_max_num_queries(30) as small:
        assert client.get(papers_url(hanoi)).status_code == 200
    for n in range(12):
        paper = upload_paper(hanoi, item_index=n % 3 if n % 4 else None, title=f"Tài liệu {n}")
        if n % 5 == 0:
            with tenant_context(hanoi.tenant):
                do_withdraw_paper(paper, acting_user=hanoi.secretary)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(papers_url(hanoi)).content.decode()
    assert html.count('class="manage-paper"') == 10


def test_the_paper_page_runs_a_fixed_number_of_queries(
    hanoi: World, upload_paper, django_assert_max_num_queries: Any
) -> None:
    from documents.actions import do_replace_paper

    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.secretary)
    client.get(reverse("documents:paper-manage", args=[paper.pk]))
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("documents:paper-manage", args=[paper.pk]))
    with tenant_context(hanoi.tenant):
        for n in range(5):
            do_replace_paper(paper, upload=pdf_upload(make_pdf(n + 4)), acting_user=hanoi.secretary)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("documents:paper-manage", args=[paper.pk])).content.decode()
    assert html.count('id="version-') == 6


def test_an_upload_needs_the_forms_csrf_token(hanoi: World) -> None:
    # the upload view sets its size limit before CSRF's check reads the form: the check must still run
    from django.test import Client

    client = Client(HTTP_HOST=hanoi.host, enforce_csrf_checks=True)
    client.force_login(hanoi.secretary)
    url = reverse("documents:paper-upload", args=[hanoi.meeting.pk])
    form = {"title": "Tờ trình", "kind": "submission"}
    assert client.post(url, {"file": pdf_upload(), **form}).status_code == 403
    with tenant_context(hanoi.tenant):
        assert not Paper.objects.exists()
    client.get(papers_url(hanoi))
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"file": pdf_upload(), "csrfmiddlewaretoken": token, **form})
    assert response.status_code == 302
    with tenant_context(hanoi.tenant):
        assert Paper.objects.count() == 1
