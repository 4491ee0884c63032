"""Papers: whoever may not read a paper gets 404 or 403 on the page, the API and the signed link.

# given a paper for everyone on the first item and a paper restricted to the chair,
# when each outsider asks for them every way there is,
# then none gets a byte of either, and the readers still do.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from documents.access import access_paper
from documents.actions import do_end_reading, do_upload_paper
from documents.models import Paper
from documents.serving import signed_link
from ecabinet.tenancy import tenant_context
from meetings.actions import do_close_meeting, do_start_meeting
from tests.clock import Clock
from tests.conftest import World
from tests.documents.conftest import pdf_upload


@pytest.fixture
def papers(hanoi: World) -> dict[str, Paper]:
    def upload(title: str, **distribution: Any) -> Paper:
        return do_upload_paper(
            hanoi.meeting,
            upload=pdf_upload(),
            title=title,
            item=hanoi.items[0],
            acting_user=hanoi.secretary,
            **distribution,
        )

    with tenant_context(hanoi.tenant):
        return {
            "everyone": upload("Tờ trình chung"),
            "restricted": upload("Tờ trình riêng", restricted=True, recipients=[hanoi.chair]),
        }


def _link_for(world: World, user: Any, paper: Paper) -> str:
    with tenant_context(world.tenant):
        return signed_link(access_paper(user, paper.pk))


def _asks(client: Client, paper: Paper, link: str) -> dict[str, int]:
    return {
        "page": client.get(f"/papers/{paper.pk}/").status_code,
        "api": client.get(f"/api/v1/papers/{paper.pk}/").status_code,
        "link": client.get(link).status_code,
    }


OUTSIDERS = {
    # who, which paper: a participant's own link (the member's, or the chair's for the restricted one)
    "other tenant's member": ("danang.member", "everyone"),
    "other tenant's secretariat": ("danang.secretary", "everyone"),
    "tenant member not in the meeting": ("hanoi.other_member", "everyone"),
    "guest without the item": ("hanoi.guest", "everyone"),
    "member not named on a restricted paper": ("hanoi.member", "restricted"),
    "vice-chair not named on a restricted paper": ("hanoi.vice_chair", "restricted"),
    "observer not named on a restricted paper": ("hanoi.observer", "restricted"),
}


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_nothing_on_page_api_and_link(
    hanoi: World, danang: World, papers: dict[str, Paper], who: str
) -> None:
    # given
    user_path, which = OUTSIDERS[who]
    world_name, attribute = user_path.split(".")
    world = {"hanoi": hanoi, "danang": danang}[world_name]
    outsider = getattr(world, attribute)
    paper = papers[which]
    owner = hanoi.member if which == "everyone" else hanoi.chair
    link = _link_for(hanoi, owner, paper)
    client = Client(HTTP_HOST=world.host)
    client.force_login(outsider)
    # when
    answers = _asks(client, paper, link)
    # then: not found, or not allowed; never the paper
    assert all(status in {403, 404} for status in answers.values()), answers
    assert answers["page"] == 404 and answers["api"] == 404


def test_a_link_used_on_another_tenants_host_is_refused(
    hanoi: World, danang: World, papers: dict[str, Paper]
) -> None:
    link = _link_for(hanoi, hanoi.member, papers["everyone"])
    client = Client(HTTP_HOST=danang.host)
    client.force_login(hanoi.member)  # a Hà Nội account is a stranger on Đà Nẵng's host
    assert client.get(link).status_code in {302, 403, 404}
    assert not client.get(link).get("Content-Type", "").startswith("application/pdf")


def test_readers_get_the_paper_every_way(hanoi: World, papers: dict[str, Paper]) -> None:
    for user, paper in [
        (hanoi.member, papers["everyone"]),
        (hanoi.chair, papers["restricted"]),
        (hanoi.observer, papers["everyone"]),
    ]:
        client = hanoi.client(user)
        answers = _asks(client, paper, _link_for(hanoi, user, paper))
        assert answers == {"page": 200, "api": 200, "link": 200}, (user.username, answers)


def test_a_revoked_reader_is_refused_even_with_a_link_made_before(hanoi: World, papers: dict[str, Paper]):
    # given a link the member got while reading was open
    paper = papers["everyone"]
    link = _link_for(hanoi, hanoi.member, paper)
    # when the secretariat ends reading
    with tenant_context(hanoi.tenant):
        do_end_reading(hanoi.meeting, acting_user=hanoi.secretary)
    # then the member is told it is no longer available, everywhere
    client = hanoi.client(hanoi.member)
    page = client.get(f"/papers/{paper.pk}/")
    assert page.status_code == 403
    assert "Tài liệu không còn được cung cấp" in page.content.decode()
    assert client.get(f"/api/v1/papers/{paper.pk}/").status_code == 403
    assert client.get(link).status_code in {403, 410}
    # and the chair and the secretariat read on
    assert _asks(hanoi.client(hanoi.chair), paper, _link_for(hanoi, hanoi.chair, paper))["link"] == 200
    assert hanoi.client(hanoi.secretary).get(_link_for(hanoi, hanoi.secretary, paper)).status_code == 200


def test_reading_ends_after_the_grace_period(hanoi: World, papers: dict[str, Paper], clock: Clock) -> None:
    paper = papers["everyone"]
    with tenant_context(hanoi.tenant):
        do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        do_close_meeting(hanoi.meeting, acting_user=hanoi.chair)
    client = hanoi.client(hanoi.member)
    assert client.get(f"/papers/{paper.pk}/").status_code == 200  # within the seven days
    clock.advance(days=7, minutes=1)
    assert client.get(f"/papers/{paper.pk}/").status_code == 403
    assert client.get(f"/api/v1/papers/{paper.pk}/").status_code == 403


def test_an_expired_link_is_refused(hanoi: World, papers: dict[str, Paper], settings) -> None:
    link = _link_for(hanoi, hanoi.member, papers["everyone"])
    settings.ECABINET_PAPER_LINK_SECONDS = -1  # every link is already too old
    response = hanoi.client(hanoi.member).get(link)
    assert response.status_code == 410
    assert not response.get("Content-Type", "").startswith("application/pdf")


def test_nobody_but_the_secretariat_reaches_the_papers_console(hanoi: World, danang: World, papers) -> None:
    paper = papers["everyone"]
    pages = [f"/meetings/{hanoi.meeting.pk}/papers/manage/", f"/papers/{paper.pk}/manage/"]
    new_version = f"/api/v1/papers/{paper.pk}/versions/"

    def replace(client: Client) -> int:
        return client.post(new_version, {"file": pdf_upload(pages=2)}).status_code

    for user in [hanoi.chair, hanoi.member, hanoi.guest, hanoi.observer, hanoi.other_member]:
        client = hanoi.client(user)
        for url in pages:
            assert client.get(url).status_code in {403, 404}, (user.username, url)
        assert replace(client) in {403, 404}, user.username
    stranger = Client(HTTP_HOST=danang.host)
    stranger.force_login(danang.secretary)
    assert [stranger.get(url).status_code for url in pages] == [404, 404]
    assert replace(stranger) == 404
    with tenant_context(hanoi.tenant):
        assert Paper.objects.get(pk=paper.pk).current_version.number == 1  # nobody above changed it
    secretary = hanoi.client(hanoi.secretary)
    assert [secretary.get(url).status_code for url in pages] == [200, 200]
    assert replace(secretary) == 201
