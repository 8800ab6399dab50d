"""The rule (the package docstring): which of a set of linked counts (`Line`: a total and its
cells) to hide so that no count from 1 to 4 is shown or can be worked out (`protect`,
`determined`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "THRESHOLD",
    "HIDDEN",
    "Line",
    "protect",
    "PRIME",
    "determined",
]

THRESHOLD = 5
HIDDEN = "x"


@dataclass(frozen=True)
class Line:
    """A total and the cells that add up to it (keys of the cube)."""

    total: tuple
    cells: tuple[tuple, ...]


def _satisfied(line: Line, values: dict, hidden: set) -> bool:
    terms = (line.total, *line.cells)
    count = sum(term in hidden for term in terms)
    if count == 0:
        return True
    if count < 2:
        return False
    if line.total in hidden:
        return True
    return sum(values[c] for c in line.cells if c in hidden) >= THRESHOLD


def _complement(line: Line, values: dict, hidden: set, movable: set) -> tuple | None:
    """The next count of the line to hide: the smallest non-zero cell, then the total, then a
    zero cell; only among `movable` (counts whose hiding is still to be decided)."""
    open_cells = [c for c in line.cells if c not in hidden and c in movable]
    nonzero = sorted((c for c in open_cells if values[c] > 0), key=lambda c: (values[c], c))
    if nonzero:
        return nonzero[0]
    if line.total not in hidden and line.total in movable:
        return line.total
    return open_cells[0] if open_cells else None


def protect(
    values: dict, lines: Iterable[Line], *, hidden: set, new: set, context: Iterable[Line] = ()
) -> set:
    """Hide counts of `new` until every line meets the rule (package docstring) and no hidden
    count from 1 to 4 can be worked out from the published ones by any combination of lines
    (`context`: the lines decided before, which an attacker has too). Each line has its total
    in `new`. The counts in `hidden` stay hidden and the others outside `new` stay as they were.
    Returns the new hidden set."""
    hidden = set(hidden)
    hidden |= {k for k in new if 0 < values[k] < THRESHOLD}
    lines = list(lines)
    every_line = [*context, *lines]
    while True:
        _meet_lines(lines, values, hidden, new)
        leaked = [
            k
            for k in sorted(determined(values, every_line, hidden), key=repr)
            if 0 < values[k] < THRESHOLD
        ]
        if not leaked:
            return hidden
        chosen = _unlink(leaked[0], values, every_line, hidden, new)
        if chosen is None:  # every count that could cover it is hidden already
            return hidden
        hidden.add(chosen)


def _meet_lines(lines: list[Line], values: dict, hidden: set, movable: set) -> None:
    changed = True
    while changed:
        changed = False
        for line in lines:
            while not _satisfied(line, values, hidden):
                chosen = _complement(line, values, hidden, movable)
                if chosen is None:  # cannot happen: every line of a step has its total in `new`
                    raise ValueError(f"line {line.total} cannot be protected")
                hidden.add(chosen)
                changed = True


def _unlink(key: tuple, values: dict, lines: list[Line], hidden: set, movable: set) -> tuple | None:
    """A published count to hide so that `key` can no longer be worked out: the first (smallest
    non-zero first) among the counts of its lines that does it, else the first of them."""
    near = {
        t for line in lines if key in (line.total, *line.cells) for t in (line.total, *line.cells)
    }
    candidates = sorted(
        (t for t in near | set(movable) if t in movable and t not in hidden),
        key=lambda t: (t not in near, values[t] == 0, values[t], repr(t)),
    )
    for candidate in candidates:
        if candidate not in near:
            break
        more = hidden | {candidate}
        if key not in determined(values, _linked(key, lines, more), more):
            return candidate
    return candidates[0] if candidates else None


def _linked(key: tuple, lines: list[Line], hidden: set) -> list[Line]:
    """The lines joined to `key` through hidden counts. Whether `key` can be worked out
    depends on these alone: the other lines' hidden counts are other unknowns, and a line with
    none of its hidden counts among them adds nothing to the equations that reach `key`."""
    by_term: dict[tuple, list[int]] = {}
    for i, line in enumerate(lines):
        for term in (line.total, *line.cells):
            if term in hidden:
                by_term.setdefault(term, []).append(i)
    seen_terms, seen_lines, todo = {key}, set(), [key]
    while todo:
        for i in by_term.get(todo.pop(), ()):
            if i in seen_lines:
                continue
            seen_lines.add(i)
            line = lines[i]
            for term in (line.total, *line.cells):
                if term in hidden and term not in seen_terms:
                    seen_terms.add(term)
                    todo.append(term)
    return [lines[i] for i in sorted(seen_lines)]


PRIME = 2_147_483_647  # exact arithmetic mod a large prime: the lines' coefficients are 0 and ±1


def determined(values: dict, lines: Iterable[Line], hidden: set) -> set:
    """The hidden counts one can work out exactly from the published counts and the lines that
    hold as equations: those whose unit vector lies in the span of the lines restricted to the
    hidden counts (Gauss–Jordan elimination; the answer does not depend on the order of the
    lines). The rows are sparse, so each column knows the pivot rows that hold it (`holders`):
    eliminating a new pivot touches only those rows, not every row found so far."""
    index: dict = {}
    pivots: dict[int, dict[int, int]] = {}  # column → its row, reduced against every other pivot
    holders: dict[int, set[int]] = {}  # non-pivot column → the pivots whose rows hold it
    # the lines with fewest unknowns first: their rows stay short, and so do the rows that
    # absorb them (the same answer in a fraction of the time for a kab/kota of 850 villages)
    for line in sorted(lines, key=lambda x: sum(t in hidden for t in (x.total, *x.cells))):
        if values[line.total] != sum(values[c] for c in line.cells):
            continue  # not an equation (a child under several types): no help to anyone
        row: dict[int, int] = {}
        for term, sign in ((line.total, -1), *((c, 1) for c in line.cells)):
            if term in hidden:
                col = index.setdefault(term, len(index))
                row[col] = (row.get(col, 0) + sign) % PRIME
        # a pivot's row holds no other pivot: one pass over the pivots in the row reduces it
        for col in [c for c in row if c in pivots]:
            factor = row.get(col, 0)
            if factor:
                for c, v in pivots[col].items():
                    row[c] = (row.get(c, 0) - factor * v) % PRIME
        row = {c: v for c, v in row.items() if v}
        if not row:
            continue
        col = min(row)
        inverse = pow(row[col], PRIME - 2, PRIME)
        row = {c: v * inverse % PRIME for c, v in row.items()}
        for holder in holders.pop(col, ()):
            other = pivots[holder]
            factor = other.pop(col)
            for c, v in row.items():
                if c == col:
                    continue
                value = (other.get(c, 0) - factor * v) % PRIME
                if value:
                    other[c] = value
                    holders.setdefault(c, set()).add(holder)
                else:
                    other.pop(c, None)
                    holders[c].discard(holder)
        for c in row:
            if c != col:
                holders.setdefault(c, set()).add(col)
        pivots[col] = row
    keys = {col: key for key, col in index.items()}
    return {keys[col] for col, row in pivots.items() if len(row) == 1}
