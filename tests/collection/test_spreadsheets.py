import csv
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sikla.collection import actions
from sikla.collection.models import DataValue
from sikla.collection.queries import entry_rows, values_map
from sikla.collection.spreadsheets import (
    SpreadsheetError,
    export_csv,
    export_rows,
    export_xlsx,
    neutralise,
    read_workbook,
    template_workbook,
)
from sikla.organisations.actions import update_agency
from sikla.regions.models import Region
from tests.personas import JAMBI, KUPANG, world_fixture  # noqa: F401

# Indicator 11 is a percentage per kecamatan: rows 2–7 of the Data sheet, C numerator, D denominator.
ALAK, MAULAFA = "53.71.01", "53.71.02"
CITY = ("53.71", "", "")


def submission(world, number=11, code=KUPANG):
    return (
        world.periods[code]
        .submissions.select_related("period__catalog", "period__local_government", "indicator")
        .get(indicator__number=number)
    )


def rows_of(item):
    return entry_rows(item.indicator, item.period.local_government)


def save(world, item, values):
    """Save through the action, as the entry page does; plain ints become Decimals."""
    values = {
        cell: tuple(None if n is None else Decimal(n) for n in numbers)
        for cell, numbers in values.items()
    }
    item.refresh_from_db(fields=["version"])
    actions.save_values(
        item, actor=world.secretariat, values=values, narrative="", expected_version=item.version
    )


def template(item):
    """The downloaded template, opened for editing as an agency would."""
    return load_workbook(BytesIO(template_workbook(item, rows_of(item))))


def as_upload(workbook, name="isian.xlsx") -> SimpleUploadedFile:
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def read(item, workbook) -> dict:
    return read_workbook(as_upload(workbook), item, rows_of(item))


def errors_of(item, upload) -> list:
    with pytest.raises(SpreadsheetError) as caught:
        read_workbook(upload, item, rows_of(item))
    return caught.value.errors


def test_it_prefills_the_template_with_the_saved_values_and_reads_them_back(world):
    item = submission(world)
    save(
        world, item, {(ALAK, "", ""): (45, 50, None), (MAULAFA, "", ""): (Decimal("3.5"), 10, None)}
    )

    workbook = template(item)

    data, guide, meta = (workbook[name] for name in ("Data", "Petunjuk", "_sikla"))
    assert [c.value for c in data[1]] == [
        "Kode wilayah",
        "Nama wilayah",
        "Pembilang — Total",
        "Penyebut — Total",
        None,  # the values end here; to the right, for the reader only
        "Persentase — Total (dihitung)",
    ]
    assert data.max_row == 7 and data.freeze_panes == "C2" and data["A1"].font.bold
    assert [data["A2"].value, data["B2"].value, data["C2"].value, data["D2"].value] == [
        ALAK,
        Region.objects.get(code=ALAK).name,
        45,
        50,
    ]
    assert (data["C3"].value, data["D3"].value, data["C4"].value) == (3.5, 10, None)
    assert meta.sheet_state == "hidden"
    assert {r[0]: r[1] for r in meta.iter_rows(values_only=True)} == {
        "format": "sikla-isian/1",
        "local_government": KUPANG,
        "period_year": "2026",
        "indicator": "11",
        "catalog_version": item.period.catalog.code,
    }
    guide_text = "\n".join(str(v) for row in guide.iter_rows(values_only=True) for v in row if v)
    assert f"11. {item.indicator.name}" in guide_text and item.indicator.definition in guide_text
    assert "data tahun 2025" in guide_text
    assert "Pembilang tidak boleh melebihi penyebut" in guide_text
    assert "koma atau titik" in guide_text and "tidak boleh negatif" in guide_text
    assert read(item, workbook) == values_map(item)


def test_it_reads_cells_filled_offline_and_the_values_save(world):
    item = submission(world)
    workbook = template(item)
    assert read(item, workbook) == {}  # an untouched template is an empty draft
    data = workbook["Data"]
    data["C2"], data["D2"] = 12, 20
    data["C3"], data["D3"] = "3,5", " 10 "  # typed as text, decimal comma
    data["C5"], data["D5"] = "7.25", 8.5  # decimal point, as text and as a number

    values = read(item, workbook)

    assert values == {
        (ALAK, "", ""): (Decimal(12), Decimal(20), None),
        (MAULAFA, "", ""): (Decimal("3.5"), Decimal(10), None),
        ("53.71.04", "", ""): (Decimal("7.25"), Decimal("8.5"), None),
    }
    save(world, item, values)
    assert values_map(item) == values
    assert DataValue.objects.filter(submission=item).count() == 3


