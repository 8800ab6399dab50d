"""Working days (issue 14, point 5): Monday to Friday, except Indonesia's public holidays and joint
leave days (`holidays`, a maintained calendar library: the national holidays of Keppres and the
SKB on cuti bersama) and the holidays a national admin adds (`core.models.Holiday`: a joint leave
day the library lacks, or a regional holiday of a province or kab/kota)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def national(year: int) -> dict[date, str]:
    return dict(
        holidays.Indonesia(years=year, language="id", categories=("public", "government")).items()
    )


def holidays_in(year: int, region_code: str = "") -> dict[date, str]:
    """The holidays of a year for a region (a kab/kota code; "" for the nation only)."""
    from .models import Holiday

    found = dict(national(year))
    prefixes = ["", *_prefixes(region_code)]
    for day, name in Holiday.objects.filter(date__year=year, region_code__in=prefixes).values_list(
        "date", "name"
    ):
        found.setdefault(day, name)
    return found


def _prefixes(code: str) -> list[str]:
    parts = (code or "").split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts)) if parts[0]]


def is_working_day(day: date, region_code: str = "", known: dict | None = None) -> bool:
    if day.weekday() >= 5:
        return False
    known = known if known is not None else holidays_in(day.year, region_code)
    return day not in known


def add_working_days(start: datetime, days: int, region_code: str = "") -> datetime:
    """`start` (a local time) moved forward by `days` working days, keeping the time of day. A
    start on a day off counts from the next working day at the same time."""
    known: dict[date, str] = {}
    for year in (start.year, start.year + 1):
        known |= holidays_in(year, region_code)
    moment = start
    while not is_working_day(moment.date(), known=known):
        moment += timedelta(days=1)
    added = 0
    while added < days:
        moment += timedelta(days=1)
        if is_working_day(moment.date(), known=known):
            added += 1
    return moment
