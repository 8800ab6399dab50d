"""Spreadsheets of the data-entry grid: a template an agency fills offline, reading it back, and
the export of a whole period. Plain functions; the views decide who may call them.

The template mirrors the grid (`grid.columns`): sheet "Data" has one row per region and, per grid
column, a numerator and a denominator column (percentage), a count column, or a Ya/Tidak column
(availability). A hidden sheet "_sikla" names the local government, period, indicator and catalog
version the template was made for, so an upload meant for another indicator is refused whole.

`read_workbook` applies the rules of `entry.ValuesForm` and reports every problem at once as
`(sheet, row, column letter, message)`; it returns values only when there is none.
"""

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from sikla.indicators.models import DataLevel, MeasureType
from sikla.lib.filecheck import XLSX, FileRejected, check_upload

from .grid import AGES, SEXES, Cell, column_label, columns, plain
from .models import AgeGroup, DataValue, Sex, SubmissionStatus
from .queries import values_map

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

EXPORT_HEADER = [
    "Nomor indikator",
    "Nama indikator",
    "Kode wilayah",
    "Nama wilayah",
    "Jenis kelamin",
    "Kelompok umur",
    "Pembilang",
    "Penyebut",
    "Persentase",
    "Nilai",
    "Status pengisian",
    "Perangkat daerah pengampu",
]


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


# --- template -----------------------------------------------------------------------------------


def template_filename(submission) -> str:
    return (
        f"sikla-{submission.local_government_id}-{submission.period.year}"
        f"-indikator-{submission.indicator.number}.xlsx"
    )


def _prefill(column: _Column, numbers: tuple | None, measure_type: str):
    if numbers is None:
        return None
    numerator, denominator, value = numbers
    number = {"n": numerator, "d": denominator, "v": value}[column.kind]
    if number is None:
        return None
    if measure_type == MeasureType.AVAILABILITY:
        return YES if number else NO
    return plain(number)


def template_workbook(submission, rows) -> bytes:
    """An .xlsx to fill offline: "Data" pre-filled with the saved values, "Petunjuk", "_sikla".

    Only the value cells of "Data" are editable (the sheet and the workbook's structure are
    protected, without a password: a determined user can lift it, a slip of the mouse cannot);
    Excel checks each cell as it is typed (numerator ≤ denominator where both exist). To the
    right, for the reader only, the percentage Excel computes and last year's values; for a
    kelurahan grid a sheet of kecamatan subtotals. None of that is read back: the upload reads
    the first columns, whose headers it checks.
    """
    from .queries import previous_submission

    indicator = submission.indicator
    layout = _layout(indicator)
    saved = values_map(submission)
    last_year = values_map(previous_submission(submission))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA
    extra = _reference_columns(layout, indicator.measure_type, bool(last_year))
    sheet.append(
        [
            *FIXED_HEADERS,
            *(c.header for c in layout),
            *([""] if extra else []),
            *(h for h, _ in extra),
        ]
    )
    for number, region in enumerate(rows, start=2):
        sheet.append(
            [
                region.code,
                neutralise(region.name),
                *(
                    _prefill(c, saved.get((region.code, c.sex, c.age)), indicator.measure_type)
                    for c in layout
                ),
                *([None] if extra else []),
                *(make(number, region.code, last_year) for _h, make in extra),
            ]
        )
    _style_data_sheet(sheet, layout, indicator.measure_type, len(rows), len(extra))
    if indicator.data_level == DataLevel.VILLAGE and rows:
        _write_subtotals(workbook.create_sheet(SUBTOTALS), layout, indicator.measure_type, rows)
    _write_guide(workbook.create_sheet(GUIDE), submission, layout)
    meta = workbook.create_sheet(META)
    for key, value in _metadata(submission).items():
        meta.append([key, value])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    workbook.security = WorkbookProtection(lockStructure=True)
    return _to_bytes(workbook)


SUBTOTALS = "Subtotal kecamatan"