def test_it_reports_every_problem_with_its_place_and_saves_nothing(world):
    item = submission(world)
    save(world, item, {(ALAK, "", ""): (1, 2, None)})
    workbook = template(item)
    data = workbook["Data"]
    data["C2"], data["D2"] = 12, 10
    data["C3"], data["D3"] = -1, 10
    data["C4"], data["D4"] = 5, None
    data["C5"], data["D5"] = 0, "0"
    data["C6"], data["D6"] = "abc", "1.234,5"
    data["A7"], data["C7"], data["D7"] = ALAK, 1, 2
    data["A8"], data["C8"], data["D8"] = "53.71.99", 1, 2
    data["A9"], data["C9"] = None, 4
    data["C10"] = "sepuluh"  # nobody's row: still reported, nothing ignored silently

    errors = errors_of(item, as_upload(workbook))

    assert errors == [
        ("Data", 2, "C", "Pembilang (12) melebihi penyebut (10)."),
        ("Data", 3, "C", "Angka tidak boleh negatif."),
        ("Data", 4, "D", "Isi penyebut juga."),
        ("Data", 5, "D", "Penyebut harus lebih dari 0."),
        ("Data", 6, "C", "“abc” bukan angka; tulis misalnya 12 atau 3,5."),
        ("Data", 6, "D", "“1.234,5” bukan angka; tulis misalnya 12 atau 3,5."),
        ("Data", 7, "A", "Kode wilayah 53.71.01 sudah ada di baris 2."),
        ("Data", 8, "A", "Kode wilayah “53.71.99” bukan wilayah pengisian indikator ini."),
        ("Data", 9, "A", "Kode wilayah kosong; salin baris dari templat tanpa mengubah kodenya."),
        ("Data", 9, "D", "Isi penyebut juga."),
        ("Data", 10, "A", "Kode wilayah kosong; salin baris dari templat tanpa mengubah kodenya."),
        ("Data", 10, "C", "“sepuluh” bukan angka; tulis misalnya 12 atau 3,5."),
    ]
    assert str(errors[0]) == "Lembar Data, sel C2: Pembilang (12) melebihi penyebut (10)."
    assert values_map(item) == {(ALAK, "", ""): (Decimal(1), Decimal(2), None)}


def test_it_refuses_too_many_decimals_and_dates(world):
    item = submission(world)
    workbook = template(item)
    data = workbook["Data"]
    data["C2"], data["D2"] = 1 / 3, 1
    data["C3"], data["D3"] = "1.234", 2000

    assert [
        (e.row, e.column, e.message.split(" (")[0]) for e in errors_of(item, as_upload(workbook))
    ] == [
        (2, "C", "Paling banyak dua angka di belakang koma"),
        (3, "C", "Paling banyak dua angka di belakang koma"),
    ]


@pytest.mark.parametrize(
    ("number", "code", "message"),
    [
        (4, KUPANG, "Templat ini untuk indikator 4, bukan indikator 11."),
        (11, JAMBI, "Templat ini untuk pemerintah daerah 15.71, bukan pemerintah daerah 53.71."),
    ],
)
def test_it_refuses_a_template_made_for_another_indicator_or_region(world, number, code, message):
    item = submission(world)
    other = submission(world, number, code)
    workbook = load_workbook(BytesIO(template_workbook(other, rows_of(other))))

    errors = errors_of(item, as_upload(workbook))

    assert errors == [
        ("_sikla", None, "", f"{message} Unduh templat dari halaman indikator ini."),
    ]


def test_it_refuses_a_template_with_its_sheets_or_columns_changed(world):
    item = submission(world)
    workbook = template(item)
    del workbook["_sikla"]
    assert errors_of(item, as_upload(workbook)) == [
        (
            "_sikla",
            None,
            "",
            "Lembar “_sikla” tidak ada; unggah templat yang diunduh dari halaman indikator ini "
            "tanpa mengubah nama lembarnya.",
        )
    ]

    workbook = template(item)
    workbook["Data"].insert_cols(3)

    errors = errors_of(item, as_upload(workbook))

    assert [(e.sheet, e.row, e.column) for e in errors] == [("Data", 1, "C"), ("Data", 1, "D")]
    assert errors[0].message.startswith("Judul kolom seharusnya “Pembilang — Total”, bukan “”.")


SAVE_AS = "Impor hanya menerima templat Excel (.xlsx) dari SIKLA. Buka berkas di Excel"


