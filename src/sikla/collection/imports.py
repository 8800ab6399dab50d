"""What an import or an API write would change, shown before anything is stored (issue 16).

An Excel upload is read (`spreadsheets.read_workbook`), laid beside the stored values and shown
as a preview: cells added, changed (old → new), cleared, kept and unchanged. Nothing is written
until the user confirms; the confirmation carries the values read, signed for this user, this
submission and the version they were compared with, so a save in between is caught as stale by
`actions.save_values` and a forged or stale confirmation stores nothing.

A cell missing from the file keeps its stored value unless the user chose "kosongkan yang tidak
ada" (`clear_missing`); the API's PATCH works the same way, its PUT replaces everything and says
which cells it cleared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core import signing

from .grid import Cell, column_label, plain

MAX_AGE = 60 * 60  # a preview may wait an hour for its confirmation
SHOWN = 200  # cells listed per kind on the preview page; the counts are always whole


@dataclass
class Changes:
    """The cells an import changes, each as (cell, old, new) with None for no value."""

    final: dict[Cell, tuple]  # the submission's values once stored
    added: list[tuple[Cell, tuple | None, tuple | None]] = field(default_factory=list)
    changed: list[tuple[Cell, tuple | None, tuple | None]] = field(default_factory=list)
    cleared: list[tuple[Cell, tuple | None, tuple | None]] = field(default_factory=list)
    kept: list[tuple[Cell, tuple | None, tuple | None]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.cleared)


def merge(current: dict, incoming: dict, *, clear_missing: bool) -> Changes:
    """The values after an import of `incoming` over `current`: the cells it holds replace the
    stored ones; the others are cleared with `clear_missing`, else kept as they are. A cell sent
    with no number at all (`(None, None, None)`) is an explicit clearing."""
    sent = {cell: numbers for cell, numbers in incoming.items()}
    final = {} if clear_missing else dict(current)
    for cell, numbers in sent.items():
        if any(n is not None for n in numbers):
            final[cell] = numbers
        else:
            final.pop(cell, None)
    changes = Changes(final)
    for cell in sorted(set(current) | set(final)):
        old, new = current.get(cell), final.get(cell)
        if old is None:
            changes.added.append((cell, old, new))
        elif new is None:
            changes.cleared.append((cell, old, new))
        elif old != new:
            changes.changed.append((cell, old, new))
        elif cell not in sent:
            changes.kept.append((cell, old, new))
        else:
            changes.unchanged += 1
    return changes


def cell_text(numbers: tuple | None) -> str:
    """How a cell reads on the preview: "281/357" (percentage), "7", or "–"."""
    if numbers is None:
        return "–"
    numerator, denominator, value = numbers
    if value is not None:
        return _number(value)
    return "/".join(_number(n) for n in (numerator, denominator))


def _number(value) -> str:
    return "–" if value is None else str(plain(value)).replace(".", ",")


def cell_label(cell: Cell, names: dict[str, str]) -> str:
    code, sex, age = cell
    where = f"{code} {names.get(code, '')}".strip()
    return f"{where} · {column_label(sex, age)}"


# --- the confirmation ----------------------------------------------------------------------------


def _salt(submission, user) -> str:
    return f"sikla.collection.import.{submission.pk}.{user.pk}"


def seal(submission, user, values: dict[Cell, tuple], *, version: int) -> str:
    """The values read from the file, signed for this user, submission and version."""
    rows = [
        [*cell, *[None if n is None else str(n) for n in numbers]]
        for cell, numbers in values.items()
    ]
    return signing.dumps({"v": version, "rows": rows}, salt=_salt(submission, user), compress=True)


def unseal(token: str, submission, user) -> tuple[int, dict[Cell, tuple]]:
    """(version compared with, final values); signing.BadSignature when the token is not this
    user's for this submission, or older than MAX_AGE (SignatureExpired, a BadSignature)."""
    data = signing.loads(token, salt=_salt(submission, user), max_age=MAX_AGE)
    values = {
        (code, sex, age): tuple(None if n is None else Decimal(n) for n in numbers)
        for code, sex, age, *numbers in data["rows"]
    }
    return int(data["v"]), values
