"""What every app's actions share to check a person's input: one text cleaner,
and one way to read (or make) a tenant's settings row."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from ecabinet.errors import Invalid
from ecabinet.models import Tenant

MAX_TEXT = 5000


def clean_text(value: Any, *, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Text as kept: NUL bytes dropped, trimmed, not empty when ``required``, at most ``limit``.

    ``field`` is the field's name for a person, in their language.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Invalid(_("“%(field)s” must be text.") % {"field": field})
    value = value.replace("\x00", "").strip()
    if required and not value:
        raise Invalid(_("“%(field)s” must not be empty.") % {"field": field})
    if len(value) > limit:
        raise Invalid(
            _("“%(field)s” is longer than %(limit)s characters.") % {"field": field, "limit": limit}
        )
    return str(value)


S = TypeVar("S", bound=models.Model)


def tenant_settings(model: type[S], tenant: Tenant | int, *, create: bool = False, **defaults: Any) -> S:
    """The tenant's row of a settings ``model`` (one per tenant), read across the tenant scope.

    Without a row: the defaults, unsaved (a read changes nothing), or with
    ``create`` a saved row, which a write then locks.
    """
    tenant_id = tenant if isinstance(tenant, int) else tenant.pk
    rows = model.all_tenants if hasattr(model, "all_tenants") else model._default_manager  # type: ignore[attr-defined]
    found = rows.filter(tenant_id=tenant_id).first()
    if found is not None:
        return found
    if not create:
        return model(tenant_id=tenant_id, **defaults)
    try:
        with transaction.atomic():
            return rows.create(tenant_id=tenant_id, **defaults)
    except IntegrityError:  # made meanwhile by another request
        return rows.get(tenant_id=tenant_id)
