"""The periods counts are published for: a calendar month, quarter (triwulan) or year, the ones
that have ended, and who sees exact counts for any range instead (`sees_exact`)."""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, can

__all__ = [
    "ROMAN",
    "PERIOD_RE",
    "Period",
    "ended_periods",
    "latest_ended",
    "sees_exact",
]

ROMAN = ("I", "II", "III", "IV")
PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|T([1-4])))?$")


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
