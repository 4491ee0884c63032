"""The chair's tablet follows the session without a reload: the consent list
that members' positions made appears the moment the chair starts the
session, and is gone once adopted. At both tablet sizes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.tenancy import tenant_context
from meetings.models import AgendaItem, Participant
from tests.conftest import World
from tests.e2e.conftest import LiveDaphne, let_log_in, screenshot
from tests.e2e.test_confirmations import SIZES, size_name
from tests.e2e.test_session import LIVE_MS, open_meeting
from voting.actions import do_give_position

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@SIZES
def test_the_consent_list_appears_when_the_chair_starts_the_session(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: every member cleared the third item before the session, and the
    # chair's tablet shows the meeting, not yet started
    agreed = hanoi.items[2]
    with tenant_context(hanoi.tenant):
        for user in (hanoi.chair, hanoi.vice_chair, hanoi.member):
            member = Participant.objects.get(meeting=hanoi.meeting, user=user)
            do_give_position(agreed, participant=member, kind="no_objection")
    let_log_in(hanoi)
    chair = new_page(viewport)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    consent = chair.locator("#consent-form")
    expect(consent).to_be_hidden()

    # when: the chair starts the session
    chair.locator('[data-action="meeting.start"]').click()

    # then: the consent list is there, without a reload, naming the agreed item only
    expect(consent).to_be_visible(timeout=LIVE_MS)
    expect(consent.locator("#consent-items li")).to_have_count(1)
    expect(consent.locator("#consent-items")).to_contain_text(agreed.title)
    screenshot(chair, f"consent-list-live-{size_name(viewport)}")

    # when: the chair adopts it
    with chair.expect_navigation():
        consent.locator("button[type=submit]").click()

    # then: the item is concluded and the list is gone
    expect(chair.locator("#consent-form")).to_have_count(0)
    with tenant_context(hanoi.tenant):
        assert AgendaItem.objects.get(pk=agreed.pk).status == AgendaItem.Status.CONCLUDED
    assert chair.errors == []
