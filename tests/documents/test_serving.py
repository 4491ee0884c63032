"""Serving: signed links to stamped copies, checked on every request, every open audited."""

from __future__ import annotations

import io
import time
from typing import Any

import pypdf
import pytest
from django.core import signing
from rest_framework.authtoken.models import Token

from documents.access import PaperCopyAccess, ReadingEnded, access_paper, access_paper_copy
from documents.actions import (
    CopyUnavailable,
    do_end_reading,
    do_open_paper_copy,
    do_replace_paper,
    do_set_distribution,
    do_withdraw_paper,
)
from documents.models import PaperOpen, StampedCopy
from documents.serving import SALT, read_link, signed_link
from ecabinet.errors import Gone, Invalid, NotAllowed, NotFound
from ecabinet.models import AuditEvent
from ecabinet.tenancy import tenant_context
from tests.documents.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def link_for(world, user, paper, **kwargs: Any) -> str:  # type: ignore[no-untyped-def]
    with tenant_context(world.tenant):
        return signed_link(access_paper(user, paper.pk), **kwargs)


def forged_link(paper, user, *, version=None, age: int = 0) -> str:  # type: ignore[no-untyped-def]
    """A link signed with the site's key for anyone, as if made earlier (``age`` seconds ago).

    It stands for a link made while the user could still read the paper,
    before a restriction, a revocation or a new version.
    """

    class Signer(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - age)

    version_id = version.pk if version is not None else paper.current_version_id
    token = Signer(salt=SALT).sign_object({"p": paper.pk, "v": version_id, "u": user.pk})
    return f"/papers/{paper.pk}/copy/{token}/"


