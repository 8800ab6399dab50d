"""The database connection SIKLA opens from DATABASE_URL (sikla.settings)."""

import pytest
from django.db import connection

from sikla.settings import _database


def test_postgresql_connections_run_without_the_jit_compiler(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT compiler (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_the_urls_own_options_come_after_and_sqlite_gets_none():
    own = _database("postgres://sikla@db.example/sikla?options=-c%20jit%3Don")
    assert own["OPTIONS"]["options"] == "-c jit=off -c jit=on"  # the URL's own wins
    assert _database("postgres://sikla@db.example/sikla")["OPTIONS"] == {"options": "-c jit=off"}
    assert "options" not in _database("sqlite:////tmp/sikla.sqlite3").get("OPTIONS", {})
