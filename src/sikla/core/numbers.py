"""One number format (issue 14, point 6): every kind of number is written one way, as Indonesians
write numbers — a dot between thousands, a comma before decimals — in pages, PDFs and charts.

| kind                    | rule                                  | example          |
|-------------------------|---------------------------------------|------------------|
| count (children, cases) | a whole number                        | 4.900            |
| score (KLA points)      | two decimals                          | 584,85           |
| percentage              | one decimal and "%" without a space   | 84,5%            |
| money                   | "Rp", whole rupiah                    | Rp 4.900.000.000 |
| quantity (targets, …)   | up to two decimals, none when whole   | 12,5             |

A missing number is "–"; a count hidden by disclosure control ("x") stays "x". The charts use the
same rules in JavaScript (`static/sikla/charts.js`: `id-ID`, whole-number ticks for counts).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DASH = "–"
HIDDEN = "x"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def grouped(number: Decimal, places: int) -> str:
    """`places` decimals, rounded half up, with Indonesian separators (forms write their values
    back with it)."""
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    text = f"{rounded:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _written(value, places: int, *, trim: bool = False) -> str | None:
    if value == HIDDEN:
        return HIDDEN
    number = _decimal(value)
    if number is None:
        return None
    text = grouped(number, places)
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def count(value) -> str:
    """A number of children, cases, agencies…: 4900 → "4.900"."""
    return _written(value, 0) or DASH


def score(value) -> str:
    """A score with its two decimals: 584.849 → "584,85"."""
    return _written(value, 2) or DASH


def quantity(value) -> str:
    """A measured amount (a target, an achievement): 12.50 → "12,5", 3.00 → "3"."""
    return _written(value, 2, trim=True) or DASH


def percent(value) -> str:
    """A share already in percent: 84.46 → "84,5%"."""
    text = _written(value, 1)
    if text is None:
        return DASH
    return text if text == HIDDEN else f"{text}%"


def share(value) -> str:
    """A fraction of a whole (0–1) as a percentage: 0.8446 → "84,5%"."""
    value = _decimal(value)
    return DASH if value is None else percent(value * 100)


def money(value) -> str:
    """Rupiah: 4900000000 → "Rp 4.900.000.000"."""
    text = _written(value, 0)
    if text is None or text == HIDDEN:
        return text or DASH
    if text.startswith("-"):
        return f"-Rp {text[1:]}"
    return f"Rp {text}"