def body_of(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


def text_of(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def opens(world) -> int:  # type: ignore[no-untyped-def]
    with tenant_context(world.tenant):
        return PaperOpen.objects.count()


def audits(kind: str) -> int:
    return AuditEvent.objects.filter(kind=kind).count()


# --- the link that works -------------------------------------------------------------------


def test_signed_link_serves_the_readers_own_stamped_copy(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=3)
    url = link_for(hanoi, hanoi.member, paper)
    assert url.startswith(f"/papers/{paper.pk}/copy/")
    response = hanoi.client(hanoi.member).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = body_of(response)
    with tenant_context(hanoi.tenant):
        copy = StampedCopy.objects.get(version=paper.current_version, reader=hanoi.member)
    text = text_of(data)
    assert text.count(copy.trace_code) >= 3  # on every page
    assert "Giám đốc Phạm" in text


def test_the_copy_goes_out_inline_and_never_cached(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    response = hanoi.client(hanoi.member).get(link_for(hanoi, hanoi.member, paper))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert ".pdf" in response["Content-Disposition"]
    cache = response["Cache-Control"]
    assert "private" in cache and "no-store" in cache and "public" not in cache
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Pragma"] == "no-cache"
    assert "Cookie" in response["Vary"]
    assert not response.has_header("Accept-Ranges")
    assert not response.has_header("ETag") and not response.has_header("Last-Modified")


def test_one_open_is_one_read_row_and_one_audit_row(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    before = audits(AuditEvent.Kind.PAPER_OPENED)
    client = hanoi.client(hanoi.member)
    response = client.get(
        link_for(hanoi, hanoi.member, paper), HTTP_USER_AGENT="Tablet/1.0 (iPad)", REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    with tenant_context(hanoi.tenant):
        read = PaperOpen.objects.get()
        copy = StampedCopy.objects.get()
    assert (read.paper_id, read.version_id, read.reader_id, read.copy_id) == (
        paper.pk,
        paper.current_version_id,
        hanoi.member.pk,
        copy.pk,
    )
    assert (read.ip, read.user_agent, read.downloaded) == ("10.1.2.3", "Tablet/1.0 (iPad)", False)
    assert audits(AuditEvent.Kind.PAPER_OPENED) == before + 1
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.PAPER_OPENED).latest("pk")
    assert event.user_id == hanoi.member.pk and event.tenant_id == hanoi.tenant.pk
    assert (event.ip, event.user_agent) == ("10.1.2.3", "Tablet/1.0 (iPad)")
    assert event.detail["paper"] == paper.pk
    assert event.detail["version"] == paper.current_version_id
    assert event.detail["trace_code"] == copy.trace_code
    assert audits(AuditEvent.Kind.PAPER_DOWNLOADED) == 0


def test_the_second_open_is_served_from_the_cache(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.member)
    first = body_of(client.get(link_for(hanoi, hanoi.member, paper)))
    second = body_of(client.get(link_for(hanoi, hanoi.member, paper)))
    assert first == second
    with tenant_context(hanoi.tenant):
        assert StampedCopy.objects.count() == 1
        assert PaperOpen.objects.filter(reader=hanoi.member).count() == 2
    assert audits(AuditEvent.Kind.PAPER_OPENED) == 2


def test_the_secretariat_gets_a_stamped_copy_too(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    response = hanoi.client(hanoi.secretary).get(link_for(hanoi, hanoi.secretary, paper))
    assert response.status_code == 200
    assert "Chánh Văn phòng Lê" in text_of(body_of(response))


def test_a_link_lasts_as_long_as_the_setting_says(hanoi, upload_paper, settings) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    settings.ECABINET_PAPER_LINK_SECONDS = 60
    client = hanoi.client(hanoi.member)
    assert client.get(forged_link(paper, hanoi.member, age=50)).status_code == 200
    assert client.get(forged_link(paper, hanoi.member, age=70)).status_code == 410


def test_an_api_token_opens_the_link(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    key = Token.objects.create(user=hanoi.member).key
    response = hanoi.client().get(link_for(hanoi, hanoi.member, paper), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    # another reader's token is not the reader the link was made for
    other = Token.objects.create(user=hanoi.chair).key
    refused = hanoi.client().get(link_for(hanoi, hanoi.member, paper), HTTP_AUTHORIZATION=f"Token {other}")
    assert refused.status_code == 403
    assert (
        hanoi.client()
        .get(link_for(hanoi, hanoi.member, paper), HTTP_AUTHORIZATION="Token not-a-key")
        .status_code
        == 403
    )


# --- downloads ---------------------------------------------------------------------------


def test_a_downloadable_paper_downloads_as_an_attachment(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, downloadable=True)
    url = link_for(hanoi, hanoi.member, paper, download=True)
    assert url.endswith("?download=1")
    response = hanoi.client(hanoi.member).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"].startswith("private")
    with tenant_context(hanoi.tenant):
        assert PaperOpen.objects.get().downloaded is True
    assert audits(AuditEvent.Kind.PAPER_DOWNLOADED) == 1
    assert audits(AuditEvent.Kind.PAPER_OPENED) == 0


def test_a_view_only_paper_is_not_downloaded(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, downloadable=False)
    url = link_for(hanoi, hanoi.member, paper, download=True)
    assert "download" not in url  # the link does not offer it
    refused = hanoi.client(hanoi.member).get(url + "?download=1")
    assert refused.status_code == 403
    assert "chỉ được xem" in refused.content.decode()
    assert opens(hanoi) == 0
    assert audits(AuditEvent.Kind.PAPER_DOWNLOADED) == 0


@pytest.mark.parametrize("value", ["yes", "2", "1' or 1=1", "x" * 500])
def test_a_bad_download_value_is_a_clear_400(hanoi, upload_paper, value: str) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, downloadable=True)
    response = hanoi.client(hanoi.member).get(link_for(hanoi, hanoi.member, paper), {"download": value})
    assert response.status_code == 400
    assert opens(hanoi) == 0


# --- links that do not work -----------------------------------------------------------------


def test_an_expired_link_is_refused_with_what_to_do(hanoi, upload_paper, settings) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = forged_link(paper, hanoi.member, age=settings.ECABINET_PAPER_LINK_SECONDS + 5)
    response = hanoi.client(hanoi.member).get(url)
    assert response.status_code == 410
    page = response.content.decode()
    assert "Đường dẫn đã hết hạn" in page
    assert f'href="/papers/{paper.pk}/"' in page
    assert response["Cache-Control"] == "private, no-store"
    assert opens(hanoi) == 0 and audits(AuditEvent.Kind.PAPER_OPENED) == 0


def test_an_expired_link_answers_json_to_a_script(hanoi, upload_paper, settings) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = forged_link(paper, hanoi.member, age=settings.ECABINET_PAPER_LINK_SECONDS + 5)
    response = hanoi.client(hanoi.member).get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 410
    assert response.json()["error"] == "link_expired"
    assert response.json()["detail"]


def test_read_link_rejects_an_old_token() -> None:
    with pytest.raises(signing.SignatureExpired):
        read_link(forged_link_token(age=1000), max_age=300)


def forged_link_token(*, age: int) -> str:
    class Signer(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - age)

    return Signer(salt=SALT).sign_object({"p": 1, "v": 1, "u": 1})


def tampered(url: str) -> list[str]:
    token = url.split("/copy/")[1].rstrip("/")
    payload, rest = token.split(":", 1)
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    return [
        url.replace(token, f"{flipped}:{rest}"),
        url.replace(token, token[:-3] + ("xyz" if not token.endswith("xyz") else "abc")),
        url.replace(token, "not-a-token"),
        url.replace(token, signing.dumps({"p": 1, "v": 1, "u": 1}, salt="another.salt")),
        url.replace(token, signing.dumps(["p", "v", "u"], salt=SALT)),
        url.replace(token, signing.dumps({"p": "1", "v": True, "u": None}, salt=SALT)),
    ]


def test_a_tampered_link_is_refused(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    client = hanoi.client(hanoi.member)
    for url in tampered(link_for(hanoi, hanoi.member, paper)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Đường dẫn không hợp lệ" in response.content.decode()
    assert opens(hanoi) == 0


def test_a_link_made_for_someone_else_is_refused(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    # given the member's link, passed on to the chair who also receives the paper
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    response = hanoi.client(hanoi.chair).get(url)
    assert response.status_code == 403
    assert "không dành cho bạn" in response.content.decode()
    # nor does it work without signing in
    assert hanoi.client().get(url).status_code == 403
    assert opens(hanoi) == 0


def test_a_link_for_one_paper_does_not_open_another(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    first = upload_paper(hanoi, title="Tờ trình thứ nhất")
    second = upload_paper(hanoi, title="Tờ trình thứ hai")
    url = link_for(hanoi, hanoi.member, first).replace(f"/papers/{first.pk}/", f"/papers/{second.pk}/")
    assert hanoi.client(hanoi.member).get(url).status_code == 403
    assert opens(hanoi) == 0


def test_post_and_head_are_not_allowed(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    client = hanoi.client(hanoi.member)
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 405
    assert opens(hanoi) == 0


# --- the permission, asked again on every request ------------------------------------------


def test_someone_outside_the_meeting_gets_404(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    response = hanoi.client(hanoi.other_member).get(forged_link(paper, hanoi.other_member))
    assert response.status_code == 404
    assert opens(hanoi) == 0


def test_a_guest_without_the_item_gets_404_and_with_it_reads(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    not_theirs = upload_paper(hanoi, item_index=0)
    theirs = upload_paper(hanoi, item_index=1)
    client = hanoi.client(hanoi.guest)
    assert client.get(forged_link(not_theirs, hanoi.guest)).status_code == 404
    assert client.get(link_for(hanoi, hanoi.guest, theirs)).status_code == 200
    with tenant_context(hanoi.tenant):
        assert list(PaperOpen.objects.values_list("paper_id", flat=True)) == [theirs.pk]


def test_another_tenants_user_gets_nothing(hanoi, danang, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = forged_link(paper, danang.member)
    # on Hà Nội's host Đà Nẵng's account is not signed in
    assert hanoi.client(danang.member).get(url).status_code in (403, 404)
    # on Đà Nẵng's host there is no such paper
    assert danang.client(danang.member).get(url).status_code == 404
    # nor for Đà Nẵng's chair with Hà Nội's chair's link
    assert danang.client(danang.chair).get(forged_link(paper, hanoi.chair)).status_code == 403
    assert opens(hanoi) == 0
    with tenant_context(danang.tenant):
        assert PaperOpen.objects.count() == 0 and StampedCopy.objects.count() == 0


def test_a_reader_left_out_of_a_restricted_paper_gets_404(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    # given a link made while the paper was for everyone
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    # when the secretariat restricts it to the chair and the vice-chair
    with tenant_context(hanoi.tenant):
        do_set_distribution(
            paper,
            restricted=True,
            recipients=[hanoi.chair, hanoi.vice_chair],
            downloadable=False,
            acting_user=hanoi.secretary,
        )
    # then the member's fresh link no longer opens it, and the chair's does
    assert hanoi.client(hanoi.member).get(url).status_code == 404
    assert hanoi.client(hanoi.chair).get(link_for(hanoi, hanoi.chair, paper)).status_code == 200
    with tenant_context(hanoi.tenant):
        assert list(PaperOpen.objects.values_list("reader_id", flat=True)) == [hanoi.chair.pk]


def test_a_revoked_reader_is_told_the_paper_is_no_longer_available(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    chairs = link_for(hanoi, hanoi.chair, paper)
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)
    response = hanoi.client(hanoi.member).get(url)
    assert response.status_code == 403
    assert "không còn được cung cấp" in response.content.decode()
    json_answer = hanoi.client(hanoi.member).get(url, HTTP_ACCEPT="application/json")
    assert json_answer.status_code == 403 and json_answer.json()["error"] == "reading_ended"
    # the chair and the secretariat read on
    assert hanoi.client(hanoi.chair).get(chairs).status_code == 200
    assert hanoi.client(hanoi.secretary).get(link_for(hanoi, hanoi.secretary, paper)).status_code == 200
    with tenant_context(hanoi.tenant):
        assert not PaperOpen.objects.filter(reader=hanoi.member).exists()


def test_a_withdrawn_paper_is_404_even_with_a_fresh_link(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    with tenant_context(hanoi.tenant):
        do_withdraw_paper(paper, acting_user=hanoi.secretary)
    assert hanoi.client(hanoi.member).get(url).status_code == 404
    assert opens(hanoi) == 0


def test_a_link_to_a_replaced_version_is_gone_for_readers(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, pages=3)
    old_version = paper.current_version
    members = link_for(hanoi, hanoi.member, paper)
    with tenant_context(hanoi.tenant):
        do_replace_paper(
            paper, upload=pdf_upload(pages=5), change_note="Thêm phụ lục", acting_user=hanoi.secretary
        )
    response = hanoi.client(hanoi.member).get(members)
    assert response.status_code == 410
    assert "đã được cập nhật" in response.content.decode()
    # a new link serves the new version
    fresh = hanoi.client(hanoi.member).get(link_for(hanoi, hanoi.member, paper))
    assert fresh.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(body_of(fresh))).pages) == 5
    # the secretariat may still open the old version, stamped for them
    with tenant_context(hanoi.tenant):
        old_link = signed_link(access_paper(hanoi.secretary, paper.pk), version=old_version)
    old = hanoi.client(hanoi.secretary).get(old_link)
    assert old.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(body_of(old))).pages) == 3
    with tenant_context(hanoi.tenant):
        assert PaperOpen.objects.get(reader=hanoi.secretary).version_id == old_version.pk


def test_a_version_of_another_paper_is_refused(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    mine = upload_paper(hanoi)
    other = upload_paper(hanoi, title="Báo cáo khác")
    url = forged_link(mine, hanoi.secretary, version=other.current_version)
    assert hanoi.client(hanoi.secretary).get(url).status_code == 410
    with tenant_context(hanoi.tenant), pytest.raises(NotFound):
        signed_link(access_paper(hanoi.secretary, mine.pk), version=other.current_version)
    assert opens(hanoi) == 0


def refusals(reason: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION_REFUSED, detail__refused=reason))


def test_a_link_passed_on_is_kept_in_the_audit_log(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    hanoi.client(hanoi.chair).get(link_for(hanoi, hanoi.member, paper), REMOTE_ADDR="10.9.9.9")
    [refused] = refusals("link_not_yours")
    assert refused.user_id == hanoi.chair.pk and refused.ip == "10.9.9.9"
    assert refused.detail["paper"] == paper.pk


def test_tampered_and_revoked_links_are_kept_in_the_audit_log(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    client = hanoi.client(hanoi.member)
    client.get(tampered(url)[0])
    assert [e.user_id for e in refusals("link_invalid")] == [hanoi.member.pk]
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)
    client.get(url)
    [ended] = refusals("reading_ended")
    assert ended.user_id == hanoi.member.pk and ended.detail["paper"] == paper.pk


def test_expired_links_are_everyday_and_not_audited(hanoi, upload_paper, settings) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    hanoi.client(hanoi.member).get(
        forged_link(paper, hanoi.member, age=settings.ECABINET_PAPER_LINK_SECONDS + 5)
    )
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION_REFUSED).exists()


def test_the_file_name_is_the_title_in_plain_letters(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, title="Tờ trình về đầu tư công", downloadable=True)
    response = hanoi.client(hanoi.member).get(link_for(hanoi, hanoi.member, paper, download=True))
    assert 'filename="to-trinh-ve-dau-tu-cong-v1.pdf"' in response["Content-Disposition"]


def test_a_paper_whose_file_is_lost_is_a_clear_503_not_a_crash(hanoi, upload_paper, caplog) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    paper = upload_paper(hanoi)
    Path(paper.current_version.file.path).unlink()
    response = hanoi.client(hanoi.member).get(link_for(hanoi, hanoi.member, paper))
    assert response.status_code == 503
    assert "báo cho Văn phòng" in response.content.decode()
    assert opens(hanoi) == 0
    with tenant_context(hanoi.tenant):
        assert StampedCopy.objects.count() == 0


# --- the access check and the action, asked directly ------------------------------------------


def token_of(url: str) -> str:
    return url.split("/copy/")[1].split("?")[0].rstrip("/")


def check_copy(world, user, paper, url: str, **kwargs: Any) -> PaperCopyAccess:  # type: ignore[no-untyped-def]
    with tenant_context(world.tenant):
        return access_paper_copy(user, paper.pk, token_of(url), **kwargs)


def test_access_paper_copy_names_the_access_the_version_and_the_download(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    # given a downloadable paper and the member's own links to it
    paper = upload_paper(hanoi, downloadable=True)
    # when the access check reads them
    inline = check_copy(hanoi, hanoi.member, paper, link_for(hanoi, hanoi.member, paper))
    download = check_copy(hanoi, hanoi.member, paper, link_for(hanoi, hanoi.member, paper), download="1")
    # then they open the current version, as a download only when asked
    assert inline.user == hanoi.member and inline.paper.pk == paper.pk
    assert inline.version.pk == paper.current_version_id
    assert (inline.download, download.download) == (False, True)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION_REFUSED).exists()
    assert opens(hanoi) == 0  # checking writes nothing


def test_access_paper_copy_refuses_a_link_for_another_user_and_keeps_it(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    with pytest.raises(NotAllowed) as refused:
        check_copy(hanoi, hanoi.chair, paper, url)
    assert (refused.value.code, refused.value.status) == ("link_not_yours", 403)
    # nor does it open for nobody signed in
    with pytest.raises(NotAllowed):
        check_copy(hanoi, None, paper, url)
    assert [e.user_id for e in sorted(refusals("link_not_yours"), key=lambda e: e.pk)] == [
        hanoi.chair.pk,
        None,
    ]


def test_access_paper_copy_refuses_a_link_to_another_paper(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    first = upload_paper(hanoi)
    second = upload_paper(hanoi, title="Báo cáo khác")
    with tenant_context(hanoi.tenant), pytest.raises(NotAllowed) as refused:
        access_paper_copy(hanoi.member, second.pk, token_of(link_for(hanoi, hanoi.member, first)))
    assert refused.value.code == "link_not_yours"


def test_access_paper_copy_an_expired_link_is_gone_and_not_audited(hanoi, upload_paper, settings) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = forged_link(paper, hanoi.member, age=settings.ECABINET_PAPER_LINK_SECONDS + 5)
    with pytest.raises(Gone) as gone:
        check_copy(hanoi, hanoi.member, paper, url)
    assert (gone.value.code, gone.value.status) == ("link_expired", 410)
    # the age is told before a bad download value
    with pytest.raises(Gone):
        check_copy(hanoi, hanoi.member, paper, url, download="yes")
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION_REFUSED).exists()


def test_access_paper_copy_a_tampered_link_is_refused_and_kept(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = tampered(link_for(hanoi, hanoi.member, paper))[0]
    with pytest.raises(NotAllowed) as refused:
        check_copy(hanoi, hanoi.member, paper, url)
    assert (refused.value.code, refused.value.status) == ("link_invalid", 403)
    [kept] = refusals("link_invalid")
    assert kept.user_id == hanoi.member.pk and kept.detail["paper"] == paper.pk


def test_access_paper_copy_a_bad_download_value_is_invalid(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, downloadable=True)
    with pytest.raises(Invalid) as invalid:
        check_copy(hanoi, hanoi.member, paper, link_for(hanoi, hanoi.member, paper), download="2")
    assert (invalid.value.code, invalid.value.status) == ("invalid", 400)


def test_access_paper_copy_someone_outside_the_meeting_is_not_found(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    with pytest.raises(NotFound) as missing:
        check_copy(hanoi, hanoi.other_member, paper, forged_link(paper, hanoi.other_member))
    assert (missing.value.code, missing.value.status) == ("not_found", 404)
    assert [e.user_id for e in refusals("not_found")] == [hanoi.other_member.pk]


def test_access_paper_copy_after_reading_ended(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    url = link_for(hanoi, hanoi.member, paper)
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)
    with pytest.raises(ReadingEnded):
        check_copy(hanoi, hanoi.member, paper, url)
    assert [e.user_id for e in refusals("reading_ended")] == [hanoi.member.pk]
    # the chair reads on
    assert check_copy(hanoi, hanoi.chair, paper, link_for(hanoi, hanoi.chair, paper)).user == hanoi.chair


def test_access_paper_copy_an_old_version_is_gone_for_a_reader_not_for_the_secretariat(
    hanoi, upload_paper
) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    old_version = paper.current_version
    members = link_for(hanoi, hanoi.member, paper)
    with tenant_context(hanoi.tenant):
        do_replace_paper(paper, upload=pdf_upload(pages=2), acting_user=hanoi.secretary)
        secretarys = signed_link(access_paper(hanoi.secretary, paper.pk), version=old_version)
    with pytest.raises(Gone) as gone:
        check_copy(hanoi, hanoi.member, paper, members)
    assert (gone.value.code, gone.value.status) == ("paper_updated", 410)
    assert not refusals("paper_updated")
    assert check_copy(hanoi, hanoi.secretary, paper, secretarys).version.pk == old_version.pk


def test_access_paper_copy_a_view_only_paper_refuses_the_download_and_keeps_it(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, downloadable=False)
    url = link_for(hanoi, hanoi.member, paper)
    with pytest.raises(NotAllowed) as refused:
        check_copy(hanoi, hanoi.member, paper, url, download="1")
    assert (refused.value.code, refused.value.status) == ("view_only", 403)
    assert [e.user_id for e in refusals("view_only")] == [hanoi.member.pk]
    assert check_copy(hanoi, hanoi.member, paper, url, download="0").download is False


def test_do_open_paper_copy_writes_one_open_and_one_audit_row(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    # given the member's checked link
    paper = upload_paper(hanoi)
    checked = check_copy(hanoi, hanoi.member, paper, link_for(hanoi, hanoi.member, paper))
    before = AuditEvent.objects.count()
    # when the copy is opened
    with tenant_context(hanoi.tenant):
        opened = do_open_paper_copy(checked)
    # then there is one stamped copy, one open row naming it, and one audit row
    with tenant_context(hanoi.tenant):
        [row] = PaperOpen.objects.all()
        [copy] = StampedCopy.objects.all()
    assert opened.opened == row and opened.copy == copy
    assert (row.reader_id, row.version_id, row.copy_id, row.downloaded) == (
        hanoi.member.pk,
        paper.current_version_id,
        copy.pk,
        False,
    )
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("pk")
    assert event.kind == AuditEvent.Kind.PAPER_OPENED and event.user_id == hanoi.member.pk
    assert event.detail["open"] == row.pk and event.detail["trace_code"] == copy.trace_code


def test_do_open_paper_copy_a_second_open_reuses_the_stamped_copy(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi, downloadable=True)
    first = check_copy(hanoi, hanoi.member, paper, link_for(hanoi, hanoi.member, paper))
    second = check_copy(hanoi, hanoi.member, paper, link_for(hanoi, hanoi.member, paper), download="1")
    with tenant_context(hanoi.tenant):
        one = do_open_paper_copy(first)
        two = do_open_paper_copy(second)
        assert StampedCopy.objects.count() == 1
        assert PaperOpen.objects.count() == 2
    assert one.copy.pk == two.copy.pk and one.opened.pk != two.opened.pk
    assert two.opened.downloaded is True
    assert audits(AuditEvent.Kind.PAPER_OPENED) == 1 and audits(AuditEvent.Kind.PAPER_DOWNLOADED) == 1


def test_do_open_paper_copy_keeps_the_open_and_its_audit_row_together(
    hanoi, upload_paper, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # given the audit log failing as the open is recorded
    paper = upload_paper(hanoi)
    checked = check_copy(hanoi, hanoi.member, paper, link_for(hanoi, hanoi.member, paper))

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("documents.actions.audit.record", broken)
    # when the copy is opened, then it fails and leaves no open row behind
    with tenant_context(hanoi.tenant), pytest.raises(RuntimeError):
        do_open_paper_copy(checked)
    assert opens(hanoi) == 0


def test_do_open_paper_copy_a_lost_file_is_copy_unavailable(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    paper = upload_paper(hanoi)
    checked = check_copy(hanoi, hanoi.member, paper, link_for(hanoi, hanoi.member, paper))
    Path(paper.current_version.file.path).unlink()
    with tenant_context(hanoi.tenant), pytest.raises(CopyUnavailable) as unavailable:
        do_open_paper_copy(checked)
    assert (unavailable.value.code, unavailable.value.status) == ("copy_unavailable", 503)
    assert opens(hanoi) == 0 and audits(AuditEvent.Kind.PAPER_OPENED) == 0
