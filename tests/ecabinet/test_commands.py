import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ecabinet.models import Tenant, User
from ecabinet.tenancy import tenant_context
from meetings.models import Meeting, Participant


def test_create_tenant_makes_a_province_with_its_first_secretary(db, capsys):
    call_command(
        "create_tenant",
        "haiphong",
        "UBND thành phố Hải Phòng",
        "--level",
        "province",
        "--secretary",
        "haiphong-secretary",
        "--password",
        "a-long-Passw0rd-for-tests",
    )
    tenant = Tenant.objects.get(slug="haiphong")
    assert (tenant.name, tenant.level) == ("UBND thành phố Hải Phòng", "province")
    secretary = User.objects.get(username="haiphong-secretary")
    assert secretary.tenant == tenant
    assert secretary.is_secretariat
    assert "Đã tạo UBND thành phố Hải Phòng tại haiphong.localhost" in capsys.readouterr().out
    client = Client(HTTP_HOST="haiphong.localhost")
    response = client.post(
        "/accounts/login/", {"login": "haiphong-secretary", "password": "a-long-Passw0rd-for-tests"}
    )
    assert response.status_code == 302


def test_create_tenant_prints_a_generated_password_when_none_is_given(db, capsys):
    call_command("create_tenant", "camau", "UBND tỉnh Cà Mau", "--secretary", "camau-secretary")
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1].rsplit(": ", 1)[1]
    assert User.objects.get(username="camau-secretary").check_password(password)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hanoi", "Trùng", "--secretary", "x1"], "Địa chỉ “hanoi” đã được dùng"),
        (["Bad Slug", "Tên", "--secretary", "x2"], "chữ thường"),
        (["phuong1", "Phường 1", "--level", "commune", "--secretary", "x3"], "đơn vị cấp trên"),
        (
            ["phuong2", "Phường 2", "--level", "commune", "--parent", "nowhere", "--secretary", "x4"],
            "nowhere",
        ),
        (["newprov", "Tỉnh mới", "--secretary", "hanoi-chair"], "“hanoi-chair” đã có người dùng"),
    ],
)
def test_create_tenant_refuses_bad_input_and_leaves_nothing(hanoi, args, message):
    tenants, users = Tenant.objects.count(), User.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("create_tenant", *args)
    assert (Tenant.objects.count(), User.objects.count()) == (tenants, users)


def test_create_tenant_makes_a_commune_under_its_province(hanoi):
    call_command(
        "create_tenant",
        "hoankiem",
        "UBND phường Hoàn Kiếm",
        "--level",
        "commune",
        "--parent",
        "hanoi",
        "--secretary",
        "hoankiem-secretary",
    )
    assert Tenant.objects.get(slug="hoankiem").parent == hanoi.tenant


def test_seed_demo_creates_the_contract_accounts_and_is_idempotent(db, settings):
    call_command("seed_demo", "--quiet")
    counts = (
        Tenant.objects.count(),
        User.objects.count(),
        Meeting.all_tenants.count(),
        Participant.all_tenants.count(),
    )
    call_command("seed_demo", "--quiet")
    assert counts == (
        Tenant.objects.count(),
        User.objects.count(),
        Meeting.all_tenants.count(),
        Participant.all_tenants.count(),
    )
    assert set(Tenant.objects.values_list("slug", flat=True)) == {"chinhphu", "hanoi", "danang"}
    expected = {"admin"} | {
        f"{slug}-{key}"
        for slug in ("chinhphu", "hanoi", "danang")
        for key in ["secretary", "chair", "vicechair", "guest"] + [f"member{n}" for n in range(1, 9)]
    }
    assert set(User.objects.values_list("username", flat=True)) == expected
    assert User.objects.get(username="admin").is_national_admin
    finance = User.objects.get(username="chinhphu-member1")
    assert finance.title == "Bộ trưởng Bộ Tài chính"
    assert User.objects.get(username="hanoi-secretary").is_secretariat
    # every demo account logs in at its own host with the demo password
    client = Client(HTTP_HOST="danang.localhost")
    assert (
        client.post(
            "/accounts/login/", {"login": "danang-chair", "password": settings.DEMO_PASSWORD}
        ).status_code
        == 302
    )
    with tenant_context(Tenant.objects.get(slug="hanoi")):
        meeting = Meeting.objects.get()
        roles = dict(Participant.objects.filter(meeting=meeting).values_list("user__username", "role"))
    assert roles["hanoi-chair"] == "chair"
    assert roles["hanoi-vicechair"] == "vice_chair"
    assert roles["hanoi-member8"] == "member"
