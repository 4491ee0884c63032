"""One archive holds everything to rebuild the service: the database and every stored file.

``manage.py backup FILE`` writes a gzipped tar:

- ``database.fulljson``: every row (Django's ``dumpdata``, natural keys for
  content types and permissions, which ``migrate`` makes again), read in one
  read-only snapshot (PostgreSQL: REPEATABLE READ), so the archive is a
  moment of the database, not a smear of one;
- ``files/<storage>/<name>``: every file of every registered storage (the
  papers and their stamped copies: ``documents`` registers its storage);
- ``manifest.json``: the format, when and from which engine, the row count
  per model, and each file's size and SHA-256.

``manage.py restore FILE`` goes into an empty database and empty storages
only: it migrates, loads the rows, writes each file back after checking its
SHA-256 against the manifest, and audits the restore. The audit chain and
the meetings' event chains are rows like the others, so ``manage.py
verify_audit`` checks the restored chains, and signed documents keep their
bytes, so they still verify. ``docs/backup.md`` says how to run it.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from ecabinet import audit
from ecabinet.tenancy import every_tenant

FORMAT = 1
CHUNK = 1024 * 1024
# Made again by migrate, or not worth keeping: sessions, task results, heartbeats.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",
    "ecabinet.workerbeat",
]

_storages: dict[str, Callable[[], Storage]] = {}


def register_storage(name: str, storage: Callable[[], Storage]) -> None:
    """A file storage whose files go into every backup, under ``files/<name>/``."""
    _storages[name] = storage


class BackupError(Exception):
    """Why a backup could not be made or restored, in a sentence for the operator."""


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(directories):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def _storage_names(storage: Storage) -> list[str]:
    try:
        return list(_walk(storage))
    except FileNotFoundError:
        return []


def _counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] in EXCLUDED or label in EXCLUDED or model._meta.proxy:
            continue
        if not model._meta.managed:
            continue
        counts[label] = model._base_manager.count()
    return counts


def _dump(path: Path) -> dict[str, int]:
    """Every row into ``path``, in one snapshot; the row count per model of that snapshot."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counts = _counts()
        with every_tenant():
            call_command(
                "dumpdata",
                natural_foreign=True,
                use_base_manager=True,
                format="fulljson",
                exclude=EXCLUDED,
                output=str(path),
                verbosity=0,
            )
    return counts


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Summary:
    path: Path
    rows: int
    files: int
    sha256: str


def make_backup(out: Path) -> Summary:
    """Write the archive to ``out``; audited as ``backup_made`` with the archive's SHA-256."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="ecabinet-backup-") as work:
        database = Path(work) / "database.fulljson"
        counts = _dump(database)
        files: list[dict[str, Any]] = []
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(database, arcname="database.fulljson")
            for storage_name, get in sorted(_storages.items()):
                storage = get()
                for name in _storage_names(storage):
                    digest = hashlib.sha256()
                    with tempfile.TemporaryFile(dir=work) as copy:
                        with storage.open(name, "rb") as source:
                            for chunk in iter(lambda: source.read(CHUNK), b""):
                                digest.update(chunk)
                                copy.write(chunk)
                        size = copy.tell()
                        copy.seek(0)
                        info = tarfile.TarInfo(f"files/{storage_name}/{name}")
                        info.size = size
                        info.mode = 0o600
                        tar.addfile(info, copy)
                    files.append(
                        {"storage": storage_name, "name": name, "size": size, "sha256": digest.hexdigest()}
                    )
            manifest = {
                "format": FORMAT,
                "made_at": timezone.now().isoformat(),
                "engine": connection.vendor,
                "database_sha256": _sha256(database),
                "rows": counts,
                "files": files,
            }
            _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        partial.replace(out)
    summary = Summary(out, sum(counts.values()), len(files), _sha256(out))
    audit.record(
        audit.Kind.BACKUP_MADE, file=out.name, sha256=summary.sha256, rows=summary.rows, files=summary.files
    )
    return summary


def _safe_member(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the archive names a file outside it: {name!r}")
    return name


def _database_empty() -> bool:
    from ecabinet.models import Tenant, User

    return not Tenant.objects.exists() and not User.objects.exists()


def restore_backup(archive: Path) -> Summary:
    """Rebuild an empty database and empty storages from ``archive``; audited as ``backup_restored``."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no backup at {archive}")
    call_command("migrate", interactive=False, verbosity=0)
    if not _database_empty():
        raise BackupError("the database is not empty: restore goes into a new, empty database only")
    for storage_name, get in _storages.items():
        if _storage_names(get()):
            raise BackupError(f"the {storage_name} storage is not empty: restore into empty storage only")
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive} is not a backup of this system ({exc})") from exc
    with tar, tempfile.TemporaryDirectory(prefix="ecabinet-restore-") as work:
        try:
            manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError) as exc:
            raise BackupError("the archive has no readable manifest.json") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"backup format {manifest.get('format')!r}; this version reads {FORMAT}")
        database = Path(work) / "database.fulljson"
        source = tar.extractfile(_safe_member("database.fulljson"))
        if source is None:
            raise BackupError("the archive has no database.fulljson")
        with database.open("wb") as out:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                out.write(chunk)
        if _sha256(database) != manifest["database_sha256"]:
            raise BackupError("the database does not match its checksum: the archive is damaged")
        storages = {name: get() for name, get in _storages.items()}
        written: list[tuple[Storage, str]] = []
        try:
            with transaction.atomic():
                with every_tenant():
                    call_command("loaddata", str(database), verbosity=0)
                for entry in manifest["files"]:
                    storage = storages.get(entry["storage"])
                    if storage is None:
                        raise BackupError(f"this installation has no {entry['storage']!r} storage")
                    member = tar.extractfile(_safe_member(f"files/{entry['storage']}/{entry['name']}"))
                    if member is None:
                        raise BackupError(f"{entry['name']} is missing from the archive")
                    data = member.read()
                    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                        raise BackupError(
                            f"{entry['name']} does not match its checksum: the archive is damaged"
                        )
                    saved = storage.save(_safe_member(entry["name"]), ContentFile(data))
                    written.append((storage, saved))
                    if saved != entry["name"]:
                        raise BackupError(f"{entry['name']} could not be written under its own name")
                restored = _counts()
                short = {
                    k: (v, restored.get(k, 0)) for k, v in manifest["rows"].items() if restored.get(k, 0) < v
                }
                if short:
                    raise BackupError(f"rows missing after loading: {short}")
                audit.record(
                    audit.Kind.BACKUP_RESTORED,
                    file=archive.name,
                    sha256=_sha256(archive),
                    made_at=manifest["made_at"],
                    rows=sum(manifest["rows"].values()),
                    files=len(manifest["files"]),
                )
        except BaseException:
            for storage, name in written:
                storage.delete(name)
            raise
    return Summary(archive, sum(manifest["rows"].values()), len(manifest["files"]), _sha256(archive))
