"""Shared helpers of the children's profile tests (no tests here): population, approved
indicator data, generated cases."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from sikla.accounts.models import Role
from sikla.collection import actions as collection
from sikla.dashboards import actions
from sikla.dashboards.models import AGE_GROUPS, SEXES
from sikla.dashboards.profile import districts_of
from sikla.protection import facts
from sikla.protection.models import Case, CaseStatus, CaseType, Child, Service
from tests.personas import KUPANG, extra_user

DATA_YEAR = 2025  # the personas' open period is evaluation year 2026
_sequence = itertools.count(1)


def kupang_cells(lg) -> list[tuple[str, str, str]]:
    return [
        (code, str(s), str(a))
        for code, _name in districts_of(lg)
        for s in SEXES
        for a in AGE_GROUPS
    ]


def enter_population(world, figures=None, *, year=DATA_YEAR, source="Disdukcapil, DKB 2025"):
    if figures is None:
        figures = {cell: 100 + i for i, cell in enumerate(kupang_cells(world.kupang))}
    return actions.save_population(
        actor=world.secretariat,
        local_government=world.kupang,
        year=year,
        source=source,
        figures=figures,
    )


# indicator 4 cells: the kab/kota × sex × age group → (numerator, denominator)
BIRTH_CERTIFICATES = {
    ("L", "0-5"): (9_000, 10_000),
    ("L", "6-12"): (11_500, 12_000),
    ("L", "13-17"): (8_200, 8_400),
    ("P", "0-5"): (8_700, 9_600),
    ("P", "6-12"): (11_000, 11_600),
    ("P", "13-17"): (7_900, 8_100),
}


def fill_birth_certificates(world, *, approve: bool = True):
    submission = world.periods[KUPANG].submissions.get(indicator__number=4)
    values = {
        (KUPANG, sex, age): (Decimal(n), Decimal(d), None)
        for (sex, age), (n, d) in BIRTH_CERTIFICATES.items()
    }
    collection.save_values(
        submission,
        actor=world.secretariat,
        values=values,
        narrative="",
        expected_version=submission.version,
    )
    collection.submit_submission(submission, actor=world.secretariat)
    if approve:
        reviewer = extra_user(world, "sekretariat.dua", Role.SECRETARIAT)
        collection.approve_submission(submission, actor=reviewer)
    return submission


def local(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_case(lg, *, received_at: datetime, types=(), children=()) -> Case:
    """A case straight through the ORM (fast, for generated data); children are dicts of sex,
    age, region and served."""
    sequence = next(_sequence)
    case = Case.objects.create(
        local_government=lg,
        year=received_at.year,
        sequence=sequence,
        number=f"{sequence:04d}/PPA/PROFIL/{received_at.year}",
        channel="web",
        received_at=received_at,
        response_due_at=received_at + timedelta(hours=48),
        status=CaseStatus.RECEIVED,
    )
    CaseType.objects.bulk_create(CaseType(case=case, type=t) for t in types)
    for spec in children:
        child = Child.objects.create(
            case=case,
            name="Anak Rahasia Profil",
            age=spec["age"],
            sex=spec["sex"],
            address_region_id=spec.get("region"),
        )
        if spec.get("served"):
            Service.objects.create(
                case=case, child=child, kind="health", date=received_at.date(), provider="RSUD"
            )
    facts.refresh(case)  # as an import would
    return case
