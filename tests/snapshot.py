"""A committed database, built once per test run and put back in a moment (PostgreSQL's COPY).

The browser journeys each start from the Kupang demo, committed so the live server sees it, and
end by emptying the database (`transactional_db`). Building the demo takes about ten seconds; the
first journey of the run builds it and keeps every table's rows in a file that the suite's other
workers read too (one builds while the other waits for it), and every later journey gets exactly
those rows back — same ids, same hashes — in well under a second. On SQLite each one builds.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction

_kept: dict[str, dict[str, bytes]] = {}


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _take() -> dict[str, bytes]:
    rows = {}
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as copy:
                rows[table] = b"".join(bytes(block) for block in copy)
    return rows


def _put_back(rows: dict[str, bytes]) -> None:
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Foreign keys are deferred on PostgreSQL: the tables load in any order.
        cursor.execute(f"TRUNCATE {', '.join(map(quote, rows))} RESTART IDENTITY CASCADE")
        for table, data in rows.items():
            if data:
                with cursor.copy(f"COPY {quote(table)} FROM STDIN") as copy:
                    copy.write(data)
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(sql)


FOLDER = "SIKLA_TEST_SNAPSHOTS"  # made by the run's first process, inherited by its workers


def open_folder() -> None:
    """The run's folder of kept rows (pytest_configure of the controlling process)."""
    if FOLDER not in os.environ:
        os.environ[FOLDER] = tempfile.mkdtemp(prefix="sikla-snapshots-")


def close_folder() -> None:
    shutil.rmtree(os.environ.pop(FOLDER, ""), ignore_errors=True)


def _shared_file(name: str) -> Path:
    if FOLDER not in os.environ:
        open_folder()
    return Path(os.environ[FOLDER]) / f"{name}.pickle"


def _media() -> dict[str, bytes]:
    """The uploaded files (the demo's evidence), which the other workers' rows point to."""
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _unpack_media(files: dict[str, bytes]) -> None:
    root = Path(settings.MEDIA_ROOT)
    for name, data in files.items():
        target = root / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def committed(name: str, build: Callable[[], None]) -> None:
    """The database as `build()` leaves it (on an emptied database), built once per run."""
    if connection.vendor != "postgresql":
        build()
        return
    if name in _kept:
        _put_back(_kept[name])
        return
    path = _shared_file(name)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building it
        if path.exists():  # built by another worker: its rows, and the files they point to
            _kept[name], files = pickle.loads(path.read_bytes())  # noqa: S301 - our own file
            _unpack_media(files)
            _put_back(_kept[name])
        else:
            build()
            _kept[name] = _take()
            partial = path.with_suffix(".partial")
            partial.write_bytes(pickle.dumps((_kept[name], _media())))
            partial.rename(path)
