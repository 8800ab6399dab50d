"""The cube of a year: the named counts of a kab/kota's ended months, quarters and year, the
lines that link them, and which of them are hidden (`build_cube`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sikla.regions.models import Region

from ..models import (
    TYPE_INDICATOR,
    Outcome,
    ProtectionType,
    ReferralKind,
    ReferralStatus,
    ServiceKind,
)
from .periods import Period
from .rule import HIDDEN, Line, protect

__all__ = [
    "SEXES",
    "AGE_GROUPS",
    "TYPES",
    "STATUSES",
    "FED",
    "FEED_CELLS",
    "FEED_PARTS",
    "Areas",
    "areas_of",
    "names",
    "values_of",
    "period_lines",
    "time_lines",
    "Cube",
    "build_cube",
]

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
    ended quarters and the year, and decide the hiding month by month (package docstring)."""
    from .. import statistics as stats

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
