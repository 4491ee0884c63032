"""The session follows everyone without a reload: the consent list that
members' positions made appears the moment the chair starts the session, and
is gone once adopted; a member reading a paper is told over the paper that
they have the floor or that a ballot is open, and votes from there. At both
tablet sizes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ecabinet.tenancy import tenant_context
from meetings.actions import do_open_item, do_request_to_speak, do_start_meeting
from meetings.models import AgendaItem, Participant
from tests.conftest import World
from tests.e2e.conftest import LANDSCAPE, LiveDaphne, let_log_in, screenshot
from tests.e2e.test_confirmations import SIZES, size_name
from tests.e2e.test_papers import papers_root, upload  # noqa: F401  (papers_root: autouse)
from tests.e2e.test_session import LIVE_MS, assert_touch_sized, open_meeting
from voting.actions import do_give_position
from voting.models import Ballot, BallotVoter

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


@SIZES
def test_a_member_reading_a_paper_sees_the_ballot_and_the_floor_and_acts_from_the_reader(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: the session on the first item, the member waiting to speak and
    # reading a paper of the item; the chair's tablet beside
    paper = upload(hanoi, "Tờ trình về kế hoạch đầu tư công năm 2027")
    with tenant_context(hanoi.tenant):
        meeting = do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
        do_open_item(meeting, item=hanoi.items[0], acting_user=hanoi.chair)
        me = Participant.objects.get(meeting=meeting, user=hanoi.member)
        do_request_to_speak(meeting, participant=me, kind="speech")
    let_log_in(hanoi)
    chair = new_page(LANDSCAPE)
    member = new_page(viewport)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    open_meeting(member, live_daphne, hanoi, hanoi.member.username)
    member.goto(live_daphne.url(hanoi, f"/papers/{paper.pk}/"))
    expect(member.locator("#reader")).to_have_attribute("data-rendered-page", "1", timeout=20_000)
    expect(member.locator("body")).to_have_attribute("data-live", "live")
    ballot_alert = member.locator("#reader-ballot")
    floor_alert = member.locator("#floor-alert")
    expect(ballot_alert).to_be_hidden()
    expect(floor_alert).to_be_hidden()

    # when: the chair gives the member the floor
    chair.locator("[data-give-floor]").first.click()

    # then: the reader says so over the paper, with the way back to the session
    expect(floor_alert).to_be_visible(timeout=LIVE_MS)
    expect(floor_alert).to_contain_text("Bạn đang phát biểu")
    assert_touch_sized(floor_alert.locator("a"))
    chair.locator("#end-speech").click()
    expect(floor_alert).to_be_hidden(timeout=LIVE_MS)

    # when: the chair opens a ballot
    chair.locator("#ballot-open-details summary").click()
    chair.fill("#ballot-question", "Thông qua tờ trình?")
    chair.locator("#ballot-open-form button[type=submit]").click()

    # then: the reader shows it at once, on screen whatever page is read, and
    # the member votes from there with one touch
    expect(ballot_alert).to_be_visible(timeout=LIVE_MS)
    expect(ballot_alert).to_contain_text("Thông qua tờ trình?")
    option = ballot_alert.locator('.ballot-option[data-option="for"]')
    assert_touch_sized(option)
    box = ballot_alert.bounding_box()
    assert box is not None and box["y"] + box["height"] <= viewport["height"] + 1, box
    screenshot(member, f"reader-ballot-{size_name(viewport)}")
    option.click()
    expect(ballot_alert.locator(".ballot-mine")).to_contain_text("Đã ghi nhận", timeout=LIVE_MS)
    expect(member.locator("#reader")).to_have_attribute("data-rendered-page", "1")  # still on the paper
    with tenant_context(hanoi.tenant):
        ballot = Ballot.objects.get(meeting=meeting)
        assert BallotVoter.objects.filter(ballot=ballot, voted_at__isnull=False).count() == 1
    expect(chair.locator(".ballot-tally")).to_contain_text("1/3", timeout=LIVE_MS)

    # when: the chair closes it, the alert goes
    chair.locator("#ballot-close").click()
    expect(ballot_alert).to_be_hidden(timeout=LIVE_MS)
    assert member.errors == [] and chair.errors == []


@SIZES
def test_a_guest_is_told_the_session_is_on_an_item_it_is_not_invited_to(
    live_daphne: LiveDaphne, hanoi: World, new_page: Any, viewport: dict[str, int]
) -> None:
    # given: the session started; the guest (invited to the second item only) and the chair
    with tenant_context(hanoi.tenant):
        do_start_meeting(hanoi.meeting, acting_user=hanoi.chair)
    let_log_in(hanoi)
    chair = new_page(LANDSCAPE)
    guest = new_page(viewport)
    open_meeting(chair, live_daphne, hanoi, hanoi.chair.username)
    open_meeting(guest, live_daphne, hanoi, hanoi.guest.username)
    reading = guest.locator("#reading-body")
    expect(reading).to_contain_text(hanoi.items[1].title)

    # when: the chair opens the first item
    chair.locator("#open-next").click()

    # then: the guest reads why there is nothing to read, and which item is theirs
    expect(reading).to_contain_text("không được mời", timeout=LIVE_MS)
    expect(reading.locator(".my-items")).to_contain_text(f"{hanoi.items[1].position}. {hanoi.items[1].title}")
    expect(reading).not_to_contain_text(hanoi.items[0].title)
    expect(guest.locator("#comments")).to_be_hidden()
    screenshot(guest, f"guest-not-invited-{size_name(viewport)}")

    # when: the chair concludes it and opens the guest's item
    chair.fill("#conclusion-text", "Thông qua.")
    chair.locator("#conclude-form button[type=submit]").click()
    expect(chair.locator("#open-next")).to_be_visible(timeout=LIVE_MS)
    chair.locator("#open-next").click()

    # then: the guest follows it, with its comments
    expect(reading.locator(".reading-title")).to_have_text(hanoi.items[1].title, timeout=LIVE_MS)
    expect(guest.locator("#comments")).to_be_visible()
    assert guest.errors == [] and chair.errors == []