@pytest.mark.parametrize(
    ("content", "seems"),
    [
        (b"%PDF-1.4\n% bukan excel\n", "Berkas ini PDF, bukan lembar kerja."),
        (b"Kode wilayah;Pembilang\n53.71.01;3\n", "Berkas ini teks atau CSV."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "berformat Excel lama 97–2003 (.xls)"),
    ],
)
def test_a_wrong_file_kind_gets_the_imports_own_message_with_how_to_save_as_xlsx(
    world, content, seems
):
    """Not the evidence upload's list of kinds: what the file seems to be, and Save As .xlsx."""
    item = submission(world)
    upload = SimpleUploadedFile("isian.xlsx", content, content_type="application/vnd.ms-excel")

    [error] = errors_of(item, upload)

    assert (error.sheet, error.row, error.column) == ("", None, "")
    assert seems in error.message and SAVE_AS in error.message
    assert "Simpan Sebagai" in error.message and "PDF, JPG/PNG" not in error.message


def test_an_empty_file_is_refused_as_empty(world):
    item = submission(world)
    [error] = errors_of(item, SimpleUploadedFile("isian.xlsx", b""))
    assert error.message == "Berkas kosong."


def test_it_refuses_a_formula_cell_without_a_saved_value(world):
    item = submission(world)
    workbook = template(item)
    workbook["Data"]["C2"], workbook["Data"]["D2"] = "=D2/2", 10
    workbook["Data"]["D3"] = "=SUM(D2:D2)"

    errors = errors_of(item, as_upload(workbook))

    assert errors == [
        ("Data", 2, "C", "Sel berisi rumus =D2/2; simpan nilainya saja, bukan rumusnya."),
        ("Data", 3, "D", "Sel berisi rumus =SUM(D2:D2); simpan nilainya saja, bukan rumusnya."),
    ]


def with_saved_result(workbook, cell: str, formula: str, result: str) -> SimpleUploadedFile:
    """The workbook as Excel saves it after computing: the formula and its cached result in the
    cell's XML (openpyxl writes a formula without a result)."""
    import re
    import zipfile

    source = BytesIO()
    workbook.save(source)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(source.getvalue())) as zin, zipfile.ZipFile(out, "w") as zout:
        for entry in zin.infolist():
            data = zin.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                text, n = re.subn(
                    rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)',
                    f'<c r="{cell}"><f>{formula}</f><v>{result}</v></c>',
                    data.decode(),
                )
                assert n == 1, "cell not found in the sheet's XML"
                data = text.encode()
            zout.writestr(entry, data)
    return SimpleUploadedFile("isian.xlsx", out.getvalue())


def test_a_formula_with_a_saved_result_is_refused_too_and_nothing_is_taken(world):
    item = submission(world)
    workbook = template(item)
    assert workbook.sheetnames[0] == "Data"
    workbook["Data"]["C2"], workbook["Data"]["D2"] = 1, 10
    upload = with_saved_result(workbook, "C2", "1+1", "2")
    assert load_workbook(upload, data_only=True)["Data"]["C2"].value == 2  # Excel would show 2

    errors = errors_of(item, upload)

    assert errors == [
        ("Data", 2, "C", "Sel berisi rumus =1+1; simpan nilainya saja, bukan rumusnya."),
    ]
    assert str(errors[0]).startswith("Lembar Data, sel C2: Sel berisi rumus =1+1;")


def test_it_reads_a_disaggregated_grid_by_sex_and_age(world):
    item = submission(world, 4)  # birth certificates: the city, by sex × 3 age groups
    workbook = template(item)
    data = workbook["Data"]
    headers = [c.value for c in data[1]]
    assert len(headers) == 2 + 2 * 6 + 1 + 6 and data.max_row == 2  # values, blank, six %
    assert headers[2:4] == ["Pembilang — Laki-laki · 0–5 tahun", "Penyebut — Laki-laki · 0–5 tahun"]
    column = headers.index("Pembilang — Perempuan · 13–17 tahun") + 1
    data.cell(2, column, "40,5")
    data.cell(2, column + 1, 50)

    values = read(item, workbook)

    assert values == {(KUPANG, "P", "13-17"): (Decimal("40.5"), Decimal(50), None)}
    save(world, item, values)
    assert read(item, template(item)) == values


