"""Reading a filled template back: every problem at once, or the values."""

import math
import os
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from sikla.indicators.models import MeasureType
from sikla.lib.filecheck import XLSX, FileRejected, check_upload

from ..grid import Cell, plain
from .layout import (
    DATA,
    FIXED_HEADERS,
    LIMIT,
    MAX_ERRORS,
    META,
    META_LABELS,
    NO,
    YES,
    Problem,
    SpreadsheetError,
    _Bad,
    _id_number,
    _layout,
    _metadata,
)


def _size(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, os.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
    return size


def _load(fileobj, *, data_only: bool):
    fileobj.seek(0)
    try:
        return load_workbook(fileobj, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise SpreadsheetError(
            [Problem("", None, "", "Berkas Excel tidak dapat dibaca; simpan ulang sebagai .xlsx.")]
        ) from exc


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _number(raw, *, whole: bool) -> Decimal | None:
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise _Bad("Isi angka, bukan TRUE/FALSE.")
    if isinstance(raw, datetime | date | time | timedelta):
        raise _Bad("Sel berformat tanggal; ubah format selnya menjadi angka.")
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise _Bad("Isi angka yang wajar.")
        number = Decimal(repr(raw))
    else:
        text = str(raw).replace("\u00a0", "").replace(" ", "").strip()
        if text.startswith("#"):
            raise _Bad(f"Sel berisi galat Excel ({text[:20]}); isi dengan angka.")
        match = re.fullmatch(r"(-?)(\d+)(?:[.,](\d+))?", text)
        if not match:
            raise _Bad(f"“{text[:30]}” bukan angka; tulis misalnya 12 atau 3,5.")
        sign, whole_part, fraction = match.groups()
        number = Decimal(f"{sign}{whole_part}.{fraction}" if fraction else f"{sign}{whole_part}")
    if number < 0:
        raise _Bad("Angka tidak boleh negatif.")
    number = plain(number)
    if whole and number != number.to_integral_value():
        raise _Bad("Isi bilangan bulat.")
    if number.as_tuple().exponent < -2:
        raise _Bad("Paling banyak dua angka di belakang koma (tulis ribuan tanpa titik: 1234).")
    if number >= LIMIT:
        raise _Bad("Angka terlalu besar.")
    return number


def _availability(raw) -> Decimal | None:
    if _blank(raw):
        return None
    answer = str(raw).strip().casefold()
    if answer == YES.casefold():
        return Decimal(1)
    if answer == NO.casefold():
        return Decimal(0)
    raise _Bad("Isi “Ya” atau “Tidak”.")


class _Collector:
    """Gathers problems; stops the read once there are too many to be useful."""

    class Full(Exception):
        pass

    def __init__(self):
        self.errors: list[Problem] = []

    def add(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.errors.append(Problem(sheet, row, column, message))
        if len(self.errors) >= MAX_ERRORS:
            self.errors.append(
                Problem(
                    sheet,
                    None,
                    "",
                    "Terlalu banyak kesalahan; pemeriksaan dihentikan. Perbaiki yang tercantum, "
                    "lalu unggah lagi.",
                )
            )
            raise self.Full

    def raise_if_any(self) -> None:
        if self.errors:
            raise SpreadsheetError(self.errors)


def read_workbook(fileobj, submission, rows) -> dict[Cell, tuple]:
    """The values of an uploaded template, ready for `actions.save_values`.

    Returns {(region code, sex, age group): (numerator, denominator, value)} of the filled
    cells (empty cells are a draft, left out). Raises SpreadsheetError listing every problem;
    nothing is returned then.
    """
    size = _size(fileobj)
    try:
        checked = check_upload(fileobj, size, max_bytes=settings.MAX_UPLOAD_MB * 1048576)
    except FileRejected as exc:
        if not size or size > settings.MAX_UPLOAD_MB * 1048576:
            raise SpreadsheetError([Problem("", None, "", str(exc))]) from exc
        checked = None
    if checked is None or checked.kind != XLSX:
        raise SpreadsheetError([Problem("", None, "", wrong_kind(fileobj))])
    found = _Collector()
    workbook = _load(fileobj, data_only=True)
    try:
        values = _read(workbook, fileobj, submission, rows, found)
    except _Collector.Full:
        values = {}
    finally:
        workbook.close()
    found.raise_if_any()
    return values


SAVE_AS_XLSX = (
    "Impor hanya menerima templat Excel (.xlsx) dari SIKLA. Buka berkas di Excel atau "
    "LibreOffice Calc, pilih File → Simpan Sebagai (Save As) → “Buku Kerja Excel (.xlsx)”, "
    "lalu unggah lagi; atau unduh templatnya dari halaman ini dan isi di sana."
)


def wrong_kind(fileobj) -> str:
    """The import's own refusal of a file that is not an .xlsx workbook: what the file seems to
    be, judged from its bytes, and how to save it as .xlsx."""
    fileobj.seek(0)
    head = fileobj.read(4096)
    fileobj.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        seems = "Berkas ini berformat Excel lama 97–2003 (.xls)."
    elif head.startswith(b"PK\x03\x04") and b"opendocument.spreadsheet" in head:
        seems = "Berkas ini berformat LibreOffice/OpenDocument (.ods)."
    elif head.startswith(b"%PDF-"):
        seems = "Berkas ini PDF, bukan lembar kerja."
    elif head.startswith(b"PK\x03\x04") and b"word/" in head:
        seems = "Berkas ini dokumen Word (.docx), bukan lembar kerja."
    elif head.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        seems = "Berkas ini gambar, bukan lembar kerja."
    elif head and b"\x00" not in head:
        seems = "Berkas ini teks atau CSV."
    else:
        seems = "Berkas ini bukan buku kerja Excel (.xlsx)."
    return f"{seems} {SAVE_AS_XLSX}"


def _read(workbook, fileobj, submission, rows, found: _Collector) -> dict[Cell, tuple]:
    for name in (DATA, META):
        if name not in workbook.sheetnames:
            found.add(
                name,
                None,
                "",
                f"Lembar “{name}” tidak ada; unggah templat yang diunduh dari halaman indikator "
                "ini tanpa mengubah nama lembarnya.",
            )
    found.raise_if_any()
    _check_metadata(workbook[META], submission, found)
    found.raise_if_any()
    indicator = submission.indicator
    layout = _layout(indicator)
    sheet = workbook[DATA]
    width = len(FIXED_HEADERS) + len(layout)
    expected = [*FIXED_HEADERS, *(c.header for c in layout)]
    header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=width, values_only=True), ())
    header = [*header, *[None] * (width - len(header))]
    for index, (want, got) in enumerate(zip(expected, header, strict=True), start=1):
        if _text(got).casefold() != want.casefold():
            found.add(
                DATA,
                1,
                get_column_letter(index),
                f"Judul kolom seharusnya “{want}”, bukan “{_text(got)[:40]}”. "
                "Jangan menyisipkan, menghapus, atau menukar kolom.",
            )
    found.raise_if_any()
    formulas = _formula_cells(fileobj, width)
    return _read_rows(sheet, indicator.measure_type, layout, rows, formulas, found)


def _check_metadata(sheet, submission, found: _Collector) -> None:
    stored = {}
    for row in sheet.iter_rows(max_col=2, values_only=True):
        if row and not _blank(row[0]):
            stored[_text(row[0])] = _text(row[1] if len(row) > 1 else None)
    expected = _metadata(submission)
    differs = [key for key, value in expected.items() if stored.get(key) != value]
    if not differs:
        return
    given = ", ".join(f"{META_LABELS[k]} {stored.get(k) or '(kosong)'}" for k in differs)
    wanted = ", ".join(f"{META_LABELS[k]} {expected[k]}" for k in differs)
    found.add(
        META,
        None,
        "",
        f"Templat ini untuk {given}, bukan {wanted}. Unduh templat dari halaman indikator ini.",
    )


def _formula_cells(fileobj, width: int) -> dict[tuple[int, int], str]:
    """{(row, column): formula} of the Data cells holding a formula, whether or not Excel saved
    its result: a value is taken only as typed, never computed (the guide says so)."""
    workbook = _load(fileobj, data_only=False)
    try:
        return {
            (cell.row, cell.column): str(cell.value)
            for row in workbook[DATA].iter_rows(min_row=2, max_col=width)
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        }
    finally:
        workbook.close()


def _read_rows(sheet, measure_type, layout, rows, formulas, found) -> dict[Cell, tuple]:
    known = {region.code for region in rows}
    seen: dict[str, int] = {}
    values: dict[Cell, tuple] = {}
    width = len(FIXED_HEADERS) + len(layout)
    first = len(FIXED_HEADERS)
    for number, raw in enumerate(
        sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2
    ):
        line = [*raw, *[None] * (width - len(raw))]
        formula_at = {
            c: formulas[number, c + 1] for c in range(width) if (number, c + 1) in formulas
        }
        if all(_blank(v) for i, v in enumerate(line) if i != 1) and not formula_at:
            continue

        def error(index: int, message: str, number=number) -> None:
            found.add(DATA, number, get_column_letter(index + 1), message)

        for index, formula in sorted(formula_at.items()):
            shown = formula if len(formula) <= 40 else formula[:39] + "…"
            error(index, f"Sel berisi rumus {shown}; simpan nilainya saja, bukan rumusnya.")
        code = _text(line[0])
        if 0 in formula_at:
            code = ""
        elif not code:
            error(0, "Kode wilayah kosong; salin baris dari templat tanpa mengubah kodenya.")
        elif code not in known:
            error(0, f"Kode wilayah “{code[:20]}” bukan wilayah pengisian indikator ini.")
        elif code in seen:
            error(0, f"Kode wilayah {code} sudah ada di baris {seen[code]}.")
        else:
            seen[code] = number
        parsed: dict[int, Decimal | None] = {}
        for index in range(first, width):
            if index in formula_at:
                continue
            try:
                if measure_type == MeasureType.AVAILABILITY:
                    parsed[index] = _availability(line[index])
                else:
                    parsed[index] = _number(line[index], whole=measure_type == MeasureType.COUNT)
            except _Bad as exc:
                error(index, str(exc))
        step = 2 if measure_type == MeasureType.PERCENTAGE else 1
        for index in range(first, width, step):
            column = layout[index - first]
            cell = (code, column.sex, column.age)
            if step == 1:
                if parsed.get(index) is not None:
                    values[cell] = (None, None, parsed[index])
                continue
            if index not in parsed or index + 1 not in parsed:
                continue  # already reported
            numerator, denominator = parsed[index], parsed[index + 1]
            if numerator is None and denominator is None:
                continue
            if denominator is None:
                error(index + 1, "Isi penyebut juga.")
            elif numerator is None:
                error(index, "Isi pembilang juga.")
            elif denominator == 0:
                error(index + 1, "Penyebut harus lebih dari 0.")
            elif numerator > denominator:
                error(
                    index,
                    f"Pembilang ({_id_number(numerator)}) melebihi penyebut "
                    f"({_id_number(denominator)}).",
                )
            else:
                values[cell] = (numerator, denominator, None)
    return values
