import pytest
from django.test import Client

from ecabinet.actions import do_create_tenant
from ecabinet.models import Tenant
from ecabinet.tenancy import TenantNotSet, UnknownHost, slug_for_host, tenant_context, tenant_for_host
from meetings.models import Meeting, Participant


@pytest.mark.parametrize(
    ("host", "slug"),
    [
        ("hanoi.localhost", "hanoi"),
        ("hanoi.localhost:8000", "hanoi"),
        ("HANOI.LOCALHOST", "hanoi"),
        ("localhost:8000", "chinhphu"),
        ("127.0.0.1", "chinhphu"),
        ("[::1]:8000", "chinhphu"),
        ("a.b.localhost", None),
        ("hanoi.example.org", None),
        (".localhost", None),
    ],
)
def test_host_names_a_tenant_slug(host, slug):
    assert slug_for_host(host) == slug


def test_host_resolves_to_its_tenant(hanoi, danang):
    assert tenant_for_host("hanoi.localhost:8000") == hanoi.tenant
    assert tenant_for_host("danang.localhost") == danang.tenant
    with pytest.raises(UnknownHost):
        tenant_for_host("haiphong.localhost")


def test_bare_host_serves_the_default_tenant(hanoi, settings):
    settings.ECABINET_DEFAULT_TENANT = "hanoi"
    response = Client(HTTP_HOST="127.0.0.1").get("/accounts/login/")
    assert response.status_code == 200
    assert response.context["tenant"] == hanoi.tenant


def test_unknown_host_gets_a_readable_404_page(hanoi):
    response = Client(HTTP_HOST="haiphong.localhost").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "haiphong.localhost" in body
    assert "<html" in body


def test_unknown_host_on_the_api_gets_the_json_error_shape(hanoi):
    response = Client(HTTP_HOST="haiphong.localhost").get("/api/v1/meetings/")
    assert response.status_code == 404
    assert response.json()["error"] == "unknown_tenant"
    assert response.json()["detail"]


def test_merged_tenant_points_to_the_tenant_that_carries_on(danang):
    quangnam = do_create_tenant(slug="quangnam", name="UBND tỉnh Quảng Nam", level=Tenant.Level.PROVINCE)
    Tenant.objects.filter(pk=quangnam.pk).update(is_active=False, merged_into=danang.tenant)
    response = Client(HTTP_HOST="quangnam.localhost:8000").get("/")
    assert response.status_code == 404
    assert b"http://danang.localhost:8000/" in response.content


def test_healthz_needs_no_tenant_and_reports_ok(db):
    response = Client(HTTP_HOST="nowhere.localhost").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_scoped_manager_never_returns_another_tenants_rows(hanoi, danang):
    with tenant_context(hanoi.tenant):
        assert list(Meeting.objects.all()) == [hanoi.meeting]
        assert not Meeting.objects.filter(pk=danang.meeting.pk).exists()
        assert {p.tenant_id for p in Participant.objects.all()} == {hanoi.tenant.pk}
        # related managers are scoped the same way
        assert danang.meeting.participants.count() == 0
    with tenant_context(danang.tenant):
        assert list(Meeting.objects.all()) == [danang.meeting]


def test_scoped_manager_refuses_to_run_without_a_tenant(hanoi):
    with pytest.raises(TenantNotSet):
        list(Meeting.objects.all())


def test_all_tenants_manager_reads_across_tenants(hanoi, danang):
    assert Meeting.all_tenants.count() == 2


def test_links_made_without_a_request_use_https_outside_debug(hanoi, settings, monkeypatch):
    from ecabinet.tenancy import tenant_url

    monkeypatch.setenv("PORT", "8080")
    settings.DEBUG = True
    assert tenant_url(hanoi.tenant) == "http://hanoi.localhost:8080/"
    settings.DEBUG = False
    assert tenant_url(hanoi.tenant) == "https://hanoi.localhost/"
