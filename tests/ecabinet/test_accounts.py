import re

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client

from ecabinet.models import AuditEvent
from tests.conftest import PASSWORD

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"login": username, "password": password})


def test_login_page_speaks_vietnamese(hanoi):
    response = hanoi.client().get("/accounts/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="vi"' in body
    assert "Đăng nhập" in body
    assert "Tên đăng nhập" in body
    assert "Mật khẩu" in body


def test_login_at_own_tenant_succeeds_and_is_audited(hanoi):
    client = hanoi.client()
    response = login(client, hanoi.member.username, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN)
    assert event.user == hanoi.member
    assert event.tenant == hanoi.tenant
    assert event.ip == "127.0.0.1"


def test_wrong_password_and_other_tenant_get_the_same_answer(hanoi, danang):
    wrong_password = login(hanoi.client(), hanoi.member.username, "not-the-password")
    other_tenant = login(hanoi.client(), danang.member.username, PASSWORD)
    for response in (wrong_password, other_tenant):
        assert response.status_code == 200
        assert WRONG in response.content.decode()

    def normalised(response, username):
        page = response.content.decode().replace(username, "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert normalised(wrong_password, hanoi.member.username) == normalised(
        other_tenant, danang.member.username
    )


def test_cross_tenant_login_is_refused_and_audited(hanoi, danang):
    client = hanoi.client()
    login(client, danang.chair.username, PASSWORD)
    assert client.get("/").status_code == 302  # still not logged in
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.tenant == hanoi.tenant
    assert event.user is None
    assert event.detail["username"] == danang.chair.username
    assert "password" not in str(event.detail).lower()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN).exists()


def test_another_tenants_session_counts_as_not_logged_in(hanoi, danang):
    client = hanoi.client(danang.chair)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_national_admin_reaches_the_admin_and_tenant_users_do_not(hanoi, national_admin):
    assert hanoi.client(national_admin).get("/admin/").status_code == 200
    response = hanoi.client(hanoi.secretary).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_logout_page_logs_out(hanoi):
    client = hanoi.client(hanoi.member)
    assert "Đăng xuất" in client.get("/accounts/logout/").content.decode()
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGOUT, user=hanoi.member).exists()


def test_audit_log_refuses_updates_in_the_database(hanoi):
    login(hanoi.client(), hanoi.member.username, "wrong")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(kind=AuditEvent.Kind.LOGIN)
    event.refresh_from_db()
    assert event.kind == AuditEvent.Kind.LOGIN_FAILED


def test_pages_stay_vietnamese_for_an_english_browser_until_english_is_chosen(hanoi):
    client = hanoi.client()
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert 'lang="en"' in page.content.decode()
    assert "Log in" in page.content.decode()
