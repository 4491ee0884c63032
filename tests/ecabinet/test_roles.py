import pytest

from ecabinet.errors import NotAllowed
from ecabinet.models import AuditEvent
from ecabinet.roles import Capability as C
from ecabinet.roles import Role, allows, capabilities, effective_role, require
from meetings.access import access_meeting, meeting_role

# role -> what it may do; anything not listed is refused.
EXPECTED = {
    Role.CHAIR: {
        C.VIEW_MEETING,
        C.SEE_ALL_ITEMS,
        C.RUN_SESSION,
        C.REQUEST_TO_SPEAK,
        C.COMMENT,
        C.VOTE,
        C.SEE_SECRETARIAT_COMMENTS,
    },
    Role.VICE_CHAIR: {C.VIEW_MEETING, C.SEE_ALL_ITEMS, C.ACT_AS_CHAIR, C.REQUEST_TO_SPEAK, C.COMMENT, C.VOTE},
    Role.SECRETARY: {C.VIEW_MEETING, C.SEE_ALL_ITEMS, C.EDIT_MEETING, C.COMMENT, C.SEE_SECRETARIAT_COMMENTS},
    Role.MEMBER: {C.VIEW_MEETING, C.SEE_ALL_ITEMS, C.REQUEST_TO_SPEAK, C.COMMENT, C.VOTE},
    Role.GUEST: {C.VIEW_MEETING, C.REQUEST_TO_SPEAK, C.COMMENT},
    Role.OBSERVER: {C.VIEW_MEETING, C.SEE_ALL_ITEMS},
}


class Plain:
    is_secretariat = False


class Secretariat:
    is_secretariat = True


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("capability", list(C))
def test_role_capability_matrix(role, capability):
    assert allows(Plain(), role, capability) is (capability in EXPECTED[role])


def test_only_the_secretariat_edits_and_only_the_chair_runs_the_session():
    editors = {role for role in Role if allows(Plain(), role, C.EDIT_MEETING)}
    runners = {role for role in Role if allows(Plain(), role, C.RUN_SESSION)}
    assert editors == {Role.SECRETARY}
    assert runners == {Role.CHAIR}


def test_tenant_secretariat_acts_as_secretary_everywhere_in_its_tenant():
    assert effective_role(Secretariat(), None) == Role.SECRETARY
    assert effective_role(Plain(), None) is None
    assert C.EDIT_MEETING in capabilities(Secretariat(), Role.MEMBER)
    assert C.VOTE in capabilities(Secretariat(), Role.MEMBER)
    assert capabilities(Plain(), None) == frozenset()


def test_meeting_role_comes_from_participation(in_hanoi):
    hanoi = in_hanoi
    assert meeting_role(hanoi.chair, hanoi.meeting) == Role.CHAIR
    assert meeting_role(hanoi.guest, hanoi.meeting) == Role.GUEST
    assert meeting_role(hanoi.secretary, hanoi.meeting) == Role.SECRETARY
    assert meeting_role(hanoi.other_member, hanoi.meeting) is None


def test_a_refused_capability_raises_and_is_audited(in_hanoi):
    hanoi = in_hanoi
    with pytest.raises(NotAllowed):
        access_meeting(hanoi.observer, hanoi.meeting.pk, capability=C.VOTE)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION_REFUSED)
    assert event.user == hanoi.observer
    assert event.detail["capability"] == "vote"
    assert event.detail["meeting_id"] == hanoi.meeting.pk
    require(hanoi.member, Role.MEMBER, C.VOTE)  # allowed: no exception, no audit row
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PERMISSION_REFUSED).count() == 1
