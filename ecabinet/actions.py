"""Writes of the foundation: tenants and accounts."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.errors import Invalid
from ecabinet.models import Tenant, User, slug_validator


@transaction.atomic
def do_create_tenant(
    *,
    slug: str,
    name: str,
    level: str,
    parent: Tenant | None = None,
    acting_user: User | None = None,
) -> Tenant:
    slug = slug.strip().lower()
    name = name.strip()
    try:
        slug_validator(slug)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages)) from exc
    if not name:
        raise Invalid(_("A tenant needs a name."))
    if level not in Tenant.Level.values:
        raise Invalid(_("Unknown level “%(level)s”.") % {"level": level})
    if level in {Tenant.Level.DISTRICT, Tenant.Level.COMMUNE} and parent is None:
        raise Invalid(_("A district or commune needs its parent tenant."))
    if Tenant.objects.filter(slug=slug).exists():
        raise Invalid(_("The address “%(slug)s” is already taken.") % {"slug": slug})
    tenant = Tenant.objects.create(slug=slug, name=name, level=level, parent=parent)
    audit.record(audit.Kind.TENANT_CREATED, tenant=tenant, user=acting_user, slug=slug)
    return tenant


@transaction.atomic
def do_create_user(
    *,
    tenant: Tenant | None,
    username: str,
    full_name: str,
    password: str | None,
    title: str = "",
    unit: str = "",
    email: str = "",
    is_secretariat: bool = False,
    is_national_admin: bool = False,
    check_password: bool = True,
) -> User:
    username = username.strip()
    if not username:
        raise Invalid(_("A username is required."))
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(_("The username “%(username)s” is already taken.") % {"username": username})
    user = User(
        tenant=tenant,
        username=username,
        full_name=full_name.strip(),
        title=title.strip(),
        unit=unit.strip(),
        email=email.strip(),
        is_secretariat=is_secretariat,
        is_superuser=is_national_admin,
        is_staff=is_national_admin,
    )
    if (tenant is None) != is_national_admin:
        raise Invalid(_("An account belongs to one tenant, unless it is a national administrator."))
    if password is None:
        user.set_unusable_password()
    else:
        if check_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise Invalid(" ".join(exc.messages)) from exc
        user.set_password(password)
    user.save()
    return user
