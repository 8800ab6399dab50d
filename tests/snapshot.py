"""A committed database, kept once per test process and put back in a moment (PostgreSQL's COPY).

The browser journeys each start from the Kupang demo, committed so the live server sees it, and
end by emptying the database (`transactional_db`). Building the demo takes about ten seconds; the
first journey of a process builds it and keeps every table's rows, the next ones get exactly
those rows back — same ids, same hashes — in well under a second. On SQLite each one builds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
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


def committed(name: str, build: Callable[[], None]) -> None:
    """The database as `build()` leaves it (on an emptied database), built once per process."""
    if connection.vendor != "postgresql":
        build()
        return
    if name in _kept:
        _put_back(_kept[name])
        return
    build()
    _kept[name] = _take()