def _reference_columns(layout: list[_Column], measure_type: str, has_last_year: bool):
    """[(header, make(row number, region code, last year's values) → cell)] of the columns to
    the right of the values: the computed percentage of each pair, then last year's values."""
    first = len(FIXED_HEADERS) + 1
    out = []
    if measure_type == MeasureType.PERCENTAGE:
        for index in range(0, len(layout), 2):
            n, d = get_column_letter(first + index), get_column_letter(first + index + 1)
            label = layout[index].header.removeprefix("Pembilang — ")

            def percent(row, _code, _last, n=n, d=d):
                return f'=IF(AND(ISNUMBER({n}{row}),ISNUMBER({d}{row}),{d}{row}>0),{n}{row}/{d}{row},"")'

            out.append((f"Persentase — {label} (dihitung)", percent))
    if has_last_year:
        for column in layout:

            def previous(_row, code, last, column=column):
                return _prefill(column, last.get((code, column.sex, column.age)), measure_type)

            out.append((f"Tahun lalu: {column.header}", previous))
    return out


def _style_data_sheet(
    sheet, layout: list[_Column], measure_type: str, row_count: int, extra: int = 0
) -> None:
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 30
    for row in sheet.iter_rows(min_row=2, max_col=2):
        for cell in row:
            cell.fill = READ_ONLY_FILL
        row[0].number_format = "@"  # codes such as 53.71 must stay text if retyped
    first, width = len(FIXED_HEADERS) + 1, len(FIXED_HEADERS) + len(layout)
    # Only the value cells may be typed in; codes, names, headers and the reader's columns are
    # locked. No password: protection against slips, not against the user.
    for row in sheet.iter_rows(min_row=2, max_row=row_count + 1, min_col=first, max_col=width):
        for cell in row:
            cell.protection = UNLOCKED
    if extra:
        for index in range(width + 2, width + 2 + extra):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = 20
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.fill = READ_ONLY_FILL
                if str(sheet.cell(1, index).value).startswith("Persentase"):
                    cell.number_format = "0.0%"
        sheet.column_dimensions[get_column_letter(width + 1)].width = 3
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widen a column to read it
    sheet.protection.formatRows = False
    sheet.protection.sort = True
    sheet.protection.autoFilter = True
    for index, column in enumerate(layout, start=first):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(16, min(len(column.header) + 2, 30))
    if not row_count:
        return
    last = row_count + 1
    for rule, ranges in _validations(layout, measure_type, last):
        rule.errorTitle = "Isian tidak sesuai"
        rule.showErrorMessage = True
        rule.allow_blank = True
        sheet.add_data_validation(rule)
        for cells in ranges:
            rule.add(cells)


def _validations(layout: list[_Column], measure_type: str, last: int):
    """[(rule, [ranges])]: what Excel checks as a value is typed, the upload's own rules."""
    first = len(FIXED_HEADERS) + 1
    letters = [get_column_letter(first + i) for i in range(len(layout))]
    if measure_type == MeasureType.AVAILABILITY:
        rule = DataValidation(type="list", formula1=f'"{YES},{NO}"')
        rule.error = "Pilih Ya atau Tidak."
        return [(rule, [f"{c}2:{c}{last}" for c in letters])]
    if measure_type == MeasureType.COUNT:
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        rule.error = "Isi bilangan bulat 0 atau lebih."
        return [(rule, [f"{c}2:{c}{last}" for c in letters])]
    out = []
    for n, d in zip(letters[::2], letters[1::2], strict=True):
        # Relative to the range's first cell (row 2), as Excel reads a custom rule.
        top = DataValidation(
            type="custom", formula1=f'AND(ISNUMBER({n}2),{n}2>=0,OR({d}2="",{n}2<={d}2))'
        )
        top.error = "Pembilang berupa angka 0 atau lebih dan tidak boleh melebihi penyebut."
        bottom = DataValidation(
            type="custom", formula1=f'AND(ISNUMBER({d}2),{d}2>0,OR({n}2="",{n}2<={d}2))'
        )
        bottom.error = "Penyebut berupa angka lebih dari 0 dan tidak boleh kurang dari pembilang."
        out += [(top, [f"{n}2:{n}{last}"]), (bottom, [f"{d}2:{d}{last}"])]
    return out