def test_it_round_trips_an_availability_indicator(world):
    item = submission(world, 1)
    save(world, item, {CITY: (None, None, Decimal(1))})
    workbook = template(item)
    data = workbook["Data"]
    assert [c.value for c in data[1]] == ["Kode wilayah", "Nama wilayah", "Tersedia (Ya/Tidak)"]
    assert data["C2"].value == "Ya"
    assert read(item, workbook) == {CITY: (None, None, Decimal(1))}

    data["C2"] = " tidak "
    values = read(item, workbook)
    save(world, item, values)
    assert values_map(item) == {CITY: (None, None, Decimal(0))}

    data["C2"] = "mungkin"
    assert errors_of(item, as_upload(workbook)) == [("Data", 2, "C", "Isi “Ya” atau “Tidak”.")]


def test_it_round_trips_a_count_indicator(world):
    item = submission(world, 3)
    save(world, item, {CITY: (None, None, Decimal(7))})
    workbook = template(item)
    data = workbook["Data"]
    assert [c.value for c in data[1]][2:] == ["Jumlah — Total"] and data["C2"].value == 7
    assert read(item, workbook) == {CITY: (None, None, Decimal(7))}

    data["C2"] = "12"
    save(world, item, read(item, workbook))
    assert values_map(item) == {CITY: (None, None, Decimal(12))}

    data["C2"] = "2,5"
    assert errors_of(item, as_upload(workbook)) == [("Data", 2, "C", "Isi bilangan bulat.")]


def test_it_exports_every_saved_value_with_its_percentage(world):
    period = world.periods[KUPANG]
    save(
        world, submission(world), {(ALAK, "", ""): (45, 50, None), (MAULAFA, "", ""): (1, 3, None)}
    )
    save(world, submission(world, 4), {(KUPANG, "L", "0-5"): (9, 10, None)})
    save(world, submission(world, 3), {CITY: (None, None, 7)})
    name_11 = submission(world).indicator.name
    alak = Region.objects.get(code=ALAK).name

    rows = export_rows(period)

    assert rows[0][:4] == ["Nomor indikator", "Nama indikator", "Kode wilayah", "Nama wilayah"]
    assert len(rows) == 1 + DataValue.objects.filter(submission__period=period).count() == 5
    assert [r[0] for r in rows[1:]] == [3, 4, 11, 11]
    assert rows[3] == [
        11,
        name_11,
        ALAK,
        alak,
        "Semua",
        "Semua umur",
        Decimal(45),
        Decimal(50),
        Decimal("90.00"),
        None,
        "Draf",
        "Dinkes",
    ]
    assert rows[4][8] == Decimal("33.33")
    assert rows[2][4:10] == [
        "Laki-laki",
        "0–5 tahun",
        Decimal(9),
        Decimal(10),
        Decimal("90.00"),
        None,
    ]
    assert rows[1][6:10] == [None, None, None, Decimal(7)]

    sheet = load_workbook(BytesIO(export_xlsx(period)))["Data"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        # an empty cell reads as None, a number as int or float
        [None if v in (None, "") else float(v) if isinstance(v, Decimal) else v for v in row]
        for row in rows
    ]
    assert sheet["I4"].data_type == "n" and sheet["I4"].number_format == "0.00"
    # the header as the data-entry workbooks': bold on its colour, frozen, a filter per column
    assert sheet["A1"].font.b and sheet["L1"].fill.fgColor.rgb == "FFDDE4EE"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:L{len(rows)}"

    text = export_csv(period)
    assert text.startswith("\ufeffNomor indikator;Nama indikator;")
    assert f"11;{name_11};{ALAK};{alak};Semua;Semua umur;45;50;90,00;;Draf;Dinkes\r\n" in text
    assert len(list(csv.reader(StringIO(text), delimiter=";"))) == 5


def test_it_neutralises_formula_like_text_in_both_exports(world):
    agency = world.agency(KUPANG, "DP3A")
    with pytest.raises(ValidationError):  # the agency form already refuses "=" …
        update_agency(agency, actor=world.national_admin, abbreviation="=HYPERLINK()")
    agency.refresh_from_db()
    # … but not "-", which a spreadsheet equally runs as a formula.
    update_agency(agency, actor=world.national_admin, abbreviation="-HYPERLINK()")
    item = submission(world)
    actions.assign_submission(
        item, actor=world.secretariat, lead_agency=agency, supporting_agencies=[]
    )
    save(world, item, {(ALAK, "", ""): (1, 2, None)})
    period = world.periods[KUPANG]

    sheet = load_workbook(BytesIO(export_xlsx(period)))["Data"]
    text = export_csv(period)

    assert export_rows(period)[1][-1] == "-HYPERLINK()"  # the data itself is untouched
    assert sheet["L2"].value == "'-HYPERLINK()" and sheet["L2"].data_type == "s"
    assert text.endswith(";1;2;50,00;;Draf;'-HYPERLINK()\r\n")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Alak", "Alak"),
        (Decimal("-1"), Decimal("-1")),
        (None, None),
    ],
)
def test_it_neutralises_only_text_a_spreadsheet_would_run(value, written):
    assert neutralise(value) == written


