"""The tenant's signing certificate, PAdES signatures and their verification.

Production loads a PKCS#12 per tenant: ``<ECABINET_SIGNING_DIR>/<slug>.p12``,
or one ``ECABINET_SIGNING_P12`` for every tenant, both opened with
``ECABINET_SIGNING_P12_PASSWORD``. The demo and the tests create a
self-signed certificate per tenant (``manage.py make_signing_cert``, or on
first use where ``ECABINET_SIGNING_SELF_SIGNED`` is on, which it is in
debug only).

pyHanko is beta software: it is pinned, and verification always passes the
trust roots explicitly (the tenants' certificates and any ``.pem``/``.crt``
beside them) and never fetches anything from the network.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.translation import gettext as _

from ecabinet.errors import NotFound
from ecabinet.models import SignedDocument, Tenant
from ecabinet.roles import TenantCapability, tenant_allows

logger = logging.getLogger(__name__)

CERT_YEARS = 5


class SigningUnavailable(RuntimeError):
    """No certificate is configured for a tenant (a setup problem, not the user's)."""


# --- the store is immutable, except for a deliberate flush ---------------------

# --- where the certificates are ---------------------------------------------


def signing_dir() -> Path:
    return Path(settings.ECABINET_SIGNING_DIR)


def _password() -> bytes | None:
    password = settings.ECABINET_SIGNING_P12_PASSWORD
    return password.encode() if password else None


def p12_path(tenant: Tenant) -> Path:
    """The PKCS#12 file that holds ``tenant``'s key and certificate."""
    shared = settings.ECABINET_SIGNING_P12
    if shared:
        return Path(shared)
    return signing_dir() / f"{tenant.slug}.p12"


def make_self_signed_p12(tenant: Tenant, *, path: Path | None = None, overwrite: bool = False) -> Path:
    """Create a self-signed RSA 2048 certificate for ``tenant`` (demo and tests).

    The subject is CN = O = the tenant's name, C = VN. The file is written
    atomically with mode 0600; an existing file is kept unless ``overwrite``.
    """
    path = path or signing_dir() / f"{tenant.slug}.p12"
    if path.exists() and not overwrite:
        return path
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, tenant.name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, tenant.name[:64]),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: what pyHanko asks of a signer
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    password = _password()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    )
    data = pkcs12.serialize_key_and_certificates(tenant.slug.encode(), key, certificate, None, encryption)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed: two processes creating the demo certificate
    # at once each leave a whole file, never half of one.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o600)
        if overwrite:
            _retire(path)
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
            os.unlink(temporary)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    _load_p12.cache_clear()
    return path


def _retire(path: Path) -> None:
    """Keep the certificate of a PKCS#12 about to be replaced, as a trusted .pem.

    Documents signed before stay verifiable: the trust roots include every
    .pem in the signing directory. The private key is not kept.
    """
    if not path.exists():
        return
    try:
        _key, certificate, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), _password())
    except ValueError:
        logger.warning("cannot open %s to keep its certificate; replacing it anyway", path)
        return
    if certificate is None:
        return
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()[:16]
    retired = path.with_name(f"{path.stem}-retired-{fingerprint}.pem")
    retired.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))


# --- loading ------------------------------------------------------------------


@dataclass(frozen=True)
class _P12:
    data: bytes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


class _Cache:
    """A p12 cache keyed by path, size and modification time (files get rotated)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[str, int, int], _P12] = {}

    def __call__(self, path: Path) -> _P12:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key in self._items:
                return self._items[key]
        data = path.read_bytes()
        try:
            _key, certificate, chain = pkcs12.load_key_and_certificates(data, _password())
        except ValueError as exc:
            raise SigningUnavailable(f"{path}: cannot open the PKCS#12 file ({exc})") from exc
        if certificate is None:
            raise SigningUnavailable(f"{path}: the PKCS#12 file holds no certificate")
        loaded = _P12(data=data, certificate=certificate, chain=tuple(chain))
        with self._lock:
            self._items = {k: v for k, v in self._items.items() if k[0] != str(path)}
            self._items[key] = loaded
        return loaded

    def cache_clear(self) -> None:
        with self._lock:
            self._items.clear()


_load_p12 = _Cache()


def tenant_p12(tenant: Tenant) -> _P12:
    path = p12_path(tenant)
    if not path.exists():
        if settings.ECABINET_SIGNING_SELF_SIGNED and not settings.ECABINET_SIGNING_P12:
            logger.warning("creating a self-signed demo certificate for %s at %s", tenant.slug, path)
            make_self_signed_p12(tenant, path=path)
        else:
            raise SigningUnavailable(
                f"no signing certificate for tenant {tenant.slug}: expected {path} "
                "(set ECABINET_SIGNING_DIR or ECABINET_SIGNING_P12, or run manage.py make_signing_cert)"
            )
    return _load_p12(path)


def certificate_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def signer_name(tenant: Tenant) -> str:
    """The name a signature of ``tenant`` carries: its certificate's CN."""
    return certificate_name(tenant_p12(tenant).certificate)


