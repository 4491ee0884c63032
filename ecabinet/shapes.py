"""One description per shape of data that leaves the server.

A shape is a ``TypedDict``: the payload function that fills it is checked by
mypy against it, the socket frames and the API answers carry it, and the API
schema reads it through ``serializer_for`` (a serializer class made from the
``TypedDict``, named after it: ``MeetingShape`` is the schema's ``Meeting``).
Field details the Python type cannot say ride in ``Annotated``:

    class ClockShape(TypedDict):
        elapsed_seconds: Annotated[int, Doc("Time run before `running_since`.")]
        running_since: Annotated[str | None, DATETIME, Doc("Null while the clock stands.")]

``DATETIME`` (``DATE``) marks an ISO 8601 date-time (date), ``Choice(SomeChoices)`` a value of a
``TextChoices`` (``Enum(SomeChoices, "Name")`` with a named schema
component), ``Range`` a number's bounds, ``Doc`` the description.
``NotRequired`` keys may be absent.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import (
    Annotated,
    Any,
    NotRequired,
    Union,
    cast,
    get_args,
    get_origin,
    get_type_hints,
    is_typeddict,
)

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
class _Date:
    pass


DATE = _Date()


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
    required = _required_keys(shape, hints)
    fields = {key: _field(hint, required=key in required) for key, hint in hints.items()}
    doc = (shape.__doc__ or "").strip()
    attrs: dict[str, Any] = {**fields, "__module__": shape.__module__}
    if doc and not doc.startswith(shape.__name__ + "("):
        attrs["__doc__"] = doc
    made = type(shape_name(shape) + "Serializer", (base or Serializer,), attrs)
    _made[shape] = made
    return made


def _required_keys(shape: type, hints: dict[str, Any]) -> frozenset[str]:
    """The keys a value must have. Under ``from __future__ import annotations`` Python 3.11
    counts ``NotRequired`` keys as required, so the hints decide."""
    optional: frozenset[str] = getattr(shape, "__optional_keys__", frozenset())
    return frozenset(
        key for key, hint in hints.items() if key not in optional and get_origin(hint) is not NotRequired
    )


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
        if isinstance(extra, _Date):
            return serializers.DateField(**kwargs)
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


def problems(value: Any, shape: Any, *, at: str = "") -> list[str]:
    """What in ``value`` does not fit ``shape`` (a TypedDict or a type hint), for the tests that
    check every event and answer against its declaration; empty when it fits."""
    hint: Any = shape
    extras: tuple[Any, ...] = ()
    if get_origin(hint) is NotRequired:
        (hint,) = get_args(hint)
    if get_origin(hint) is Annotated:
        hint, *rest = get_args(hint)
        extras = tuple(rest)
    where = at or "the value"
    if get_origin(hint) in (Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return []
        members = [a for a in options if a is not type(None)]
        each = [problems(value, Annotated[m, *extras] if extras else m, at=at) for m in members]
        return [] if any(not f for f in each) else each[0]
    if any(isinstance(extra, _Date) for extra in extras):
        from datetime import date

        if isinstance(value, date):
            return []
        try:
            date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return [f"{where}: not an ISO 8601 date"]
        return [] if isinstance(value, str) else [f"{where}: not a date"]
    if any(isinstance(extra, _DateTime) for extra in extras):
        from datetime import datetime

        if isinstance(value, datetime):
            return []
        if not isinstance(value, str):
            return [f"{where}: not a date-time"]
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return [f"{where}: not an ISO 8601 date-time"]
        return []
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        hints = get_type_hints(hint, include_extras=True)
        required = _required_keys(hint, hints)
        found = [f"{where}: unknown key {key!r}" for key in value if key not in hints]
        found += [f"{where}: no {key!r}" for key in required if key not in value]
        for key, sub in hints.items():
            if key in value:
                found += problems(value[key], sub, at=f"{at}.{key}" if at else key)
        return found
    origin = get_origin(hint)
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        (child,) = get_args(hint)
        return [p for n, v in enumerate(value) for p in problems(v, child, at=f"{at}[{n}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        _key, child = get_args(hint)
        return (
            [] if child is Any else [p for k, v in value.items() for p in problems(v, child, at=f"{at}.{k}")]
        )
    if hint is Any:
        return []
    if hint is float:
        return (
            []
            if isinstance(value, int | float) and not isinstance(value, bool)
            else [f"{where}: not a number"]
        )
    if hint is int:
        return (
            [] if isinstance(value, int) and not isinstance(value, bool) else [f"{where}: not a whole number"]
        )
    if isinstance(hint, type):
        return [] if isinstance(value, hint) else [f"{where}: not {hint.__name__}"]
    return [f"{where}: cannot check {hint!r}"]


# --- the socket's frames, for the schema ------------------------------------------------------


def frame_serializer() -> Any:
    """A frame of a meeting's stream as the schema documents it: one component per event type
    (``<Type>Frame``, its ``data`` the declared shape) and the ``redacted`` frame, told apart by
    ``type``. Built when the schema is, after every app declared its events."""
    from drf_spectacular.utils import PolymorphicProxySerializer

    from ecabinet.realtime import event_shapes

    def frame(name: str, data: serializers.Field[Any, Any, Any, Any], doc: str) -> Serializer:
        attrs = {
            "type": serializers.ChoiceField(choices=[name]),
            "seq": serializers.IntegerField(help_text="One more than the meeting's event before it."),
            "at": serializers.DateTimeField(),
            "data": data,
            "__doc__": doc,
            "__module__": __name__,
        }
        component = "".join(part.capitalize() for part in name.replace("_", ".").split(".")) + "Frame"
        return cast(Serializer, type(component + "Serializer", (Serializer,), attrs)())

    frames: dict[str, Serializer | type[Serializer]] = {
        name: frame(name, serializer_for(shape)(), f"The `{name}` event.")
        for name, shape in sorted(event_shapes().items())
    }
    frames["redacted"] = frame(
        "redacted",
        serializers.DictField(help_text="Empty: the event is of an item or a paper this user does not see."),
        "An event this user may not read: its number only, so the sequence has no gap.",
    )
    return PolymorphicProxySerializer(
        component_name="EventFrame", serializers=frames, resource_type_field_name="type", many=True
    )
