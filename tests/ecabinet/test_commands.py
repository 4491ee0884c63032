import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ecabinet.models import Tenant, User


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


def test_serving_starts_each_sweep_once(db):
    # given the sweeps the apps registered (the opinion slips' one among them)
    from django_tasks_db.models import DBTaskResult

    from ecabinet.worker import _sweeps, start_sweeps

    paths = {task.module_path for task in _sweeps}
    assert "voting.tasks.sweep_slips" in paths
    # when the server starts twice
    first = start_sweeps()
    second = start_sweeps()
    # then each sweep waits in the queue once
    assert set(first) == paths and second == []
    waiting = DBTaskResult.objects.filter(task_path__in=paths, status="READY")
    assert sorted(waiting.values_list("task_path", flat=True)) == sorted(paths)
