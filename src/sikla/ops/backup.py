"""`sikla backup DIR` and `sikla restore DIR`: the database and the stored files, with a manifest.

A backup folder holds `database.dump` (PostgreSQL, pg_dump's custom format: one consistent
snapshot) or `database.sqlite3` (SQLite's online backup), `files/` (every stored upload, read
through the configured storage, so local disk and object storage alike), and `manifest.json`:
SHA-256 and size of each, and the row count of every table.

The protection key is never in a backup: identities stay encrypted in the dump, and whoever
restores must hold the key. Restore refuses a target that holds data (unless `force`), checks
every checksum before it writes, and after writing compares row counts, re-reads every file and
decrypts the identities with the configured key — saying plainly when the key does not open
them.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Indonesian."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def stored_names(storage=default_storage, prefix: str = ""):
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(prefix, name) if prefix else name
    for folder in sorted(folders):
        yield from stored_names(storage, posixpath.join(prefix, folder) if prefix else folder)


def row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label: model._base_manager.using("default").count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables and model._meta.managed
    }


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} gagal: {done.stderr.strip()[:500]}")


# -- backup ---------------------------------------------------------------------------------------


def backup(target: Path) -> dict:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Folder {target} tidak kosong; pilih folder baru untuk cadangan.")
    (target / "files").mkdir(parents=True, exist_ok=True)
    counts = row_counts()
    if is_postgresql():
        dump = target / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", database_url()])
    else:
        dump = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(dump)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    files = {}
    for name in stored_names():
        if name.startswith("readyz/"):
            continue
        path = target / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, path.open("wb") as out:
            shutil.copyfileobj(source, out)
        files[name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {
            "engine": connection.vendor,
            "file": dump.name,
            "sha256": sha256_file(dump),
            "size": dump.stat().st_size,
        },
        "rows": counts,
        "files": files,
        "note": "Kunci perlindungan (SIKLA_PROTECTION_KEY) tidak termasuk dalam cadangan ini.",
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


# -- restore --------------------------------------------------------------------------------------


@dataclass
class Restored:
    rows: int
    files: int
    identities: int


def read_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except FileNotFoundError as exc:
        raise BackupError(
            f"{source} bukan folder cadangan SIKLA (manifest.json tidak ada)."
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("Format cadangan tidak dikenal oleh versi SIKLA ini.")
    return manifest


def verify_checksums(source: Path, manifest: dict) -> None:
    db = manifest["database"]
    expected = [(source / db["file"], db["sha256"])] + [
        (source / "files" / name, meta["sha256"]) for name, meta in manifest["files"].items()
    ]
    for path, digest in expected:
        if not path.exists():
            raise BackupError(f"Berkas cadangan hilang: {path.relative_to(source)}")
        if sha256_file(path) != digest:
            raise BackupError(
                f"Checksum tidak cocok: {path.relative_to(source)} rusak atau diubah."
            )


def target_holds_data() -> bool:
    tables = set(connection.introspection.table_names())
    if "django_migrations" in tables and any(
        n
        for label, n in row_counts().items()
        if not label.startswith("contenttypes.") and label not in {"auth.Permission"}
    ):
        return True
    return next(stored_names(), None) is not None


def restore(source: Path, *, force: bool = False) -> Restored:
    source = Path(source)
    manifest = read_manifest(source)
    engine = "postgresql" if is_postgresql() else "sqlite"
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"Cadangan ini dari {manifest['database']['engine']}, sedangkan basis data tujuan {engine}."
        )
    verify_checksums(source, manifest)
    if target_holds_data() and not force:
        raise BackupError(
            "Basis data atau penyimpanan tujuan sudah berisi data; pulihkan ke tempat kosong, "
            "atau gunakan --force untuk menimpanya."
        )
    dump = source / manifest["database"]["file"]
    if engine == "postgresql":
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                f"--dbname={database_url()}",
                str(dump),
            ]
        )
    else:
        connections.close_all()
        destination = Path(settings.DATABASES["default"]["NAME"])
        origin = sqlite3.connect(dump)
        into = sqlite3.connect(destination)
        try:
            origin.backup(into)
        finally:
            origin.close()
            into.close()
    for name in list(stored_names()):
        if force:
            default_storage.delete(name)
    for name in manifest["files"]:
        with (source / "files" / name).open("rb") as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"Berkas {name} tersimpan dengan nama lain ({saved}).")
    return check_restored(manifest)


def check_restored(manifest: dict) -> Restored:
    counts = row_counts()
    differing = {
        label: (expected, counts.get(label))
        for label, expected in manifest["rows"].items()
        if counts.get(label) != expected
    }
    if differing:
        raise BackupError(f"Jumlah baris berbeda setelah pemulihan: {differing}")
    for name, meta in manifest["files"].items():
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != meta["sha256"]:
            raise BackupError(f"Berkas {name} berbeda setelah pemulihan.")
    identities = open_identities()
    return Restored(rows=sum(counts.values()), files=len(manifest["files"]), identities=identities)


def open_identities() -> int:
    """Decrypt every encrypted column of the restored rows with the configured key."""
    from sikla.protection.crypto import EncryptedTextField, reset_keys

    reset_keys()
    opened = 0
    for model in apps.get_models():
        fields = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        if not fields:
            continue
        try:
            for row in model._base_manager.values_list(*fields).iterator(chunk_size=500):
                opened += sum(1 for value in row if value)
        except ImproperlyConfigured as exc:
            raise BackupError(
                "Kunci perlindungan yang terpasang (SIKLA_PROTECTION_KEY) tidak dapat membuka "
                "identitas anak dalam cadangan ini. Pasang kunci yang dipakai saat cadangan dibuat; "
                "data sudah dipulihkan tetapi identitas tidak terbaca."
            ) from exc
    return opened