def trust_roots() -> list[x509.Certificate]:
    """Every certificate a signature of ours may chain to.

    The tenants' PKCS#12 files (with any chain they hold), the shared one, and
    ``.pem``/``.crt``/``.cer`` files in the signing directory (an issuing CA's
    root, or a certificate of a body whose documents we check).
    """
    roots: dict[bytes, x509.Certificate] = {}

    def add(certificate: x509.Certificate) -> None:
        roots[certificate.fingerprint(hashes.SHA256())] = certificate

    paths: list[Path] = []
    if settings.ECABINET_SIGNING_P12:
        paths.append(Path(settings.ECABINET_SIGNING_P12))
    directory = signing_dir()
    if directory.is_dir():
        paths.extend(sorted(directory.glob("*.p12")))
        for pem in sorted([*directory.glob("*.pem"), *directory.glob("*.crt"), *directory.glob("*.cer")]):
            raw = pem.read_bytes()
            try:
                certificates = (
                    x509.load_pem_x509_certificates(raw)
                    if b"-----BEGIN" in raw
                    else [x509.load_der_x509_certificate(raw)]
                )
            except ValueError:
                logger.warning("not a certificate, ignored as a trust root: %s", pem)
                continue
            for certificate in certificates:
                add(certificate)
    for path in paths:
        if not path.exists():
            continue
        try:
            loaded = _load_p12(path)
        except SigningUnavailable:
            logger.warning("cannot open %s, ignored as a trust root", path)
            continue
        add(loaded.certificate)
        for certificate in loaded.chain:
            add(certificate)
    return list(roots.values())


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


# --- signing ------------------------------------------------------------------


def sign_pdf(
    pdf: bytes, *, tenant: Tenant, reason: str, location: str, field_name: str = "Signature1"
) -> bytes:
    """``pdf`` signed with ``tenant``'s certificate (PAdES baseline B-B, SHA-256).

    Sign last: anything written into the file afterwards (a stamp) shows as a
    modification of the signed document.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError

    loaded = tenant_p12(tenant)
    signer = signers.SimpleSigner.load_pkcs12_data(loaded.data, other_certs=[], passphrase=_password())
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        name=certificate_name(loaded.certificate),
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    # Room for the signature: pyHanko otherwise signs once more just to
    # measure it (about 40 % of the time). The signature, its attributes and
    # the certificates fit in 4 KiB plus the certificates' size; the room is
    # counted in hex digits. Should it not fit, measure after all.
    certificates_size = sum(
        len(c.public_bytes(serialization.Encoding.DER)) for c in (loaded.certificate, *loaded.chain)
    )
    reserved = 2 * (4096 + certificates_size)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        output = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer, bytes_reserved=reserved)
    except SigningError:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        output = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer)
    return bytes(output.getvalue())


# --- verification ---------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What a verification found, in terms a person can be told.

    ``intact``: the signed bytes are unchanged; ``valid``: the signature is
    mathematically sound; ``trusted``: the certificate is one of ours;
    ``covers_whole_file``: nothing was appended after signing.
    """

    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    signer: str
    signed_at: datetime | None
    covers_whole_file: bool
    problem: str
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.covers_whole_file

    @property
    def altered(self) -> bool:
        """Signed, but the file is not the one that was signed."""
        return self.signed and not (self.intact and self.covers_whole_file)


def _refused(problem: str, *, signed: bool = False, digest: str = "", signer: str = "") -> Verification:
    return Verification(
        signed=signed,
        intact=False,
        valid=False,
        trusted=False,
        signer=signer,
        signed_at=None,
        covers_whole_file=False,
        problem=problem,
        sha256=digest,
    )


