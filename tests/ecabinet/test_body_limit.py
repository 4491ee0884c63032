"""The server's ceiling on request bodies, in front of the real Django ASGI
application: over it, 413 before Django reads the body; under it, Django
answers as usual."""

from __future__ import annotations

import json

import pytest
from channels.testing import HttpCommunicator
from django.conf import settings

from ecabinet.asgi import application, django_asgi_app
from ecabinet.body_limit import BodyLimit

pytestmark = [pytest.mark.django_db(transaction=True)]

LIMIT = 10_000


async def post(app, body: bytes, *, declared: bool) -> dict:
    headers = [(b"host", b"hanoi.localhost"), (b"content-type", b"application/octet-stream")]
    if declared:
        headers.append((b"content-length", str(len(body)).encode()))
    communicator = HttpCommunicator(app, "POST", "/api/v1/auth/token/", body=body, headers=headers)
    return await communicator.get_response(timeout=5)


@pytest.mark.asyncio
@pytest.mark.parametrize("declared", [True, False], ids=["by-content-length", "while-read"])
async def test_a_body_over_the_ceiling_is_refused_with_413(hanoi, declared: bool) -> None:
    response = await post(BodyLimit(django_asgi_app, max_bytes=LIMIT), b"x" * (LIMIT + 1), declared=declared)
    assert response["status"] == 413
    body = json.loads(response["body"])
    assert body["error"] == "request_too_large"
    assert "lớn" in body["detail"]


@pytest.mark.asyncio
async def test_a_body_under_the_ceiling_reaches_django(hanoi) -> None:
    response = await post(BodyLimit(django_asgi_app, max_bytes=LIMIT), b"x" * LIMIT, declared=True)
    # Django's own answer: the token view refuses a body that is not JSON
    assert response["status"] == 415


def test_the_application_has_the_ceiling_of_the_largest_paper_allowed() -> None:
    http = application.application_mapping["http"]
    assert isinstance(http, BodyLimit) and http.app is django_asgi_app
    assert http.max_bytes == (settings.ECABINET_MAX_UPLOAD_MB + 1) * 1024 * 1024