def test_it_exports_in_the_same_queries_with_1_or_5_submissions_filled(world):
    period = world.periods[KUPANG]
    numbers = [9, 14, 17, 19, 7]

    def fill(count):
        for number in numbers[:count]:
            item = submission(world, number)
            sex = "L" if number == 7 else ""
            if not values_map(item):
                save(world, item, {(KUPANG, sex, ""): (1, 2, None)})

    fill(1)
    with CaptureQueriesContext(connection) as one:
        export_xlsx(period)
        export_csv(period)
    fill(5)
    with CaptureQueriesContext(connection) as five:
        export_xlsx(period)
        export_csv(period)

    assert len(export_rows(period)) == 1 + 5
    assert len(five) == len(one) == 2


def test_the_template_locks_all_but_the_value_cells_and_checks_each_pair_in_excel(world):
    item = submission(world)  # indicator 11: a percentage per kecamatan, rows 2–7
    workbook = template(item)
    data = workbook["Data"]

    assert data.protection.sheet and workbook.security.lockStructure
    assert workbook["_sikla"].protection.sheet and workbook["_sikla"].sheet_state == "hidden"
    assert data["A2"].protection.locked and data["B2"].protection.locked  # code, name
    assert data["C1"].protection.locked  # headers
    assert not data["C2"].protection.locked and not data["D7"].protection.locked  # values
    rules = {str(r.sqref): r for r in data.data_validations.dataValidation}
    numerator, denominator = rules["C2:C7"], rules["D2:D7"]
    assert (numerator.type, numerator.formula1) == (
        "custom",
        'AND(ISNUMBER(C2),C2>=0,OR(D2="",C2<=D2))',
    )
    assert denominator.formula1 == 'AND(ISNUMBER(D2),D2>0,OR(C2="",C2<=D2))'
    assert numerator.showErrorMessage and "melebihi penyebut" in numerator.error
    # For the reader: the percentage Excel computes, after a blank column; locked.
    assert data["E1"].value is None and data["F1"].value == "Persentase — Total (dihitung)"
    assert data["F2"].value == '=IF(AND(ISNUMBER(C2),ISNUMBER(D2),D2>0),C2/D2,"")'
    assert data["F2"].protection.locked and data["F2"].number_format == "0.0%"
    assert "Subtotal kecamatan" not in workbook.sheetnames  # the rows are kecamatan already


def test_the_template_shows_last_years_values_beside_and_still_reads_back(world):
    from tests.collection.test_entry import save_last_year

    save_last_year(world, {(ALAK, "", ""): (Decimal(8), Decimal(10), None)})
    item = submission(world)
    workbook = template(item)
    data = workbook["Data"]
    headers = [c.value for c in data[1]]

    assert headers[6:] == ["Tahun lalu: Pembilang — Total", "Tahun lalu: Penyebut — Total"]
    assert (data["A2"].value, data["G2"].value, data["H2"].value) == (ALAK, 8, 10)
    assert data["G3"].value is None and data["G2"].protection.locked
    # Untouched, the template reads back as nothing typed: the reader's columns are not read.
    assert read(item, workbook) == {}
    data["C2"], data["D2"] = 9, 10
    assert read(item, workbook) == {(ALAK, "", ""): (Decimal(9), Decimal(10), None)}


def test_a_kelurahan_template_has_kecamatan_subtotals_computed_by_excel(world):
    item = submission(world, 15)  # per kelurahan: 51 rows
    rows = rows_of(item)
    workbook = template(item)
    subtotals = workbook["Subtotal kecamatan"]
    last = len(rows) + 1

    assert [c.value for c in subtotals[1]][:2] == ["Kode kecamatan", "Nama kecamatan"]
    assert [subtotals.cell(r, 1).value for r in range(2, 8)] == [f"53.71.0{i}" for i in range(1, 7)]
    assert subtotals["B2"].value == "Alak"
    assert subtotals["C2"].value == f'=SUMIF(Data!$A$2:$A${last},"53.71.01.*",Data!C$2:C${last})'
    assert subtotals.protection.sheet
