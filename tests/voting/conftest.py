"""Fixtures for voting: a meeting in session with its first item open."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from meetings.actions import do_open_item, do_start_meeting
from meetings.models import Participant
from tests.conftest import World


@dataclass
class Session:
    world: World

    def participant(self, user) -> Participant:  # type: ignore[no-untyped-def]
        return Participant.objects.get(meeting=self.world.meeting, user=user)


@pytest.fixture
def session(in_hanoi: World) -> Session:
    """Hà Nội's meeting in session, item 1 under discussion; the tenant is set."""
    meeting = do_start_meeting(in_hanoi.meeting, acting_user=in_hanoi.chair)
    do_open_item(meeting, item=in_hanoi.items[0], acting_user=in_hanoi.chair)
    in_hanoi.meeting.refresh_from_db()
    return Session(in_hanoi)


@pytest.fixture(autouse=True)
def _messages_in_english():  # type: ignore[no-untyped-def]
    # The actions' refusals are matched by their English msgids here; the pages'
    # tests check the Vietnamese a person reads.
    from django.utils import translation

    with translation.override("en"):
        yield
