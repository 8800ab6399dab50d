"""The shares that answer indicator 2 (questions 2.4, 2.5, 2.6) against direct counts."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikla.organisations.actions import register_local_government
from sikla.regions.models import Region
from sikla.villages import queries
from sikla.villages.models import ChecklistItem, Status
from sikla.villages.queries import QUESTION_SHARES, percent, shares

from .conftest import (
    ALAK_KELURAHAN,
    OEBOBO,
    OEBOBO_KELURAHAN,
    YEAR,
    checklist,
    declare,
    kupang_villages,
)
from .conftest import region as region_of

KEYS = {
    "declared_villages",
    "total_villages",
    "pct_villages_declared",
    "villages_with_patbm",
    "pct_patbm",
    "declared_districts",
    "total_districts",
    "pct_districts_declared",
}


def kupang_districts() -> list[str]:
    return list(
        Region.objects.filter(code__startswith="53.71.", level="district")
        .order_by("code")
        .values_list("code", flat=True)
    )


AREA = st.fixed_dictionaries(
    {
        "status": st.sampled_from(Status.values),
        "declared_year": st.integers(2022, YEAR),
        "patbm_years": st.sets(st.integers(YEAR - 2, YEAR), max_size=3),
    }
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    villages=st.dictionaries(st.integers(0, 50), AREA, max_size=8),
    districts=st.dictionaries(st.integers(0, 5), AREA, max_size=3),
    year=st.integers(YEAR - 3, YEAR),
)
def test_it_equals_direct_counts_over_any_statuses(world, villages, districts, year):
    village_codes, district_codes = kupang_villages(), kupang_districts()
    assert (len(village_codes), len(district_codes)) == (51, 6)

    def declared_by(spec) -> bool:
        return spec["status"] in {Status.DECLARED, Status.EVALUATED} and (
            spec["declared_year"] <= year
        )

    try:
        with transaction.atomic():
            for code, spec in [
                *((village_codes[i], s) for i, s in villages.items()),
                *((district_codes[i], s) for i, s in districts.items()),
            ]:
                if spec["status"] in {Status.DECLARED, Status.EVALUATED}:
                    declare(world, code, on=date(spec["declared_year"], 3, 1))
                    if spec["status"] == Status.EVALUATED:
                        declare_as(world, code, spec, Status.EVALUATED)
                elif spec["status"] == Status.INITIATED:
                    declare_as(world, code, spec, Status.INITIATED)
                for patbm_year in spec["patbm_years"]:
                    checklist(world, code, patbm_year, done={ChecklistItem.PATBM})
            got = shares(world.kupang, year)
            overview = queries.overview(world.kupang, year)
            raise _Rollback(got, overview)
    except _Rollback as done:
        got, overview = done.args

    declared_villages = sum(declared_by(s) for s in villages.values())
    with_patbm = sum(declared_by(s) and year in s["patbm_years"] for s in villages.values())
    declared_districts = sum(declared_by(s) for s in districts.values())
    assert got == {
        "declared_villages": declared_villages,
        "total_villages": 51,
        "pct_villages_declared": percent(declared_villages, 51),
        "villages_with_patbm": with_patbm,
        "pct_patbm": percent(with_patbm, declared_villages),
        "declared_districts": declared_districts,
        "total_districts": 6,
        "pct_districts_declared": percent(declared_districts, 6),
    }
    # The page's per-kecamatan table adds up to the same figures.
    assert overview.totals.villages == 51
    assert overview.totals.declared == declared_villages
    assert overview.totals.with_patbm == with_patbm
    assert sum(d.kelana for d in overview.districts) == declared_districts


class _Rollback(Exception):
    """Leave the database as it was after each generated example."""


def declare_as(world, code, spec, status):
    from sikla.villages import actions

    extra = (
        {"declared_on": date(spec["declared_year"], 3, 1), "decree_number": f"SK/{code}"}
        if status == Status.EVALUATED
        else {}
    )
    actions.set_status(
        actor=world.secretariat,
        local_government=world.kupang,
        region=region_of(code),
        status=status,
        **extra,
    )


def test_it_has_two_places_and_every_key(world):
    declare(world, OEBOBO_KELURAHAN)
    checklist(world, OEBOBO_KELURAHAN, done={ChecklistItem.PATBM})
    declare(world, OEBOBO)

    got = shares(world.kupang, YEAR)

    assert set(got) == KEYS
    assert got["pct_villages_declared"] == Decimal("1.96")  # 1 / 51
    assert got["pct_patbm"] == Decimal("100.00")
    assert got["pct_districts_declared"] == Decimal("16.67")  # 1 / 6
    assert all(got[k].as_tuple().exponent == -2 for k in KEYS if k.startswith("pct"))
    assert set(QUESTION_SHARES) == {"2.4", "2.5", "2.6"}
    assert set(QUESTION_SHARES.values()) <= KEYS


def test_it_answers_zero_without_regions_and_never_divides_by_zero(world):
    # A kab/kota whose kecamatan and kelurahan are not in the (test) region list.
    lg = register_local_government(
        actor=world.national_admin, region=Region.objects.get(code="53.01")
    )

    got = shares(lg, YEAR)

    assert got["total_villages"] == got["total_districts"] == 0
    assert got["pct_villages_declared"] == got["pct_patbm"] == got["pct_districts_declared"]
    assert got["pct_patbm"] == Decimal("0.00")


def test_a_later_declaration_or_another_years_patbm_does_not_count(world):
    declare(world, OEBOBO_KELURAHAN, on=date(2026, 2, 1))
    checklist(world, OEBOBO_KELURAHAN, 2025, done={ChecklistItem.PATBM})
    # PATBM in a village that is not declared is no DeKeLA with PATBM.
    checklist(world, ALAK_KELURAHAN, YEAR, done={ChecklistItem.PATBM})

    assert shares(world.kupang, 2025)["declared_villages"] == 0
    assert shares(world.kupang, 2025)["villages_with_patbm"] == 0
    now = shares(world.kupang, YEAR)
    assert now["declared_villages"] == 1
    assert now["villages_with_patbm"] == 0
    assert now["pct_patbm"] == Decimal("0.00")
