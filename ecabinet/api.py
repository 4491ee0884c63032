"""What every API route shares: authentication on the tenant's host, JSON
errors in one shape, and token login."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from ecabinet import audit
from ecabinet.errors import ActionError


def error_body(code: str, detail: str | Promise) -> dict[str, str]:
    return {"error": code, "detail": str(detail)}


def error_response(code: str, detail: str | Promise, *, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, detail), status=status, json_dumps_params={"ensure_ascii": False})


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    error = serializers.CharField(help_text="A stable code for programs, e.g. `not_found`.")
    detail = serializers.CharField(help_text="What happened and what to do, for a person.")


_DRF_CODES = {
    exceptions.ParseError: "bad_json",
    exceptions.NotAuthenticated: "not_logged_in",
    exceptions.AuthenticationFailed: "not_logged_in",
    exceptions.PermissionDenied: "not_allowed",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "too_many_requests",
    exceptions.NotAcceptable: "not_acceptable",
}


def _flatten(detail: Any, prefix: str = "") -> list[str]:
    if isinstance(detail, dict):
        out: list[str] = []
        for key, value in detail.items():
            label = "" if key == "non_field_errors" else f"{prefix}{key}"
            out.extend(_flatten(value, f"{label}." if label else ""))
        return out
    if isinstance(detail, list):
        return [m for item in detail for m in _flatten(item, prefix)]
    text = str(detail)
    return [f"{prefix.rstrip('.')}: {text}" if prefix else text]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error as ``{"error": code, "detail": message}``."""
    if isinstance(exc, ActionError):
        return Response(error_body(exc.code, exc.detail), status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ParseError):
        detail = _("The request body is not valid JSON.")
    elif isinstance(exc, exceptions.ValidationError):
        detail = "; ".join(_flatten(exc.detail)) or _("The request is not valid.")
    else:
        detail = str(getattr(exc, "detail", exc))
    code = "invalid"
    for kind, name in _DRF_CODES.items():
        if isinstance(exc, kind):
            code = name
            break
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.status_code = status.HTTP_401_UNAUTHORIZED
    response.data = error_body(code, detail)
    return response


class TokenLoginView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=4096, trim_whitespace=False)
        otp = serializers.CharField(max_length=20, required=False, allow_blank=True)

    @extend_schema(
        request=InputSerializer,
        responses={
            200: inline_serializer("TokenOutput", {"token": serializers.CharField()}),
            400: ErrorSerializer,
            401: ErrorSerializer,
        },
        auth=[],
        summary="Token login",
    )
    def post(self, request: Request) -> Response:
        from rest_framework.authtoken.models import Token

        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            return Response(
                error_body("wrong_credentials", _("Wrong username or password.")),
                status=status.HTTP_401_UNAUTHORIZED,
            )
        token, _created = Token.objects.get_or_create(user=user)
        audit.record(audit.Kind.TOKEN_ISSUED, request=request._request, user=user)
        return Response({"token": token.key})


def api_not_found(request: HttpRequest, **kwargs: Any) -> JsonResponse:
    return error_response("not_found", _("There is no such API route."), status=404)
