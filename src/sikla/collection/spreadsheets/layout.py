"""What the template, the upload and the export share: the sheets' names and columns, the
metadata that ties a template to its submission, and the one shape of an upload's problems."""

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection

from sikla.indicators.models import MeasureType

from ..grid import column_label, columns, plain

DATA, GUIDE, META = "Data", "Petunjuk", "_sikla"
TEMPLATE_FORMAT = "sikla-isian/1"
FIXED_HEADERS = ["Kode wilayah", "Nama wilayah"]
AVAILABILITY_HEADER = "Tersedia (Ya/Tidak)"
YES, NO = "Ya", "Tidak"
MAX_ERRORS = 200
LIMIT = Decimal(10) ** 12  # DataValue: 14 digits, 2 of them decimals

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
READ_ONLY_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


class Problem(NamedTuple):
    """One error of an upload. Compares equal to a plain 4-tuple."""

    sheet: str  # "" = the file as a whole
    row: int | None  # 1-based as Excel shows it; None = the whole sheet
    column: str  # column letter; "" = the whole row or sheet
    message: str

    def __str__(self) -> str:
        if self.row and self.column:
            return f"Lembar {self.sheet}, sel {self.column}{self.row}: {self.message}"
        if self.row:
            return f"Lembar {self.sheet}, baris {self.row}: {self.message}"
        if self.sheet:
            return f"Lembar {self.sheet}: {self.message}"
        return self.message


class SpreadsheetError(Exception):
    """An upload that cannot be taken; `errors` lists every problem found, in sheet order."""

    def __init__(self, errors: list[Problem]):
        super().__init__("; ".join(str(e) for e in errors[:3]))
        self.errors = errors


class _Bad(Exception):
    """A cell's content is not acceptable; the message says why."""


@dataclass(frozen=True)
class _Column:
    header: str
    kind: str  # "n" numerator, "d" denominator, "v" count or availability
    sex: str
    age: str


def _layout(indicator) -> list[_Column]:
    """The data columns of the template (after code and name), in grid order."""
    result = []
    grid = columns(indicator.disaggregations)
    for sex, age in grid:
        label = column_label(sex, age) if sex or age else "Total"
        if indicator.measure_type == MeasureType.PERCENTAGE:
            result.append(_Column(f"Pembilang — {label}", "n", sex, age))
            result.append(_Column(f"Penyebut — {label}", "d", sex, age))
        elif indicator.measure_type == MeasureType.COUNT:
            result.append(_Column(f"Jumlah — {label}", "v", sex, age))
        else:
            header = AVAILABILITY_HEADER if len(grid) == 1 else f"{AVAILABILITY_HEADER} — {label}"
            result.append(_Column(header, "v", sex, age))
    return result


def _metadata(submission) -> dict[str, str]:
    return {
        "format": TEMPLATE_FORMAT,
        "local_government": submission.local_government_id,
        "period_year": str(submission.period.year),
        "indicator": str(submission.indicator.number),
        "catalog_version": submission.period.catalog.code,
    }


META_LABELS = {
    "format": "format templat",
    "local_government": "pemerintah daerah",
    "period_year": "periode",
    "indicator": "indikator",
    "catalog_version": "versi katalog",
}


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is as is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _id_number(number: Decimal) -> str:
    """3.50 → "3,5": numbers in messages as Indonesians write them."""
    return str(plain(number)).replace(".", ",")


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def style_header(cells) -> None:
    """A sheet's header row: bold on the header colour, wrapped."""
    for cell in cells:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