def _write_subtotals(sheet, layout: list[_Column], measure_type: str, rows) -> None:
    """Per kecamatan, the sum of its kelurahan's values on "Data" (availability: how many say
    Ya), computed by Excel as the values are typed; locked, for the reader."""
    from sikla.regions.models import Region

    districts = sorted({r.code.rsplit(".", 1)[0] for r in rows})
    names = dict(Region.objects.filter(code__in=districts).values_list("code", "name"))
    last = len(rows) + 1
    first = len(FIXED_HEADERS) + 1
    percentage = measure_type == MeasureType.PERCENTAGE
    headers = [c.header for c in layout]
    if percentage:
        headers += [f"Persentase — {c.header.removeprefix('Pembilang — ')}" for c in layout[::2]]
    sheet.append(["Kode kecamatan", "Nama kecamatan", *headers])
    codes = f"{DATA}!$A$2:$A${last}"
    for number, code in enumerate(districts, start=2):
        line = [code, neutralise(names.get(code, ""))]
        for index in range(len(layout)):
            letter = get_column_letter(first + index)
            values = f"{DATA}!{letter}$2:{letter}${last}"
            if measure_type == MeasureType.AVAILABILITY:
                line.append(f'=COUNTIFS({codes},"{code}.*",{values},"{YES}")')
            else:
                line.append(f'=SUMIF({codes},"{code}.*",{values})')
        if percentage:
            for index in range(0, len(layout), 2):
                n, d = get_column_letter(first + index), get_column_letter(first + index + 1)
                line.append(f'=IF({d}{number}>0,{n}{number}/{d}{number},"")')
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 30
    if percentage:
        for (cell,) in sheet.iter_rows(
            min_row=2, min_col=first + len(layout), max_col=len(headers) + 2
        ):
            cell.number_format = "0.0%"
    sheet.protection.sheet = True


GUIDE_TITLE = "Templat pengisian data SIKLA"
GUIDE_HEADINGS = {GUIDE_TITLE, "Kolom", "Aturan", "Kolom bantu"}


def _write_guide(sheet, submission, layout: list[_Column]) -> None:
    indicator, period = submission.indicator, submission.period
    measure = indicator.measure_type
    lines: list[tuple[str, ...]] = [
        (GUIDE_TITLE,),
        (),
        ("Pemerintah daerah", f"{period.local_government} ({submission.local_government_id})"),
        ("Periode evaluasi", f"{period.year} (data tahun {period.data_year})"),
        ("Indikator", f"{indicator.number}. {indicator.name}"),
        ("Definisi", indicator.definition),
        ("Jenis ukuran", str(MeasureType(measure).label)),
        ("Tingkat data", str(DataLevel(indicator.data_level).label)),
        (),
        ("Kolom", "Arti"),
        ("Kode wilayah", "Kode Kemendagri wilayah. Jangan diubah: baris dikenali dari kode ini."),
        ("Nama wilayah", "Hanya untuk dibaca; tidak diperiksa saat diunggah."),
    ]
    if measure == MeasureType.PERCENTAGE:
        lines += [
            (
                "Pembilang — …",
                "Jumlah sasaran yang memenuhi indikator pada wilayah dan kelompok itu.",
            ),
            (
                "Penyebut — …",
                "Jumlah seluruh sasaran pada wilayah dan kelompok itu (dasar persen).",
            ),
        ]
    elif measure == MeasureType.COUNT:
        lines.append(("Jumlah — …", "Banyaknya yang dihitung, sebagai bilangan bulat."))
    else:
        lines.append((AVAILABILITY_HEADER, "Tulis Ya bila tersedia, Tidak bila belum tersedia."))
    if len(layout) > 2:
        lines.append(("Kelompok", "Setelah tanda “—”: jenis kelamin dan kelompok umur kolom itu."))
    lines += [
        (),
        ("Aturan",),
        ("", "Angka tidak boleh negatif."),
        ("", "Pembilang tidak boleh melebihi penyebut, dan penyebut harus lebih dari 0."),
        ("", "Isi pembilang dan penyebut berpasangan, atau kosongkan keduanya."),
        (
            "",
            "Desimal boleh ditulis dengan koma atau titik (3,5 atau 3.5), paling banyak dua angka "
            "di belakang koma, tanpa pemisah ribuan.",
        ),
        ("", "Ketik nilainya, bukan rumus: sel berisi rumus ditolak saat diunggah."),
        (
            "",
            "Sel kosong berarti belum diisi (draf). Sel yang kosong atau baris yang dihapus tidak "
            "mengubah nilai yang tersimpan, kecuali saat mengunggah Anda memilih “Kosongkan sel "
            "yang tidak ada di berkas”. SIKLA menampilkan pratinjau perubahan sebelum menyimpan.",
        ),
        (
            "",
            "Hanya sel isian yang dapat diketik; kode, nama, judul kolom dan kolom bantu "
            "dikunci. Jangan mengubah judul kolom atau nama lembar; templat dikenali dari situ. "
            "Unduh templat baru untuk indikator atau periode lain.",
        ),
        (),
        ("Kolom bantu",),
        (
            "",
            "Di kanan isian: persentase yang dihitung Excel dari pembilang dan penyebut, dan "
            "nilai tahun lalu sebagai pembanding (bila ada). Lembar “Subtotal kecamatan” "
            "menjumlahkan isian kelurahan per kecamatan. Kolom dan lembar ini hanya untuk "
            "dibaca; tidak ikut diunggah.",
        ),
    ]
    for line in lines:
        sheet.append([neutralise(text) for text in line])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = WRAP
    for row in sheet.iter_rows():
        if row[0].value in GUIDE_HEADINGS:
            for cell in row:
                cell.font = BOLD


