"""Backup and restore on PostgreSQL: a round trip into an empty database and storage gives the
same rows, the same files and the same decrypted identities; a wrong key is named as the reason;
a target that holds data is refused; a damaged backup is refused before anything is written."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from sikla.protection import actions as protection
from sikla.protection import crypto
from sikla.protection.models import Child, ProtectionType, ServiceKind

from .conftest import needs_database_server

pytestmark = needs_database_server("pg_dump and pg_restore")
REPO = Path(__file__).resolve().parents[2]


def server_url(name: str) -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_databases():
    """Fresh, empty databases on the same server; dropped afterwards."""
    made = []

    def make(suffix: str) -> str:
        name = f"{connection.settings_dict['NAME']}_{suffix}"
        with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return name

    yield make
    with psycopg.connect(server_url("postgres"), autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_sikla(*args, database: str, media: Path, key: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": server_url(database),
        "MEDIA_ROOT": str(media),
        "SIKLA_PROTECTION_KEY": key,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sikla", *args], env=env, cwd=REPO, capture_output=True, text=True
    )


@pytest.fixture
def a_case_with_a_document(committed_world):
    world = committed_world
    complaint = protection.submit_public_complaint(
        local_government=world.kupang,
        description="Anak sering dipukul di rumah (uji cadangan).",
        child_name="Melati Cadangan",
    )
    case = protection.take_complaint(complaint, actor=world.case_worker)
    case = protection.update_case(
        case, actor=world.case_worker, version=case.version, types=[ProtectionType.PHYSICAL]
    )
    protection.record_service(
        case,
        actor=world.case_worker,
        kind=ServiceKind.HEALTH,
        date=timezone.localdate(),
        provider="RSUD Uji",
        files=[
            SimpleUploadedFile(
                "visum.pdf", b"%PDF-1.4\n% visum uji\n", content_type="application/pdf"
            )
        ],
    )
    return world


def test_a_backup_restores_into_an_empty_database_with_everything_identical(
    a_case_with_a_document, empty_databases, tmp_path, settings
):
    folder = tmp_path / "cadangan"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    key = ",".join(settings.PROTECTION_KEYS)
    assert key not in (folder / "manifest.json").read_text()
    assert manifest["rows"]["protection.Child"] == 1 and len(manifest["files"]) == 2

    target = empty_databases("pulih")
    media = tmp_path / "media-pulih"
    done = run_sikla("restore", str(folder), database=target, media=media, key=key)

    assert done.returncode == 0, done.stderr
    assert "checksum cocok" in done.stdout
    with psycopg.connect(server_url(target)) as restored:
        names = [row[0] for row in restored.execute("SELECT name FROM protection_child")]
        counts = {
            table: restored.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "accounts_user",
                "collection_evidence",
                "protection_case",
                "core_auditevent",
            )
        }
    assert [crypto.decrypt(n) for n in names] == [c.name for c in Child.objects.all()]
    assert counts == {
        "accounts_user": manifest["rows"]["accounts.User"],
        "collection_evidence": manifest["rows"]["collection.Evidence"],
        "protection_case": manifest["rows"]["protection.Case"],
        "core_auditevent": manifest["rows"]["core.AuditEvent"],
    }
    for name, meta in manifest["files"].items():
        assert (media / name).read_bytes() == (folder / "files" / name).read_bytes()
        assert meta["size"] == (media / name).stat().st_size

    again = run_sikla("restore", str(folder), database=target, media=media, key=key)
    assert again.returncode != 0
    assert "sudah berisi data" in again.stderr


def test_a_restore_with_the_wrong_key_says_so(a_case_with_a_document, empty_databases, tmp_path):
    folder = tmp_path / "cadangan"
    call_command("backup", str(folder))
    other_key = Fernet.generate_key().decode()

    done = run_sikla(
        "restore",
        str(folder),
        database=empty_databases("kunci"),
        media=tmp_path / "m",
        key=other_key,
    )

    assert done.returncode != 0
    assert (
        "Kunci perlindungan yang terpasang (SIKLA_PROTECTION_KEY) tidak dapat membuka"
        in done.stderr
    )


def test_a_damaged_backup_is_refused_before_anything_is_written(
    a_case_with_a_document, empty_databases, tmp_path, settings
):
    folder = tmp_path / "cadangan"
    call_command("backup", str(folder))
    damaged = next(p for p in (folder / "files").rglob("*") if p.is_file())
    damaged.write_bytes(damaged.read_bytes() + b"x")
    target = empty_databases("rusak")

    done = run_sikla(
        "restore",
        str(folder),
        database=target,
        media=tmp_path / "m",
        key=",".join(settings.PROTECTION_KEYS),
    )

    assert done.returncode != 0 and "Checksum tidak cocok" in done.stderr
    with psycopg.connect(server_url(target)) as untouched:
        tables = untouched.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert tables == 0