def verify_pdf(data: bytes) -> Verification:
    """Check the signature of a PDF; never raises on what a person uploads."""
    digest = hashlib.sha256(data).hexdigest() if isinstance(data, bytes | bytearray) else ""
    if not isinstance(data, bytes | bytearray) or not data:
        return _refused(_("The file is empty."), digest=digest)
    # A PDF is read whole into memory to be checked.
    if len(data) > settings.ECABINET_VERIFY_MAX_BYTES:
        return _refused(_("The file is too large to check."), digest=digest)
    if b"%PDF-" not in bytes(data[:1024]):
        return _refused(_("This is not a PDF file."), digest=digest)
    try:
        return _verify(bytes(data), digest)
    except Exception as exc:
        # pyHanko and its parsers raise many kinds of errors on damaged files;
        # a damaged upload is an answer, not a crash.
        logger.info("verification could not read a file: %s: %s", type(exc).__name__, exc)
        return _refused(_("The file is damaged: it cannot be read as a PDF."), digest=digest)


def _verify(data: bytes, digest: str) -> Verification:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = list(reader.embedded_signatures)
    if not signatures:
        return _refused(_("The file has no digital signature."), digest=digest)
    context = ValidationContext(
        trust_roots=[_asn1(c) for c in trust_roots()], allow_fetching=False, revocation_mode="soft-fail"
    )
    # The last signature is the one that covers the most of the file; earlier
    # ones must still be intact.
    statuses: list[Any] = []
    for embedded in signatures:
        if not _only_padding_after_signature(embedded.pkcs7_content):
            return _refused(_("The signature is damaged: the file was altered."), signed=True, digest=digest)
        try:
            statuses.append(validate_pdf_signature(embedded, context))
        except Exception:
            logger.info("a signature could not be validated", exc_info=True)
            return _refused(_("The signature is damaged: the file was altered."), signed=True, digest=digest)
    status = statuses[-1]
    signer = _subject_name(status.signing_cert)
    intact = all(s.intact for s in statuses)
    valid = all(s.valid for s in statuses)
    trusted = all(s.trusted for s in statuses)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not intact or not valid:
        problem = _("The file was altered after it was signed.")
    elif not whole:
        problem = _("Something was added to the file after it was signed.")
    elif not trusted:
        problem = _("The signature is sound, but the certificate is not one this system trusts.")
    else:
        problem = ""
    signed_at = status.signer_reported_dt
    return Verification(
        signed=True,
        intact=intact,
        valid=valid,
        trusted=trusted,
        signer=signer,
        signed_at=signed_at,
        covers_whole_file=whole,
        problem=problem,
        sha256=digest,
    )


def _only_padding_after_signature(contents: bytes) -> bool:
    """Whether the room reserved for the signature holds the signature and zeros only.

    The signature's own bytes are the one part of a signed PDF its digest
    cannot cover; a reader ignores what follows the signature there, so a byte
    changed in that padding would otherwise go unnoticed.
    """
    from asn1crypto import parser

    try:
        info = parser.parse(contents)
    except ValueError:
        return False
    used = len(info[3]) + len(info[4]) + len(info[5])
    return not contents[used:].strip(b"\x00")


def _subject_name(certificate: asn1_x509.Certificate) -> str:
    try:
        common_name = certificate.subject.native.get("common_name")
        if common_name:
            return str(common_name)
        return str(certificate.subject.human_friendly)
    except Exception:
        return ""


# --- who may read a signed document ------------------------------------------------

AccessCheck = Callable[[Any, SignedDocument], bool]
_ACCESS_CHECKS: dict[str, AccessCheck] = {}


def register_signed_document_access(kind: str, check: AccessCheck) -> None:
    """The owning app says who may read its documents of ``kind`` (in its ``ready()``).

    ``check(user, document)`` is asked only for a logged-in user of the
    document's tenant. Without a check, only the tenant's secretariat may.
    """
    _ACCESS_CHECKS[kind] = check


def may_read_signed_document(user: Any, document: SignedDocument) -> bool:
    if not getattr(user, "is_authenticated", False) or user.tenant_id != document.tenant_id:
        return False
    check = _ACCESS_CHECKS.get(document.kind)
    if check is None:
        return tenant_allows(user, TenantCapability.READ_RECORDS)
    return bool(check(user, document))


def access_signed_document(user: Any, document_id: int, *, request: Any = None) -> SignedDocument:
    """The document, if ``user`` may read it; NotFound alike for missing and forbidden.

    A refusal of a document that exists in this tenant is audited.
    """
    from ecabinet import audit

    document = SignedDocument.objects.filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    if not may_read_signed_document(user, document):
        audit.record(
            audit.Kind.PERMISSION_REFUSED, request=request, user=user, signed_document_id=document.pk
        )
        raise NotFound()
    return document
