"""Disclosure control: the one rule by which a de-identified protection count may leave the UPTD
PPA (issue 13, point 1). The statistics page, its workbook and API, the public portal, the
children's profile and the cluster V values all publish through `published` here.

Who sees what
    The UPTD PPA (case workers and supervisors of the local government) see the unit's exact
    counts for any range of days: they hold the cases anyway. Everyone else — the other roles
    of the local government, evaluators, the public — sees the *published* counts of a whole,
    completed calendar month, quarter or year, never of a day range and never of a period still
    running (so no window can be walked day by day, and no count moves while being watched).

What is hidden
    1. *Primary*: every cell, total or margin from 1 to 4 (`THRESHOLD`). Zero is published.
    2. *Complementary*: the counts are linked — a total is the sum of its cells, a margin of its
       row, a kecamatan of its kelurahan, a quarter of its months, a year of its quarters, the
       months of a year or quarter are its monthly table. For every such line (a total and its
       cells), either nothing in it is hidden, or at least two of its terms are, and when its
       total is published the hidden cells add up to at least `THRESHOLD`: "total minus the
       published cells" then never gives one hidden cell, nor a sum below 5.
    3. *Time*: a month, quarter or year is published only once it has ended, and the hiding of
       a year is decided month by month in order: the hiding of the months (and quarters) that
       had ended stays what it was when the next month ends; only counts of the newly ended
       periods are hidden to protect the new lines. Overlapping windows are therefore
       consistent: a quarter minus two of its months, or a year minus its quarters, meets the
       same rule as any other line. (The cube is recomputed from the records: a late correction
       of an old case changes the counts it touches, as it must.)
    4. Every kecamatan and kelurahan of the kab/kota is listed, with 0 where there is none, so
       that a listed name says nothing by being there.

A hidden count is shown as "x" (`HIDDEN`): it may be 1–4, or a larger count hidden to protect
one. Percentages and the median response time are shown only when the counts they come from
are published.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median

from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, can
from sikla.core import public_cache
from sikla.regions.models import Region

from .models import (
    TYPE_INDICATOR,
    Outcome,
    ProtectionType,
    ReferralKind,
    ReferralStatus,
    ServiceKind,
)

THRESHOLD = 5
HIDDEN = "x"
ROMAN = ("I", "II", "III", "IV")
PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|T([1-4])))?$")


# --- periods ------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """A calendar year ("2026"), quarter ("2026-T3", triwulan) or month ("2026-07")."""

    year: int
    quarter: int = 0  # 1–4 for a quarter; the month's quarter for a month; 0 for a year
    month: int = 0  # 1–12 for a month

    @property
    def kind(self) -> str:
        return "month" if self.month else "quarter" if self.quarter else "year"

    @property
    def token(self) -> str:
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        if self.quarter:
            return f"{self.year:04d}-T{self.quarter}"
        return f"{self.year:04d}"

    @property
    def start(self) -> date:
        if self.month:
            return date(self.year, self.month, 1)
        return date(self.year, 3 * self.quarter - 2 if self.quarter else 1, 1)

    @property
    def end(self) -> date:
        last = self.month or (3 * self.quarter if self.quarter else 12)
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def label(self) -> str:
        return _label(self, get_language())

    @property
    def months(self) -> list[int]:
        if self.month:
            return [self.month]
        if self.quarter:
            return [3 * self.quarter - 2, 3 * self.quarter - 1, 3 * self.quarter]
        return list(range(1, 13))

    def ended(self, today: date) -> bool:
        return self.end < today

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        return cls(year, (month - 1) // 3 + 1, month)

    @classmethod
    def parse(cls, token: str) -> Period | None:
        """ "2026", "2026-T3" or "2026-07" → the period; anything else → None."""
        found = PERIOD_RE.match((token or "").strip())
        if not found or not 1900 <= int(found[1]) <= 2100:
            return None
        year = int(found[1])
        if found[2]:
            return cls.of_month(year, int(found[2]))
        return cls(year, int(found[3] or 0))


@functools.lru_cache(maxsize=4096)
def _label(period: Period, language: str | None) -> str:
    """A period's name in a language (kept: the statistics page lists ~80 on every request)."""
    if period.month:
        return dateformat.format(period.start, "F Y")
    if period.quarter:
        return _("Triwulan %(q)s %(y)s") % {"q": ROMAN[period.quarter - 1], "y": period.year}
    return _("Tahun %(y)s") % {"y": period.year}


