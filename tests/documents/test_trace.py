"""``manage.py trace_paper CODE`` leads from a printout back to its reader."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from documents.access import access_paper
from documents.serving import signed_link
from documents.stamping import stamped_copy
from ecabinet.models import User
from ecabinet.tenancy import tenant_context

pytestmark = pytest.mark.django_db


def trace(*code: str) -> str:
    out = StringIO()
    call_command("trace_paper", *code, stdout=out)
    return out.getvalue()


def opened_by(world, user, paper, **headers: str):  # type: ignore[no-untyped-def]
    with tenant_context(world.tenant):
        url = signed_link(access_paper(user, paper.pk))
    response = world.client(user).get(url, **headers)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    with tenant_context(world.tenant):
        return stamped_copy(paper.current_version, user)[0]


def test_the_code_names_the_reader_the_paper_the_version_and_every_open(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    # given a member who opened a paper twice, and the chair who opened it once
    User.objects.filter(pk=hanoi.member.pk).update(unit="Sở Kế hoạch và Đầu tư")
    hanoi.member.refresh_from_db()
    paper = upload_paper(hanoi, title="Tờ trình về kế hoạch đầu tư công năm 2027")
    copy = opened_by(hanoi, hanoi.member, paper, REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT="iPad tablet")
    opened_by(hanoi, hanoi.member, paper, REMOTE_ADDR="10.0.0.8", HTTP_USER_AGENT="iPad tablet")
    opened_by(hanoi, hanoi.chair, paper)
    # when the code from the printout is traced
    text = trace(copy.trace_code)
    # then it names the member, their unit and tenant, the paper, the version, and both opens
    assert copy.trace_code in text
    assert "Giám đốc Phạm" in text and "hanoi-member1" in text
    assert "Sở Kế hoạch và Đầu tư" in text
    assert "UBND thành phố Hà Nội (hanoi)" in text
    assert f"Tờ trình về kế hoạch đầu tư công năm 2027 (#{paper.pk})" in text
    assert paper.current_version.sha256 in text
    assert timezone.localtime(copy.made_at).strftime("%d/%m/%Y %H:%M") in text
    assert "10.0.0.7" in text and "10.0.0.8" in text
    assert "Chủ tịch Nguyễn" not in text  # the chair's open is on the chair's copy
    assert text.count("iPad tablet") == 2


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: code.replace("-", " ").lower(),
        lambda code: " ".join(code.replace("-", "")),
        lambda code: code.replace("-", ""),
    ],
)
def test_the_code_may_be_typed_in_lower_case_with_spaces(hanoi, upload_paper, typed) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        copy, _ = stamped_copy(paper.current_version, hanoi.member)
    shown = typed(copy.trace_code)
    assert "Giám đốc Phạm" in trace(*shown.split(" "))
    assert "Giám đốc Phạm" in trace(shown)


def test_a_copy_never_opened_says_so(hanoi, upload_paper) -> None:  # type: ignore[no-untyped-def]
    paper = upload_paper(hanoi)
    with tenant_context(hanoi.tenant):
        copy, _ = stamped_copy(paper.current_version, hanoi.vice_chair)
    text = trace(copy.trace_code)
    assert "Phó Chủ tịch Trần" in text
    assert "Chưa mở lần nào" in text


def test_codes_are_found_across_tenants_without_a_tenant_set(hanoi, danang, upload_paper) -> None:  # type: ignore[no-untyped-def]
    hanoi_paper = upload_paper(hanoi)
    danang_paper = upload_paper(danang)
    with tenant_context(hanoi.tenant):
        hanoi_copy, _ = stamped_copy(hanoi_paper.current_version, hanoi.member)
    with tenant_context(danang.tenant):
        danang_copy, _ = stamped_copy(danang_paper.current_version, danang.member)
    assert "(hanoi)" in trace(hanoi_copy.trace_code)
    danang_text = trace(danang_copy.trace_code)
    assert "(danang)" in danang_text and "(hanoi)" not in danang_text


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ", "abc", "", "'; drop table x; --"])
def test_an_unknown_code_is_a_clear_message_and_exit_1(hanoi, upload_paper, code: str) -> None:  # type: ignore[no-untyped-def]
    upload_paper(hanoi)
    with pytest.raises(CommandError) as refused:
        call_command("trace_paper", code or " ", stdout=StringIO())
    assert "Không có bản" in str(refused.value)
    assert refused.value.returncode == 1
