"""Writes of the foundation: tenants and accounts."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ecabinet import audit
from ecabinet.errors import Invalid, WrongState
from ecabinet.models import SignedDocument, Tenant, User, slug_validator


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
    acting_user: User | None = None,
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
    audit.record(
        audit.Kind.USER_CREATED,
        user=acting_user,
        tenant=tenant,
        created_user_id=user.pk,
        username=user.username,
        is_secretariat=user.is_secretariat,
        is_national_admin=is_national_admin,
    )
    return user


# --- signed documents -------------------------------------------------------------


def organisation_code(tenant: Tenant) -> str:
    """The issuing body's part of a document's symbol: "UBND", or "CP" for the Government."""
    return "CP" if tenant.level == Tenant.Level.GOVERNMENT else "UBND"


@transaction.atomic
def do_issue_signed_document(
    *,
    tenant: Tenant,
    kind: str,
    title: str,
    template_name: str,
    context: dict[str, Any],
    acting_user: User | None,
    symbol: str = "",
    reference: str = "",
) -> SignedDocument:
    """Number, render, sign and keep a document; audit it (DOCUMENT_SIGNED).

    ``template_name`` extends ``pdf/document.html``; ``context`` may set the
    signature block (``signer_authority``, ``signer_position``,
    ``signer_name``) and ``recipients``. ``symbol`` is the kind's code
    ("KQBQ" gives "KQBQ-UBND"). Numbers run per tenant, kind and year; the
    tenant's row is locked while one is taken, so two documents issued at
    once never share a number (the unique constraint is the backstop).
    """
    from ecabinet import pdf, signing

    kind = (kind or "").strip()
    title = (title or "").strip()
    if not kind or len(kind) > 40:
        raise Invalid(_("A signed document needs a kind of at most 40 characters."))
    if not title or len(title) > 500:
        raise Invalid(_("A signed document needs a title of at most 500 characters."))
    if len(reference) > 100:
        raise Invalid(_("The reference of a signed document is at most 100 characters."))
    code = (symbol or "VB").strip().upper()
    full_symbol = code if "-" in code else f"{code}-{organisation_code(tenant)}"

    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    last = SignedDocument.all_tenants.filter(tenant=tenant, kind=kind, year=year).aggregate(Max("number"))
    number = (last["number__max"] or 0) + 1
    number_symbol = f"{number:02d}/{full_symbol}"
    # The number printed is the number kept: the caller's context cannot change it.
    render_context = {
        "title": title,
        "issued_at": issued_at,
        **context,
        "tenant": tenant,
        "number_symbol": number_symbol,
    }
    try:
        signer_name = signing.signer_name(tenant)
        document_pdf = pdf.render_pdf(template_name, render_context)
        signed = signing.sign_pdf(
            document_pdf,
            tenant=tenant,
            reason=f"{number_symbol} {title}"[:200],
            location=pdf.place_of(tenant),
        )
    except signing.SigningUnavailable as exc:
        raise WrongState(
            _("This tenant has no signing certificate yet. Ask the administrator to install it.")
        ) from exc
    document = SignedDocument.all_tenants.create(
        tenant=tenant,
        kind=kind,
        year=year,
        number=number,
        symbol=full_symbol,
        title=title,
        reference=reference,
        content=signed,
        size=len(signed),
        sha256=hashlib.sha256(signed).hexdigest(),
        signed_at=issued_at,
        signer_name=signer_name[:200],
        signer_position=str(render_context.get("signer_position") or "")[:200],
        signer_person=str(render_context.get("signer_name") or "")[:200],
        created_by=acting_user,
    )
    audit.record(
        audit.Kind.DOCUMENT_SIGNED,
        tenant=tenant,
        user=acting_user,
        document=document.pk,
        document_kind=kind,
        number=number_symbol,
        reference=reference,
        sha256=document.sha256,
    )
    return document