def ended_periods(today: date, first_year: int) -> list[Period]:
    """Every period that has ended, from `first_year` on, newest first; per year the year,
    then its quarters, then its months."""
    found = []
    for year in range(today.year, first_year - 1, -1):
        candidates = [Period(year)]
        candidates += [Period(year, q) for q in range(4, 0, -1)]
        candidates += [Period.of_month(year, m) for m in range(12, 0, -1)]
        found += [p for p in candidates if p.ended(today)]
    return found


def latest_ended(today: date, kind: str) -> Period:
    """The last month, quarter or year that has ended before `today`."""
    if kind == "year":
        return Period(today.year - 1)
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    if kind == "month":
        return Period.of_month(year, month)
    quarter = (today.month - 1) // 3  # quarters fully before today's quarter
    return Period(today.year, quarter) if quarter else Period(today.year - 1, 4)


def sees_exact(user, local_government) -> bool:
    """The UPTD PPA of the local government (who handle or supervise its cases) see exact counts
    for any range; everyone else sees published periods (`published`)."""
    code = getattr(local_government, "pk", local_government)
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and (can(user, Perm.HANDLE_CASES, code) or can(user, Perm.SUPERVISE_CASES, code))
    )


# --- the rule -----------------------------------------------------------------------------------


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
    """Hide counts of `new` until every line meets the rule (module docstring) and no hidden
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


# --- the cube of a year -------------------------------------------------------------------------

SEXES = ("L", "P", "")
AGE_GROUPS = ("0-5", "6-12", "13-17", "")
TYPES = (*ProtectionType.values, "")
STATUSES = tuple(ReferralStatus.values)
FED = sorted(set(TYPE_INDICATOR.values()))  # the cluster V indicators the cases feed (21–24)
FEED_CELLS = [f"{s}:{a}" for s in ("L", "P") for a in ("0-5", "6-12", "13-17")]
FEED_PARTS = ("d", "s", "u")  # victims of its types; of whom served; not served


@dataclass(frozen=True)
class Areas:
    kecamatan: tuple[str, ...]  # every kecamatan of the kab/kota, then any other code seen
    kelurahan: tuple[str, ...]

    def of(self, kecamatan: str) -> list[str]:
        return [k for k in self.kelurahan if k.startswith(kecamatan + ".")]


def areas_of(local_government, seen_kecamatan=(), seen_kelurahan=()) -> Areas:
    """Every kecamatan and kelurahan of the kab/kota (and any code the records name that the
    region list lacks), sorted by code. `local_government` or its code."""
    code = getattr(local_government, "pk", local_government)
    rows = Region.objects.filter(code__startswith=code + ".").values_list("code", flat=True)
    kecamatan = {c for c in rows if c.count(".") == 2} | {k for k in seen_kecamatan if k}
    kelurahan = {c for c in rows if c.count(".") == 3} | {k for k in seen_kelurahan if k}
    return Areas(tuple(sorted(kecamatan)), tuple(sorted(kelurahan)))


def names(areas: Areas) -> list[str]:
    """The names of the counts of one period (the keys of `values_of`)."""
    found = ["total", "cases", "responded", "awaiting", "within", "late", "open"]
    found += [f"sex:{s}" for s in SEXES] + [f"age:{a}" for a in AGE_GROUPS]
    found += [f"sexage:{s}:{a}" for s in SEXES for a in AGE_GROUPS]
    found += [f"type:{t}" for t in TYPES]
    found += [f"kec:{k}" for k in (*areas.kecamatan, "")]
    found += [f"kel:{k}" for k in (*areas.kelurahan, "")]
    found += ["served", "not_served", "referred", "not_referred"]
    found += [f"outcome:{o}" for o in Outcome.values]
    found += [f"service:{k}" for k in ServiceKind.values]
    found += [f"ref:{k}:{s}" for k in ReferralKind.values for s in STATUSES]
    found += [f"refrow:{k}" for k in ReferralKind.values]
    found += [
        f"feed{n}:{part}{suffix}"
        for n in FED
        for part in FEED_PARTS
        for suffix in ("", ":inc", *(f":{c}" for c in FEED_CELLS))
    ]
    return found


def values_of(counts, areas: Areas) -> dict[str, int]:
    """The named counts of one month, from `statistics.count`."""
    t, c = counts.tables, counts.cases
    found = {
        "total": counts.total_victims,
        "cases": c.total_cases,
        "responded": c.responded,
        "awaiting": c.awaiting_response,
        "within": c.within_target,
        "late": c.responded - c.within_target,
        "open": c.total_cases - sum(c.outcomes.values()),
        "served": t["served"]["served"],
        "not_served": t["served"]["not_served"],
        "referred": t["referred"]["referred"],
        "not_referred": t["referred"]["not_referred"],
    }
    found |= {f"sex:{s}": t["by_sex"].get(s, 0) for s in SEXES}
    found |= {f"age:{a}": t["by_age_group"].get(a, 0) for a in AGE_GROUPS}
    found |= {
        f"sexage:{s}:{a}": t["by_sex_age"].get(s, {}).get(a, 0) for s in SEXES for a in AGE_GROUPS
    }
    found |= {f"type:{k}": t["by_type"].get(k, 0) for k in TYPES}
    found |= {f"kec:{k}": t["by_kecamatan"].get(k, 0) for k in (*areas.kecamatan, "")}
    found |= {f"kel:{k}": t["by_kelurahan"].get(k, 0) for k in (*areas.kelurahan, "")}
    found |= {f"outcome:{o}": c.outcomes.get(o, 0) for o in Outcome.values}
    found |= {f"service:{k}": c.services_by_kind.get(k, 0) for k in ServiceKind.values}
    for kind in ReferralKind.values:
        row = {s: c.referrals.get((kind, s), 0) for s in STATUSES}
        found |= {f"ref:{kind}:{s}": n for s, n in row.items()}
        found[f"refrow:{kind}"] = sum(row.values())
    for n in FED:
        cells = dict.fromkeys(["inc", *FEED_CELLS], (0, 0))
        for (sex, age), (victims, served) in counts.feeds.get(n, {}).items():
            key = f"{sex}:{age}" if f"{sex}:{age}" in FEED_CELLS else "inc"
            cells[key] = (cells[key][0] + victims, cells[key][1] + served)
        for key, (victims, served) in cells.items():
            found[f"feed{n}:d:{key}"] = victims
            found[f"feed{n}:s:{key}"] = served
            found[f"feed{n}:u:{key}"] = victims - served
        for part in FEED_PARTS:
            found[f"feed{n}:{part}"] = sum(found[f"feed{n}:{part}:{k}"] for k in cells)
    return found


def period_lines(token: str, areas: Areas) -> list[Line]:
    """The lines inside one period's tables: each total with the cells that add up to it."""

    def line(total: str, cells: Iterable[str]) -> Line:
        return Line((token, total), tuple((token, c) for c in cells))

    found = [
        line("total", [f"sex:{s}" for s in SEXES]),
        line("total", [f"age:{a}" for a in AGE_GROUPS]),
        *(line(f"sex:{s}", [f"sexage:{s}:{a}" for a in AGE_GROUPS]) for s in SEXES),
        *(line(f"age:{a}", [f"sexage:{s}:{a}" for s in SEXES]) for a in AGE_GROUPS),
        # a victim counts under each type of the case: the types may add up to more than the
        # total; treating them as its cells hides at least as much as the exact relation would
        line("total", [f"type:{t}" for t in TYPES]),
        line("total", [f"kec:{k}" for k in (*areas.kecamatan, "")]),
        line("total", [f"kel:{k}" for k in (*areas.kelurahan, "")]),
        *(line(f"kec:{k}", [f"kel:{x}" for x in areas.of(k)]) for k in areas.kecamatan),
        line("total", ["served", "not_served"]),
        line("total", ["referred", "not_referred"]),
        line("cases", ["responded", "awaiting"]),
        line("responded", ["within", "late"]),
        line("cases", [*(f"outcome:{o}" for o in Outcome.values), "open"]),
        *(line(f"refrow:{k}", [f"ref:{k}:{s}" for s in STATUSES]) for k in ReferralKind.values),
    ]
    return [x for x in found if x.cells]


