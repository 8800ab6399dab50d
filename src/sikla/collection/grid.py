"""The shape of an indicator's data-entry grid, and its totals. Plain functions, no database.

Rows are regions at the indicator's data level (every kelurahan, every kecamatan, or the
kab/kota itself); columns are the disaggregation cells the catalog asks for. A cell is keyed
`(region_code, sex, age_group)` with "" meaning "all".
"""

from dataclasses import dataclass
from decimal import Decimal

from .models import AgeGroup, Sex

Cell = tuple[str, str, str]  # (region code, sex, age group)

SEXES = [Sex.MALE, Sex.FEMALE]
AGES = [AgeGroup.EARLY, AgeGroup.MIDDLE, AgeGroup.TEEN]


def columns(disaggregations: list[str]) -> list[tuple[str, str]]:
    """The (sex, age group) pairs the catalog asks for; one "total" column when none."""
    sexes = SEXES if "sex" in disaggregations else [Sex.ALL]
    ages = AGES if "age_group" in disaggregations else [AgeGroup.ALL]
    return [(str(s), str(a)) for s in sexes for a in ages]


def column_label(sex: str, age: str) -> str:
    parts = [str(Sex(sex).label) if sex else "", str(AgeGroup(age).label) if age else ""]
    return " · ".join(p for p in parts if p) or str(Sex.ALL.label)


def plain(number: Decimal | int) -> Decimal:
    """50.00 → 50, 3.50 → 3.5 (never `5E+1`): how a number is shown and pre-filled."""
    return Decimal(format(Decimal(number).normalize(), "f"))


def field_name(kind: str, cell: Cell) -> str:
    """Form field name of one input: `n__53.71.01.1001__L__0-5` (kind n, d or v)."""
    return "__".join([kind, *cell])


@dataclass
class Total:
    numerator: Decimal = Decimal(0)
    denominator: Decimal = Decimal(0)
    value: Decimal = Decimal(0)
    cells: int = 0

    @property
    def percentage(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (self.numerator / self.denominator * 100).quantize(Decimal("0.01"))

    def add(self, numerator, denominator, value) -> None:
        if numerator is not None and denominator is not None:
            self.numerator += numerator
            self.denominator += denominator
            self.cells += 1
        if value is not None:
            self.value += value
            self.cells += 1


def totals(
    values: dict[Cell, tuple], district_of, regency_code: str
) -> tuple[dict[str, Total], Total]:
    """Sums per kecamatan (by code prefix) and for the kab/kota of the entered cells.

    `values` maps a cell to (numerator, denominator, value); `district_of(code)` gives the
    kecamatan code of a row's region, or None for a kab/kota-level row.
    """
    per_district: dict[str, Total] = {}
    overall = Total()
    for (code, _sex, _age), (numerator, denominator, value) in values.items():
        district = district_of(code)
        if district:
            per_district.setdefault(district, Total()).add(numerator, denominator, value)
        overall.add(numerator, denominator, value)
    return per_district, overall


def district_code(code: str) -> str | None:
    """53.71.01.1001 → 53.71.01; a kecamatan is its own district; a kab/kota has none."""
    parts = code.split(".")
    return ".".join(parts[:3]) if len(parts) >= 3 else None
