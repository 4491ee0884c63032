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


# --- in the tenant ---------------------------------------------------------------------------

from ecabinet.errors import NotFound  # noqa: E402
from ecabinet.roles import TenantCapability as T  # noqa: E402
from ecabinet.roles import access_tenant, tenant_allows  # noqa: E402
from ecabinet.tenancy import tenant_context  # noqa: E402

# who -> what they may do across the tenant; anything not listed is refused.
TENANT_EXPECTED = {
    "secretary": {
        T.CREATE_MEETINGS,
        T.SET_RULES,
        T.MANAGE_SLIPS,
        T.OVERSEE_TASKS,
        T.SEE_DASHBOARD,
        T.MANAGE_DIRECTORY,
        T.READ_RECORDS,
    },
    "chair": {T.SEE_DASHBOARD},  # chairs a meeting of the tenant
    "vice_chair": set(),
    "member": set(),
    "other_member": set(),
    "guest": set(),
    "observer": set(),
}


@pytest.mark.parametrize("who", list(TENANT_EXPECTED))
@pytest.mark.parametrize("capability", list(T))
def test_tenant_capability_matrix(hanoi, who, capability):
    with tenant_context(hanoi.tenant):
        assert tenant_allows(getattr(hanoi, who), capability) is (capability in TENANT_EXPECTED[who])


@pytest.mark.parametrize("capability", list(T))
def test_national_administrators_hold_the_national_figures_only(hanoi, national_admin, capability):
    with tenant_context(hanoi.tenant):
        assert tenant_allows(national_admin, capability) is (capability is T.SEE_NATIONAL_FIGURES)


@pytest.mark.parametrize("capability", list(T))
def test_nobody_of_another_tenant_holds_anything_here(hanoi, danang, capability):
    with tenant_context(hanoi.tenant):
        assert not tenant_allows(danang.secretary, capability)
        with pytest.raises(NotFound):
            access_tenant(danang.secretary, capability)


def test_a_refusal_is_audited_and_the_national_figures_are_not_found(hanoi):
    with tenant_context(hanoi.tenant):
        with pytest.raises(NotAllowed, match="Chỉ Văn phòng và Chủ tịch"):
            access_tenant(hanoi.member, T.SEE_DASHBOARD, path="/reports/dashboard/")
        with pytest.raises(NotFound):
            access_tenant(hanoi.secretary, T.SEE_NATIONAL_FIGURES)
        assert access_tenant(hanoi.secretary, T.SET_RULES).user == hanoi.secretary
    refused = AuditEvent.objects.filter(kind="permission_refused").order_by("id")
    assert [(e.user_id, e.detail["capability"]) for e in refused] == [
        (hanoi.member.pk, "see_dashboard"),
        (hanoi.secretary.pk, "see_national_figures"),
    ]
    assert refused[0].detail["path"] == "/reports/dashboard/"


def test_a_deactivated_secretary_holds_nothing(hanoi):
    hanoi.secretary.is_active = False
    with tenant_context(hanoi.tenant):
        assert not any(tenant_allows(hanoi.secretary, capability) for capability in T)


@pytest.mark.parametrize(
    ("who", "links"),
    [
        (
            "secretary",
            ["slips-link", "dashboard-link", "tasks-link", "verify-link", "rules-link", "create-meeting"],
        ),
        ("chair", ["slips-link", "dashboard-link", "tasks-link", "verify-link"]),
        ("member", ["slips-link", "tasks-link", "verify-link"]),
    ],
)
def test_the_home_page_offers_each_person_what_they_may_open(hanoi, who, links):
    import re

    page = hanoi.client(getattr(hanoi, who)).get("/").content.decode()
    assert re.findall(r'<a class="button[^"]*" id="([\w-]+)"', page) == links


def test_the_home_page_offers_the_national_dashboard_to_national_administrators(hanoi, national_admin):
    page = hanoi.client(national_admin).get("/").content.decode()
    assert 'id="national-link" href="/reports/national/"' in page
    assert 'id="create-meeting"' not in page and 'id="dashboard-link"' not in page
