"""One number format (issue 14, point 6): one rule per kind of number, Indonesian separators."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from sikla.core import numbers


def read_back(text: str) -> Decimal:
    """What an Indonesian reader understands: dots group thousands, a comma starts decimals."""
    text = text.removeprefix("Rp ").removesuffix("%")
    return Decimal(text.replace(".", "").replace(",", "."))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (7, "7"), (4900, "4.900"), (1_200_000, "1.200.000"), (Decimal("12.6"), "13")],
)
def test_a_count_is_a_whole_number_with_dots_between_thousands(value, shown):
    assert numbers.count(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("584.849"), "584,85"), (27.5, "27,50"), (1000, "1.000,00"), (0, "0,00")],
)
def test_a_score_has_two_decimals(value, shown):
    assert numbers.score(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("84.46"), "84,5%"), (Decimal("17.65"), "17,7%"), (Decimal("0.29"), "0,3%"),
     (50, "50,0%"), (100, "100,0%"), (Decimal("0.04"), "0,0%")],
)  # fmt: skip
def test_a_percentage_has_one_decimal_and_no_space_before_the_sign(value, shown):
    assert numbers.percent(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(4_900_000_000, "Rp 4.900.000.000"), (Decimal("1500.4"), "Rp 1.500"), (-25000, "-Rp 25.000")],
)
def test_money_is_whole_rupiah_with_its_sign(value, shown):
    assert numbers.money(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("12.50"), "12,5"), (3, "3"), (Decimal("1234.567"), "1.234,57"), (0, "0")],
)
def test_a_quantity_shows_the_decimals_it_has_up_to_two(value, shown):
    assert numbers.quantity(value) == shown


@pytest.mark.parametrize(
    "kind", [numbers.count, numbers.score, numbers.percent, numbers.money, numbers.quantity]
)
def test_missing_and_hidden_numbers_read_the_same_in_every_kind(kind):
    assert kind(None) == "–"
    assert kind("") == "–"
    assert kind("bukan angka") == "–"
    assert kind("x") == "x"  # a count of 1-4 hidden by disclosure control stays hidden


def test_rounding_is_half_up_and_never_shows_minus_zero():
    assert numbers.score(Decimal("0.005")) == "0,01"
    assert numbers.percent(Decimal("-0.01")) == "0,0%"
    assert numbers.count(Decimal("2.5")) == "3"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_every_kind_reads_back_as_the_number_rounded_to_its_rule(value):
    assert read_back(numbers.count(value)) == value.quantize(Decimal(1), "ROUND_HALF_UP")
    assert read_back(numbers.score(value)) == value.quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert read_back(numbers.percent(value)) == value.quantize(Decimal("0.1"), "ROUND_HALF_UP")
    assert read_back(numbers.quantity(value)) == value.quantize(Decimal("0.01"), "ROUND_HALF_UP")
    money = numbers.money(value)
    assert read_back(money.replace("-Rp ", "-")) == value.quantize(Decimal(1), "ROUND_HALF_UP")


def test_templates_use_the_same_rules():
    page = Template(
        "{% load sikla %}{{ n|count }} · {{ s|score }} · {{ p|percent }} · {{ r|money }} · "
        "{{ q|quantity }}"
    ).render(
        Context({"n": 4900, "s": Decimal("584.85"), "p": Decimal("84.46"), "r": 10**9, "q": 2.5})
    )
    assert page == "4.900 · 584,85 · 84,5% · Rp 1.000.000.000 · 2,5"


def test_the_evaluation_report_writes_scores_by_the_same_rule():
    from sikla.evaluation.reports import id_number

    assert id_number(Decimal("584.849")) == numbers.score(Decimal("584.85")) == "584,85"