def time_lines(period: Period, parts: list[Period], all_names: list[str]) -> list[Line]:
    """A quarter is the sum of its months, a year of its quarters — every count of it."""
    lines = [Line((period.token, n), tuple((p.token, n) for p in parts)) for n in all_names]
    if period.kind == "year":  # the year's monthly table
        months = [Period.of_month(period.year, m) for m in range(1, 13)]
        lines.append(Line((period.token, "total"), tuple((m.token, "total") for m in months)))
    return lines


@dataclass
class Cube:
    """The counts of the ended periods of one year and which of them are hidden."""

    year: int
    areas: Areas
    values: dict[tuple[str, str], int]
    hidden: set[tuple[str, str]]
    hours: dict[str, list[float]]  # period token → hours to first response of its cases
    periods: list[Period]  # the ended ones
    lines: list[Line]  # every relation between its counts that anyone can know

    def value(self, period: Period, name: str) -> int | str:
        key = (period.token, name)
        return HIDDEN if key in self.hidden else self.values[key]


def build_cube(local_government, year: int, today: date) -> Cube:
    """Count every ended month of `year` (the facts, `statistics.count`), add them up into its
    ended quarters and the year, and decide the hiding month by month (module docstring)."""
    from . import statistics as stats

    ended = [m for m in range(1, 13) if Period.of_month(year, m).ended(today)]
    empty = stats.merge([])
    found = (
        stats.count_months(local_government, date(year, 1, 1), Period.of_month(year, ended[-1]).end)
        if ended
        else {}
    )
    monthly = {m: found.get(f"{year:04d}-{m:02d}", empty) for m in ended}
    areas = areas_of(
        local_government,
        {k for c in monthly.values() for k in c.tables["by_kecamatan"]},
        {k for c in monthly.values() for k in c.tables["by_kelurahan"]},
    )
    all_names = names(areas)
    values: dict[tuple[str, str], int] = {}
    hidden: set[tuple[str, str]] = set()
    periods: list[Period] = []
    every_line: list[Line] = []
    hours: dict[str, list[float]] = {}
    for m in ended:
        month = Period.of_month(year, m)
        step = [month]
        if m % 3 == 0:
            step.append(Period(year, m // 3))
        if m == 12:
            step.append(Period(year))
        lines: list[Line] = []
        new: set[tuple[str, str]] = set()
        for period in step:
            if period.kind == "month":
                named = values_of(monthly[m], areas)
                parts = []
            else:
                parts = (
                    [Period.of_month(year, x) for x in period.months]
                    if period.kind == "quarter"
                    else [Period(year, q) for q in range(1, 5)]
                )
                named = {n: sum(values[(p.token, n)] for p in parts) for n in all_names}
                lines += time_lines(period, parts, all_names)
            for n, v in named.items():
                values[(period.token, n)] = v
                new.add((period.token, n))
            lines += period_lines(period.token, areas)
            hours[period.token] = [
                h for x in period.months if x in monthly for h in monthly[x].hours
            ]
            periods.append(period)
        hidden = protect(values, lines, hidden=hidden, new=new, context=every_line)
        every_line += lines
    return Cube(year, areas, values, hidden, hours, periods, every_line)


# --- what a period publishes ----------------------------------------------------------------------


@dataclass
class PublishedTallies:
    """The case-level counts of a published period, shaped like `statistics.CaseTallies`; a
    hidden count is `HIDDEN`."""

    total_cases: int | str
    services_by_kind: dict[str, int | str]
    referrals: dict[tuple[str, str], int | str]
    referral_totals: dict[str, int | str]
    outcomes: dict[str, int | str]
    open_cases: int | str
    responded: int | str
    within_target: int | str
    late: int | str
    awaiting_response: int | str
    median_hours: float | None
    share_within_target: float | None

    def referral_total(self, kind: str) -> int | str:
        return self.referral_totals[kind]


@dataclass
class Published:
    """The counts of one ended period as anyone outside the UPTD PPA may see them: the shape of
    `statistics.Counts` (every kecamatan, kelurahan, type and month listed), hidden counts
    `HIDDEN`."""

    period: Period
    tables: dict[str, dict]
    cases: PublishedTallies
    total_victims: int | str
    feeds: dict[int, dict[str, tuple]]  # n → "L:0-5"…, "inc", "" → (served, victims)


def publish(cube: Cube, period: Period) -> Published:
    def v(name: str) -> int | str:
        return cube.value(period, name)

    tables = {
        "by_month": {
            f"{period.year:04d}-{m:02d}": cube.value(Period.of_month(period.year, m), "total")
            for m in period.months
        },
        "by_type": {t: v(f"type:{t}") for t in TYPES},
        "by_sex": {s: v(f"sex:{s}") for s in SEXES},
        "by_age_group": {a: v(f"age:{a}") for a in AGE_GROUPS},
        "by_sex_age": {s: {a: v(f"sexage:{s}:{a}") for a in AGE_GROUPS} for s in SEXES},
        "by_kecamatan": {k: v(f"kec:{k}") for k in (*cube.areas.kecamatan, "")},
        "by_kelurahan": {k: v(f"kel:{k}") for k in (*cube.areas.kelurahan, "")},
        "served": {"served": v("served"), "not_served": v("not_served")},
        "referred": {"referred": v("referred"), "not_referred": v("not_referred")},
    }
    responded, within = v("responded"), v("within")
    hours = cube.hours.get(period.token, [])
    usable = isinstance(responded, int) and responded >= THRESHOLD
    cases = PublishedTallies(
        total_cases=v("cases"),
        services_by_kind={k: v(f"service:{k}") for k in ServiceKind.values},
        referrals={(k, s): v(f"ref:{k}:{s}") for k in ReferralKind.values for s in STATUSES},
        referral_totals={k: v(f"refrow:{k}") for k in ReferralKind.values},
        outcomes={o: v(f"outcome:{o}") for o in Outcome.values},
        open_cases=v("open"),
        responded=responded,
        within_target=within,
        late=v("late"),
        awaiting_response=v("awaiting"),
        median_hours=median(hours) if usable and hours else None,
        share_within_target=within * 100 / responded
        if usable and isinstance(within, int)
        else None,
    )
    feeds = {
        n: {
            key: (v(f"feed{n}:s{suffix}"), v(f"feed{n}:d{suffix}"))
            for key, suffix in [("", ""), ("inc", ":inc"), *((c, f":{c}") for c in FEED_CELLS)]
        }
        for n in FED
    }
    return Published(
        period=period, tables=tables, cases=cases, total_victims=v("total"), feeds=feeds
    )


def published(local_government, period: Period, today: date) -> Published:
    """The published counts of an ended period (`ValueError` for one still running), the same
    for every reader: built from the year's cube once per change of the kab/kota, not once per
    request. After a change the last ones built are served while a job of the task queue
    builds the new ones (`public_cache.get_or_refresh`): the disclosure control of a kab/kota
    of 850 villages takes seconds, and nobody waits for it."""
    if not period.ended(today):
        raise ValueError(period.token)
    code = getattr(local_government, "pk", local_government)
    return public_cache.get_or_refresh(
        _published_name(period, today),
        code,
        lambda: _publish(local_government, period, today),
        lambda: _refresh_job().enqueue(code, period.token, today.isoformat(), get_language()),
        day=today,
    )


def rebuild_published(code: str, token: str, today: date) -> None:
    """The job behind `published` once a change has made a period's counts out of date (a
    token that names no ended period, e.g. of a job queued by an older release: nothing)."""
    period = Period.parse(str(token))
    if period is None or not period.ended(today):
        return
    public_cache.rebuild(
        _published_name(period, today), code, lambda: _publish(code, period, today), day=today
    )


def _publish(local_government, period: Period, today: date) -> Published:
    code = getattr(local_government, "pk", local_government)
    cube = public_cache.get_or_build(
        f"protection-cube:{period.year}:{_last_ended(period.year, today)}",
        code,
        lambda: build_cube(local_government, period.year, today),
        day=today,
    )
    return publish(cube, period)


def _refresh_job():
    from .tasks import refresh_statistics

    return refresh_statistics


def _published_name(period: Period, today: date) -> str:
    return f"protection-published:{period.token}:{_last_ended(period.year, today)}"


def _last_ended(year: int, today: date) -> int:
    return max(m for m in range(1, 13) if Period.of_month(year, m).ended(today))


def period_problem(period: Period | None, today: date) -> str:
    """Why a period cannot be published ("" when it can)."""
    if period is None:
        return _(
            "Periode tidak dikenali: pilih satu tahun (2025), triwulan (2025-T3) atau bulan "
            "(2025-07)."
        )
    if not period.ended(today):
        return _("%(period)s belum berakhir; angka diterbitkan setelah periodenya selesai.") % {
            "period": period.label
        }
    return ""
