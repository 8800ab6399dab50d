# ruff: noqa: S608  -- every statement here is built from our own constants and model metadata,
# never from input; the one value from outside (the time zone name) is checked before use.
"""Helpers that write the generator's SQL: a local day, a hash-drawn number or choice, a literal."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

from sikla.core import localtime

# --- SQL helpers -----------------------------------------------------------------------------------


def zone_sql(lg: str) -> str:
    """The time zone of the local government whose code is in column `lg`, as
    `core.localtime.province_zone` gives it (the generated ones choose no other)."""
    wita = ", ".join(f"'{p}'" for p in sorted(localtime.WITA_PROVINCES))
    wit = ", ".join(f"'{p}'" for p in sorted(localtime.WIT_PROVINCES))
    return (
        f"(CASE WHEN left({lg}, 2) IN ({wita}) THEN '{localtime.WITA}' "
        f"WHEN left({lg}, 2) IN ({wit}) THEN '{localtime.WIT}' ELSE '{localtime.WIB}' END)"
    )


def u(key: str, salt: int) -> str:
    """A uniform number in [0, 1) from a row's key: the same row gets it on every run."""
    return (
        f"((hashint8extended(({key})::bigint, {salt}) & 2147483647)::float8 / 2147483648::float8)"
    )


def pick(key: str, salt: int, choices) -> str:
    """One of `choices` [(value, weight)] by the row's key, as an SQL CASE."""
    total = sum(w for _v, w in choices)
    x, acc, whens = u(key, salt), 0.0, []
    for value, weight in choices[:-1]:
        acc += weight / total
        whens.append(f"WHEN {x} < {acc:.6f} THEN '{value}'")
    return f"(CASE {' '.join(whens)} ELSE '{choices[-1][0]}' END)"


def literal(moment: datetime) -> str:
    return f"'{moment.astimezone(UTC).isoformat()}'::timestamptz"


def stable_share(text: str) -> float:
    """A stable number in [0, 1) for a text (Python's hash() changes per process)."""
    return zlib.crc32(text.encode()) / 2**32
