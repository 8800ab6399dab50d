"""Retention: a closed case's identities are erased once the youngest child of the case has been
an adult for `PROTECTION_RETENTION_YEARS` (default 10) — the case stays, as numbers only.

What goes: every name, NIK (and its hash), date of birth, school, address, the children's name
index, the perpetrators' names, the chronology, notes, reasons and feedback, the complaint's words
and the reporter's name and contact, and every photo or document of the case. What stays: the case
number, dates, status, types, services and referrals by kind, ages and sexes, kelurahan — so the
de-identified statistics (`facts.py`) count the case as before. The access log is append-only
and keeps its rows; their search terms stay encrypted under the protection key.

The erasing itself is `actions.anonymise_case`. A child's 18th birthday comes from the date of birth, else from the age when the case was
received, else (nothing recorded) the case is treated as a newborn's: the longest wait.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from .models import Case, CaseStatus, Child

ADULT = 18


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def adult_on(child: Child, received: date) -> date:
    """The day this child turns 18 (see the module docstring)."""
    if child.birth_date:
        return _years_after(date.fromisoformat(child.birth_date), ADULT)
    age = child.age if child.age is not None else 0
    return _years_after(received, ADULT - min(age, ADULT))


def erase_on(case: Case) -> date:
    """The day a closed case's identities are due to go."""
    received = timezone.localdate(case.received_at)
    children = list(case.children.all())
    adult = max((adult_on(c, received) for c in children), default=_years_after(received, ADULT))
    return _years_after(adult, settings.PROTECTION_RETENTION_YEARS)


def due(now: datetime | None = None):
    """Closed cases not yet anonymised whose retention has run out."""
    today = timezone.localdate(now or timezone.now())
    # No case can be due before it is RETENTION years old: a cheap first cut in SQL.
    oldest = _years_after(today, -settings.PROTECTION_RETENTION_YEARS)
    candidates = Case.objects.filter(
        status=CaseStatus.CLOSED, anonymised_at__isnull=True, received_at__date__lte=oldest
    ).prefetch_related("children")
    return [case for case in candidates.iterator(chunk_size=500) if erase_on(case) <= today]


def anonymise_due(now: datetime | None = None) -> int:
    """The daily run: every case whose retention has run out; returns how many."""
    from .actions import anonymise_case

    cases = due(now)
    for case in cases:
        anonymise_case(case, now=now)
    return len(cases)
