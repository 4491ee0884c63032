"""What every API route shares: authentication on the tenant's host, JSON
errors in one shape, token login, and the toolkit every app's API and socket
actions parse their input with (``Input``, ``parse``, the fields)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth import authenticate
from django.db import models
from django.http import HttpRequest, JsonResponse, QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from ecabinet import audit
from ecabinet.errors import ActionError, Invalid
from ecabinet.models import MAX_ID


def error_body(code: str, detail: str | Promise) -> dict[str, str]:
    return {"error": code, "detail": str(detail)}


def error_response(code: str, detail: str | Promise, *, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, detail), status=status, json_dumps_params={"ensure_ascii": False})


# Serializers are generic in the type stubs only: one alias instead of an ignore on each class.
if TYPE_CHECKING:
    Serializer = serializers.Serializer[Any]
else:
    Serializer = serializers.Serializer


class ErrorSerializer(Serializer):
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


# --- the shared toolkit: input strict, typed, aware ------------------------------------------


class Input(Serializer):
    """An API body: a JSON object whose every key is a known field."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError({key[:50]: [_("Unknown field.")] for key in unknown[:10]})
        return super().to_internal_value(data)


class NoInput(Input):
    """No body, or an empty JSON object."""

    class Meta:
        ref_name = "NoInput"


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with a time zone; a time without one is refused, not guessed."""

    default_error_messages = {
        "naive": gettext_lazy("Give the time with its time zone, e.g. 2026-12-01T08:00:00+07:00."),
    }

    def enforce_timezone(self, value: datetime) -> datetime:
        if timezone.is_naive(value):
            self.fail("naive")
        # In UTC, as stored: the answer then reads the same as every later read.
        return super().enforce_timezone(value).astimezone(UTC)


class EnumField(serializers.ChoiceField):
    """A choice of a ``TextChoices``, documented as the schema component ``<enum_name>Enum``.

    The payloads use one field name for different choice sets (``kind`` of a
    meeting and of a request to speak) and one choice set under two names
    (``role``, ``my_role``); naming the set, not the field, keeps the schema
    free of guessed enum names.
    """

    def __init__(self, choices: type[models.TextChoices], *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        self.enum_values = list(choices.values)
        super().__init__(choices=choices.choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    target_class = EnumField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field = cast(EnumField, self.target)
        component = ResolvedComponent(  # type: ignore[no-untyped-call]
            name=f"{field.enum_name}Enum",
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={"type": "string", "enum": field.enum_values},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class StrictIntegerField(serializers.IntegerField):
    """A JSON number that is a whole number: "5", 5.0 and true are refused, not read as 5 or 1.
    A form (a multipart upload) has only text: there the digits are read."""

    default_error_messages = {"strict": gettext_lazy("A whole number is required.")}

    def to_internal_value(self, data: Any) -> int:
        from_a_form = isinstance(getattr(self.root, "initial_data", None), QueryDict)
        if not (from_a_form and isinstance(data, str)) and (
            not isinstance(data, int) or isinstance(data, bool)
        ):
            self.fail("strict")
        return cast(int, super().to_internal_value(data))


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false: "yes", 1 and "on" are refused, not read as true (a form's text is read)."""

    default_error_messages = {"strict": gettext_lazy("Give true or false.")}

    def to_internal_value(self, data: Any) -> bool:
        if isinstance(getattr(self.root, "initial_data", None), QueryDict):
            return bool(super().to_internal_value(data))
        if not isinstance(data, bool):
            self.fail("strict")
        return data


def Flag(**kwargs: Any) -> serializers.BooleanField:  # noqa: N802 - reads as a field type
    """A yes-or-no of an API body or a socket frame: true or false, nothing else."""
    return StrictBooleanField(**kwargs)


def Id(**kwargs: Any) -> serializers.IntegerField:  # noqa: N802 - reads as a field type
    """The id of a row: a whole number from 1 up (text and true are refused)."""
    return StrictIntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def parse(serializer_class: type[Serializer], data: Any) -> dict[str, Any]:
    """``data`` (an API body or a socket frame's ``data``) checked by ``serializer_class``;
    ``Invalid`` names what is wrong, in the words the API and the socket both answer with."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise Invalid("; ".join(_flatten(serializer.errors)) or _("The request is not valid."))
    return dict(serializer.validated_data)


def parse_request(serializer_class: type[Serializer], request: Request) -> dict[str, Any]:
    return parse(serializer_class, request.data)


_bodies: dict[tuple[type[Serializer], tuple[str, ...]], type[Serializer]] = {}


def body_of(given: type[Serializer], *, without: tuple[str, ...] = ()) -> type[Serializer]:
    """The API body of an operation whose input ``given`` also holds ids the API takes from its
    path (``without``): the same fields and rules, less those, under the same schema name."""
    if not without:
        return given
    key = (given, without)
    if key not in _bodies:
        fields = {name: field for name, field in given._declared_fields.items() if name not in without}
        if not fields:
            _bodies[key] = NoInput
        else:
            attrs: dict[str, Any] = {**fields, "__module__": given.__module__, "__doc__": given.__doc__}
            meta = getattr(given, "Meta", None)
            if meta is not None:
                attrs["Meta"] = meta
            _bodies[key] = type(given.__name__ + "Body", (Input,), attrs)
    return _bodies[key]


def errors(*codes: int) -> dict[int, type[ErrorSerializer]]:
    """The error answers of an operation, for its schema."""
    return dict.fromkeys(codes, ErrorSerializer)


# Every write may be refused for input (400), login (401), role (403),
# visibility (404) or the state of what it changes (409).
WRITE_ERRORS = errors(400, 401, 403, 404, 409)


class TokenLoginView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    class InputSerializer(Serializer):
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
