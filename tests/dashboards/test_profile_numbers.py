"""Children's profile numbers equal direct counts: the population totals are the sums of the
entered rows (hypothesis), the protection section counts the generated cases, and the
birth-certificate value is the approved data value."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikla.core.models import AuditEvent
from sikla.dashboards import actions
from sikla.dashboards.demo_profile import load_demo_profile
from sikla.dashboards.models import ChildPopulation, ChildPopulationFigure
from sikla.dashboards.profile import build_profile
from sikla.protection.models import Child, ProtectionType
from sikla.regions.models import Region
from tests.personas import KUPANG, world_fixture  # noqa: F401

from .test_profile_support import (
    BIRTH_CERTIFICATES,
    DATA_YEAR,
    enter_population,
    fill_birth_certificates,
    kupang_cells,
    local,
    make_case,
)

HYPOTHESIS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- population ---------------------------------------------------------------------------------


@HYPOTHESIS
@given(data=st.data())
def test_population_totals_equal_direct_sums_of_the_entered_rows(world, data):
    cells = kupang_cells(world.kupang)
    figures = {cell: data.draw(st.integers(0, 60_000), label=str(cell)) for cell in cells}
    enter_population(world, figures)

    population = build_profile(world.kupang, DATA_YEAR).population

    rows = list(
        ChildPopulationFigure.objects.filter(
            population__local_government=world.kupang, population__year=DATA_YEAR
        ).values_list("region_id", "sex", "age_group", "count")
    )
    assert population.total == sum(n for *_cell, n in rows) == sum(figures.values())
    for sex in ("L", "P"):
        assert population.by_sex[sex] == sum(n for _c, s, _a, n in rows if s == sex)
    for age in ("0-5", "6-12", "13-17"):
        assert population.by_age[age] == sum(n for _c, _s, a, n in rows if a == age)
    for district in population.districts:
        assert district.total == sum(n for c, _s, _a, n in rows if c == district.code)
        for (sex, age), n in district.cells.items():
            assert n == figures[(district.code, sex, age)]
    assert sum(d.total for d in population.districts) == population.total


def test_it_says_belum_tersedia_without_figures_or_approved_data(world):
    profile = build_profile(world.kupang, DATA_YEAR)

    assert profile.population.entered is False and profile.population.total == 0
    assert all(i.value is None for i in profile.indicators)
    assert profile.sources[0][1].startswith("belum tersedia")
    assert "belum ada pengisian" not in profile.indicator(4).status  # the period exists
    assert "belum disetujui" in profile.indicator(4).status


def test_saving_population_audits_once_and_only_changes(world):
    enter_population(world)
    enter_population(world)  # the same again: nothing written

    events = AuditEvent.objects.filter(action="profile.save_population")
    assert events.count() == 1
    assert events.get().region_code == KUPANG

    figures = {cell: 100 + i for i, cell in enumerate(kupang_cells(world.kupang))}
    cell = next(iter(figures))
    figures[cell] = 5
    enter_population(world, figures)
    assert events.count() == 2
    assert events.first().changes == {"__".join(cell): [100, 5]}


@pytest.mark.parametrize("bad", [-1, "12", 1.5, None, True])
def test_it_refuses_anything_but_a_non_negative_whole_number(world, bad):
    figures = {cell: 10 for cell in kupang_cells(world.kupang)}
    cell = next(iter(figures))
    figures[cell] = bad

    with pytest.raises(ValidationError) as refused:
        enter_population(world, figures)

    assert "__".join(cell) in refused.value.message_dict
    assert not ChildPopulation.objects.exists()


def test_it_needs_a_source_and_the_secretariat(world):
    figures = {cell: 10 for cell in kupang_cells(world.kupang)}
    with pytest.raises(ValidationError) as refused:
        enter_population(world, figures, source="  ")
    assert "source" in refused.value.message_dict

    for persona in ("agency_operator", "viewer", "jambi_secretariat", "village_officer"):
        with pytest.raises(PermissionDenied):
            actions.save_population(
                actor=getattr(world, persona),
                local_government=world.kupang,
                year=DATA_YEAR,
                source="Disdukcapil",
                figures=figures,
            )


def test_the_demo_loads_plausible_figures_once(world):
    load_demo_profile(lg=world.kupang, secretariat=world.secretariat)
    load_demo_profile(lg=world.kupang, secretariat=world.secretariat)

    assert AuditEvent.objects.filter(action="profile.save_population").count() == 2
    for year in (2025, 2026):
        total = build_profile(world.kupang, year).population.total
        assert 110_000 < total < 125_000


# --- indicators from the data collection ----------------------------------------------------------


def test_a_submitted_but_unapproved_value_is_not_shown(world):
    fill_birth_certificates(world, approve=False)

    section = build_profile(world.kupang, DATA_YEAR).indicator(4)
    assert section.value is None and section.numerator is None
    assert "belum disetujui" in section.status


def test_the_birth_certificate_value_equals_the_approved_cells(world):
    fill_birth_certificates(world)

    section = build_profile(world.kupang, DATA_YEAR).indicator(4)

    numerator = sum(n for n, _d in BIRTH_CERTIFICATES.values())
    denominator = sum(d for _n, d in BIRTH_CERTIFICATES.values())
    assert section.numerator == numerator and section.denominator == denominator
    assert section.value == (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.01"))
    males = [v for (s, _a), v in BIRTH_CERTIFICATES.items() if s == "L"]
    assert section.by_sex["L"] == (
        Decimal(sum(n for n, _d in males)) * 100 / sum(d for _n, d in males)
    ).quantize(Decimal("0.01"))
    assert section.status == "" and "disetujui" in section.source
    # the other indicators have no approved data
    assert build_profile(world.kupang, DATA_YEAR).indicator(18).value is None


# --- protection -----------------------------------------------------------------------------------

CHILD = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["L", "P", ""]),
        "age": st.one_of(st.none(), st.integers(0, 17)),
        "district": st.integers(0, 5),
        "served": st.booleans(),
    }
)
CASE = st.fixed_dictionaries(
    {
        "day": st.integers(-5, 370),  # a few days outside the data year on both sides
        "types": st.sets(st.sampled_from(ProtectionType.values), max_size=2),
        "children": st.lists(CHILD, max_size=3),
    }
)


@HYPOTHESIS
@given(specs=st.lists(CASE, max_size=6))
def test_the_protection_section_equals_a_direct_count_of_the_cases(world, specs):
    villages = {
        i: Region.objects.filter(code__startswith=code + ".", level="village")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
        for i, code in enumerate(
            Region.objects.filter(code__startswith=KUPANG + ".", level="district")
            .order_by("code")
            .values_list("code", flat=True)
        )
    }
    with transaction.atomic():
        for spec in specs:
            make_case(
                world.kupang,
                received_at=local(date(DATA_YEAR, 1, 1) + timedelta(days=spec["day"])),
                types=spec["types"],
                children=[{**c, "region": villages[c["district"]]} for c in spec["children"]],
            )
        section = build_profile(world.kupang, DATA_YEAR).protection
        transaction.set_rollback(True)

    in_year = [s for s in specs if 0 <= s["day"] < 365]
    children = [c for s in in_year for c in s["children"]]

    def agrees(shown, direct) -> bool:
        """A published count is the direct count, or hidden ("x"): always when it is 1–4."""
        return shown == "x" if 0 < direct < 5 else shown in (direct, "x")

    assert section.published
    assert agrees(section.total_cases, len(in_year))
    # a case without a recorded child counts as one victim of unknown sex and age
    assert agrees(
        section.total_victims, len(children) + sum(1 for s in in_year if not s["children"])
    )
    sexes = Counter(c["sex"] for c in children)
    sexes[""] += sum(1 for s in in_year if not s["children"])
    for sex in ("L", "P", ""):
        assert agrees(section.by_sex[sex], sexes[sex])
    types = Counter()
    for s in in_year:
        for t in s["types"] or {""}:
            types[t] += len(s["children"]) or 1
    shown_types = {code: n for code, _label, n in section.by_type}
    assert set(types) <= set(shown_types)
    for code, n in shown_types.items():  # a hidden zero is listed too ("x")
        assert agrees(n, types.get(code, 0))
    assert agrees(section.served, sum(1 for c in children if c["served"]))
    published = [n for _c, _name, n in section.by_district if n != "x"]
    if section.total_victims != "x" and len(published) == len(section.by_district):
        assert sum(published) == section.total_victims
    assert not Child.objects.exists()  # rolled back for the next example
