"""Malformed input of every kind gets a clear 4xx, never a 500."""

import pytest
from django.test import Client

HUGE = "9" * 30


@pytest.mark.parametrize(
    "path",
    [
        f"/meetings/{HUGE}/",
        f"/api/v1/meetings/{HUGE}/events/?since=0",
        f"/api/v1/meetings/1/events/?since={HUGE}",
        "/api/v1/meetings/1/events/?since=0&limit=0",
        "/api/v1/meetings/1/events/?since=0&limit=100000",
        "/api/v1/meetings/1/events/?since=%00",
        "/meetings/%2e%2e/",
    ],
)
def test_malformed_paths_and_queries_are_4xx(hanoi, path):
    response = hanoi.client(hanoi.member).get(path)
    assert 400 <= response.status_code < 500, response.content[:300]
    if path.startswith("/api/"):
        assert set(response.json()) == {"error", "detail"}


@pytest.mark.parametrize(
    "host",
    ["bad host", "hanoi.localhost:notaport", "-.localhost", "x" * 300 + ".localhost"],
)
def test_malformed_hosts_are_4xx(db, host):
    response = Client(HTTP_HOST=host).get("/")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    "body",
    [
        '{"username": "' + "a" * 10000 + '", "password": "x"}',
        '{"username": null, "password": null}',
        '{"username": "a\\u0000b", "password": "x"}',
        "[]",
        "123",
        '"just a string"',
    ],
)
def test_malformed_token_login_bodies_are_4xx_with_the_error_shape(hanoi, body):
    response = Client(HTTP_HOST=hanoi.host).post("/api/v1/auth/token/", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"error", "detail"}


def test_login_form_with_garbage_is_a_page_not_a_500(hanoi):
    response = hanoi.client().post("/accounts/login/", {"login": "\x00" * 5, "password": ""})
    assert response.status_code in {200, 400}


def test_missing_page_is_a_readable_vietnamese_404(hanoi):
    response = hanoi.client(hanoi.member).get("/no/such/page/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_csrf_failure_is_a_readable_page(hanoi):
    from django.test import Client

    client = Client(HTTP_HOST=hanoi.host, enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x", "password": "y"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
