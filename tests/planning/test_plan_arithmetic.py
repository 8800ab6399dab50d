"""The budget arithmetic of the action plan, without the database: a hand-computed plan, then
properties over generated plans (totals are the sums of their parts whichever way they are cut;
the child-responsive share stays within 0–100 % when the APBD realised fits in the total APBD),
and the Rupiah the forms accept."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sikla.planning.forms.plan import AmountField, parse_amount
from sikla.planning.queries import realisation_pct, share_pct, summarise

D = Decimal


def fake_plan(start=2025, end=2029):
    return SimpleNamespace(years=list(range(start, end + 1)))


def fake_programme(pk: int, agency: int, numbers: list[int]):
    indicators = [SimpleNamespace(number=n, name=f"Indikator {n}") for n in numbers]
    lead = SimpleNamespace(pk=agency, abbreviation=f"OPD{agency}", uid=f"uid-{agency}")
    return SimpleNamespace(
        pk=pk,
        lead_agency_id=agency,
        lead_agency=lead,
        indicators=SimpleNamespace(all=lambda: indicators),
        name=f"Program {pk}",
        code="",
    )


def test_a_hand_computed_plan():
    p1, p2 = fake_programme(1, 10, [12, 13]), fake_programme(2, 20, [12])
    budgets = [
        (1, 2025, "apbd", D(100), D(80)),
        (1, 2025, "dak", D(50), D(60)),
        (1, 2026, "apbd", D(200), D(0)),
        (2, 2025, "apbd", D(300), D(270)),
    ]
    s = summarise(fake_plan(), [p1, p2], budgets, {2025: D(10000)}, [(1, 2025, 2, "accepted")])

    y2025, y2026 = s.year(2025), s.year(2026)
    assert (y2025.money.planned, y2025.money.realised, y2025.money.pct) == (450, 410, D("91.11"))
    assert (y2025.apbd.planned, y2025.apbd.realised) == (400, 350)
    assert (y2025.planned_share, y2025.realised_share) == (D("4.00"), D("3.50"))
    assert y2025.sources["dak"].over  # 60 realised of 50 planned
    assert (y2026.money.pct, y2026.planned_share) == (D("0.00"), None)  # APBD not typed in
    assert s.year(2027).money.pct is None  # nothing planned
    assert (s.total.planned, s.total.realised, s.total.pct) == (650, 410, D("63.08"))
    by_indicator = {g.key.number: g for g in s.by_indicator}
    assert (by_indicator[12].total.planned, by_indicator[13].total.planned) == (650, 350)
    assert [len(g.programmes) for g in s.by_indicator] == [2, 1]
    assert {g.key.pk: g.total.planned for g in s.by_agency} == {10: 350, 20: 300}
    assert s.programmes[0].last_report == (2025, 2, "accepted") and s.waiting == 0
    assert s.chart()["datasets"][1]["data"][:2] == [410.0, 0.0]


def test_percentages_round_half_up_and_are_none_without_a_denominator():
    assert realisation_pct(D(3), D(2)) == D("66.67")
    assert realisation_pct(D(8), D(1)) == D("12.50")
    assert realisation_pct(D(0), D(5)) is None
    assert share_pct(D(1), None) is None
    assert share_pct(D(1), D(3)) == D("33.33")


money = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
budget_rows = st.lists(
    st.tuples(
        st.integers(1, 6),  # programme
        st.integers(2025, 2029),
        st.sampled_from(["apbd", "apbn", "dak", "csr", "other"]),
        money,
        money,
    ),
    max_size=40,
    unique_by=lambda r: r[:3],
)


def programmes_for(links: dict[int, list[int]]):
    return [fake_programme(pk, 100 + pk % 3, numbers) for pk, numbers in links.items()]


indicator_links = st.dictionaries(
    st.integers(1, 6),
    st.lists(st.integers(1, 24), min_size=1, max_size=3, unique=True),
    min_size=6,
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(budget_rows, indicator_links)
def test_totals_are_the_sums_of_their_parts(budgets, links):
    s = summarise(fake_plan(), programmes_for(links), budgets, {})
    planned = sum((r[3] for r in budgets), D(0))
    realised = sum((r[4] for r in budgets), D(0))
    assert (s.total.planned, s.total.realised) == (planned, realised)
    assert sum((y.money.planned for y in s.years), D(0)) == planned
    assert sum((y.money.realised for y in s.years), D(0)) == realised
    assert sum((g.total.planned for g in s.by_agency), D(0)) == planned
    assert sum((r.total.realised for r in s.programmes), D(0)) == realised
    for y in s.years:
        assert sum((m.planned for m in y.sources.values()), D(0)) == y.money.planned
    for g in s.by_indicator:  # every programme linked to the indicator, counted whole
        linked = {pk for pk, numbers in links.items() if g.key.number in numbers}
        assert g.total.planned == sum((r[3] for r in budgets if r[0] in linked), D(0))
    for row in s.programmes:
        assert row.total.planned == sum((m.planned for m in row.per_year.values()), D(0))


@settings(max_examples=150, deadline=None)
@given(budget_rows, st.data())
def test_the_share_stays_within_0_and_100_when_realised_fits_the_apbd(budgets, data):
    links = {pk: [1] for pk in range(1, 7)}
    apbd_realised: dict[int, Decimal] = {}
    for _pk, year, source, _planned, realised in budgets:
        if source == "apbd":
            apbd_realised[year] = apbd_realised.get(year, D(0)) + realised
    totals = {
        year: apbd_realised.get(year, D(0))
        + data.draw(st.decimals(min_value="0.01", max_value=10**15, places=2), label=str(year))
        for year in range(2025, 2030)
    }
    s = summarise(fake_plan(), programmes_for(links), budgets, totals)
    for y in s.years:
        assert y.realised_share is not None and D(0) <= y.realised_share <= D(100)
        if y.apbd.planned <= y.total_apbd:
            assert D(0) <= y.planned_share <= D(100)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.250.000", D(1250000)),
        ("1.250.000,50", D("1250000.50")),
        ("Rp 2.500", D(2500)),
        ("Rp. 2.500.000", D(2500000)),
        ("1250000", D(1250000)),
        ("12,5", D("12.5")),
        ("1250000.50", D("1250000.50")),
        ("0", D(0)),
    ],
)
def test_rupiah_is_read_the_indonesian_way(typed, value):
    assert parse_amount(typed) == value
    assert AmountField().clean(typed) == value


@pytest.mark.parametrize("typed", ["1,250,000", "abc", "1.25.000", "1.250.000.", "", "12,345,6"])
def test_other_spellings_are_refused(typed):
    if typed == "":
        assert AmountField(required=False).clean(typed) is None
        return
    with pytest.raises(ValueError):
        parse_amount(typed)


def test_the_amount_field_says_what_is_wrong():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="tidak boleh negatif"):
        AmountField().clean("-5")
    with pytest.raises(ValidationError, match="dua angka di belakang koma"):
        AmountField().clean("1,005")
    assert AmountField().prepare_value(D("1250000.00")) == "1.250.000"


def test_an_amount_reads_back_what_it_shows_in_either_language():
    from decimal import Decimal

    from django.utils import translation

    from sikla.planning.forms.plan import AmountField

    field = AmountField(label="x")
    for language in ("id", "en"):
        with translation.override(language):
            shown = field.prepare_value(Decimal("1250000.50"))
            assert shown == "1.250.000,50"
            assert field.clean(shown) == Decimal("1250000.50")