# --- upload -------------------------------------------------------------------------------------


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


# --- export -------------------------------------------------------------------------------------

# Grid order; str() because a TextChoices member does not hash like its value.
SEX_ORDER = {str(s): i for i, s in enumerate(["", *SEXES])}
AGE_ORDER = {str(a): i for i, a in enumerate(["", *AGES])}


def export_filename(period, extension: str) -> str:
    return f"sikla-{period.local_government_id}-{period.year}-data.{extension}"


def _percentage(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (numerator / denominator * 100).quantize(Decimal("0.01"))


def export_rows(period) -> list[list]:
    """Every value of every submission of a period, header first, in one query.

    Numbers are Decimals (None when empty); the percentage has two decimals. The text is raw:
    `export_xlsx` and `export_csv` neutralise formula-like text when they write it.
    """
    values = DataValue.objects.filter(submission__period=period).select_related(
        "submission__indicator", "submission__lead_agency", "region"
    )
    ordered = sorted(
        values,
        key=lambda v: (
            v.submission.indicator.number,
            v.region_id,
            SEX_ORDER.get(v.sex, 9),
            AGE_ORDER.get(v.age_group, 9),
        ),
    )
    result: list[list] = [list(EXPORT_HEADER)]
    for value in ordered:
        submission = value.submission
        numbers = [None if n is None else plain(n) for n in (value.numerator, value.denominator)]
        result.append(
            [
                submission.indicator.number,
                submission.indicator.name,
                value.region_id,
                value.region.name,
                str(Sex(value.sex).label),
                str(AgeGroup(value.age_group).label),
                *numbers,
                _percentage(value.numerator, value.denominator),
                None if value.value is None else plain(value.value),
                str(SubmissionStatus(submission.status).label),
                submission.lead_agency.abbreviation if submission.lead_agency else "",
            ]
        )
    return result


def export_xlsx(period) -> bytes:
    """The period's values as one "Data" sheet; numbers stay numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA
    rows = export_rows(period)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    percentage = get_column_letter(EXPORT_HEADER.index("Persentase") + 1)
    for cell in sheet[percentage][1:]:
        cell.number_format = "0.00"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(EXPORT_HEADER))}{len(rows)}"
    widths = [10, 50, 16, 28, 12, 14, 12, 12, 12, 10, 16, 18]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return _to_bytes(workbook)


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return str(neutralise(value))


def export_csv(period) -> str:
    """The period's values as CSV for Excel with Indonesian settings: `;`-separated, decimal
    comma, CRLF line ends, and a leading byte-order mark so Excel reads it as UTF-8. Encode the
    result as UTF-8. Formula-like text gets a leading apostrophe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in export_rows(period):
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()
