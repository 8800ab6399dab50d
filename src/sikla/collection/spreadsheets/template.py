"""The template an agency fills offline: "Data" pre-filled and protected, "Petunjuk", the
kecamatan subtotals and the hidden "_sikla"."""

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from sikla.indicators.models import DataLevel, MeasureType

from ..grid import plain
from ..queries import values_map
from .layout import (
    AVAILABILITY_HEADER,
    BOLD,
    DATA,
    FIXED_HEADERS,
    GUIDE,
    META,
    NO,
    READ_ONLY_FILL,
    UNLOCKED,
    WRAP,
    YES,
    _Column,
    _layout,
    _metadata,
    _to_bytes,
    neutralise,
    style_header,
)


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
    from ..queries import previous_submission

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
    style_header(sheet[1])
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
    style_header(sheet[1])
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
