"""One description per shape of data that leaves the server.

A shape is a ``TypedDict``: the payload function that fills it is checked by
mypy against it, the socket frames and the API answers carry it, and the API
schema reads it through ``serializer_for`` (a serializer class made from the
``TypedDict``, named after it: ``MeetingShape`` is the schema's ``Meeting``).
Field details the Python type cannot say ride in ``Annotated``:

    class ClockShape(TypedDict):
        elapsed_seconds: Annotated[int, Doc("Time run before `running_since`.")]
        running_since: Annotated[str | None, DATETIME, Doc("Null while the clock stands.")]

``DATETIME`` marks an ISO 8601 text, ``Choice(SomeChoices)`` a value of a
``TextChoices`` (``Enum(SomeChoices, "Name")`` with a named schema
component), ``Range`` a number's bounds, ``Doc`` the description.
``NotRequired`` keys may be absent.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Annotated, Any, NotRequired, Union, get_args, get_origin, get_type_hints, is_typeddict

from django.db import models
from rest_framework import serializers

from ecabinet.api import EnumField, Serializer


@dataclass(frozen=True)
class Doc:
    text: str


@dataclass(frozen=True)
class _DateTime:
    pass


DATETIME = _DateTime()


@dataclass(frozen=True)
class Choice:
    choices: type[models.TextChoices]


@dataclass(frozen=True)
class Range:
    low: float
    high: float


@dataclass(frozen=True)
class Enum:
    choices: type[models.TextChoices]
    name: str  # the schema component: "<name>Enum"


def shape_name(shape: type) -> str:
    return shape.__name__.removesuffix("Shape")


_made: dict[type, type[Serializer]] = {}


def serializer_for(shape: type, *, base: type[Serializer] | None = None) -> type[Serializer]:
    """The serializer class the API schema reads for ``shape`` (a ``TypedDict``), one per shape.

    ``base``: a shape that is also an input (``ecabinet.api.Input``: unknown keys refused) is
    made on it, by the module that parses it, before any answer nests it.
    """
    made = _made.get(shape)
    if made is not None:
        if base is not None and not issubclass(made, base):
            raise TypeError(f"{shape.__name__} was made before, not on {base.__name__}")
        return made
    if not is_typeddict(shape):
        raise TypeError(f"{shape!r} is not a TypedDict")
    hints = get_type_hints(shape, include_extras=True)
    required = getattr(shape, "__required_keys__", frozenset(hints))
    fields = {key: _field(hint, required=key in required) for key, hint in hints.items()}
    doc = (shape.__doc__ or "").strip()
    attrs: dict[str, Any] = {**fields, "__module__": shape.__module__}
    if doc and not doc.startswith(shape.__name__ + "("):
        attrs["__doc__"] = doc
    made = type(shape_name(shape) + "Serializer", (base or Serializer,), attrs)
    _made[shape] = made
    return made


def _field(hint: Any, *, required: bool) -> serializers.Field[Any, Any, Any, Any]:
    extras: tuple[Any, ...] = ()
    if get_origin(hint) is NotRequired:
        (hint,) = get_args(hint)
        required = False
    if get_origin(hint) is Annotated:
        hint, *rest = get_args(hint)
        extras = tuple(rest)
    kwargs: dict[str, Any] = {}
    if get_origin(hint) in (Union, types.UnionType):
        members = [a for a in get_args(hint) if a is not type(None)]
        if len(members) < len(get_args(hint)):
            kwargs["allow_null"] = True
        if len(members) == 1:
            hint = members[0]
    for extra in extras:
        if isinstance(extra, Doc):
            kwargs["help_text"] = extra.text
        if isinstance(extra, Range):
            kwargs["min_value"], kwargs["max_value"] = extra.low, extra.high
    if not required:
        kwargs["required"] = False
    for extra in extras:
        if isinstance(extra, _DateTime):
            return serializers.DateTimeField(**kwargs)
        if isinstance(extra, Choice):
            return serializers.ChoiceField(choices=extra.choices.choices, **kwargs)
        if isinstance(extra, Enum):
            return EnumField(extra.choices, enum_name=extra.name, **kwargs)
    if is_typeddict(hint):
        return serializer_for(hint)(**kwargs)
    origin = get_origin(hint)
    if origin is list:
        (child,) = get_args(hint)
        if is_typeddict(child):
            return serializer_for(child)(many=True, **kwargs)
        return serializers.ListField(child=_field(child, required=True), **kwargs)
    if origin is dict:
        _key, value = get_args(hint)
        if value is Any:
            return serializers.DictField(**kwargs)
        return serializers.DictField(child=_field(value, required=True), **kwargs)
    simple: dict[Any, type[serializers.Field[Any, Any, Any, Any]]] = {
        int: serializers.IntegerField,
        str: serializers.CharField,
        bool: serializers.BooleanField,
        float: serializers.FloatField,
        Any: serializers.JSONField,
    }
    if hint in simple:
        return simple[hint](**kwargs)
    raise TypeError(f"no schema field for {hint!r}")
