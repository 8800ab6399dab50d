"""The streamed workbook opens in a spreadsheet library as the rows were given: text as text (a
formula-looking text is never a formula), numbers as numbers, illegal XML characters dropped,
the bytes coming out while the rows are written."""

import hashlib
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from sikla.lib import xlsx_stream


def test_the_rows_come_back_as_written():
    rows = [
        ["53.71", "Kota Kupang", 21, Decimal("12.50"), None, "=1+1"],
        ["11.08", 'Kab. <Aceh> & "Utara"', 3, 7.25, True, "teks\x01aneh"],
        ["  menjorok", "akhir spasi ", 0, Decimal("0"), False, "dua\nbaris"],
        ["\x01\x02", None, None, None, None, None],  # nothing left of it: an empty cell
    ]
    data = b"".join(xlsx_stream.stream("Uji", ["Kode", "Nama", "N", "Nilai", "Ya", "Teks"], rows))
    sheet = load_workbook(io.BytesIO(data)).active
    got = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Uji"
    assert got[0] == ("Kode", "Nama", "N", "Nilai", "Ya", "Teks")
    assert got[1] == ("53.71", "Kota Kupang", 21, 12.5, None, "=1+1")
    assert got[2] == ("11.08", 'Kab. <Aceh> & "Utara"', 3, 7.25, "ya", "teksaneh")
    assert got[3] == ("  menjorok", "akhir spasi ", 0, 0, "tidak", "dua\nbaris")  # spaces kept
    assert got[4][0] in (None, "")
    assert sheet["F2"].data_type == "s"  # text, not a formula
    assert sheet["A1"].font.b


def test_it_yields_while_writing_and_holds_little():
    read = 0

    def rows():
        nonlocal read
        for i in range(8000):
            read += 1
            # a text that does not compress away, so the zip has bytes to send as it goes
            yield [i, hashlib.sha256(str(i).encode()).hexdigest()]

    chunks, seen = [], []  # the pieces of the file, and how many rows were read when each came
    for chunk in xlsx_stream.stream("Besar", ["N", "Teks"], rows()):
        if chunk:
            chunks.append(chunk)
            seen.append(read)
    assert seen[0] == 0  # the package's first parts leave before any row is read
    assert sum(1 for n in seen if 0 < n < 8000) > 5  # the sheet leaves as it is written
    sheet = load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 8001


def test_a_row_put_together_from_its_cells_reads_as_the_same_values():
    """The per-question export writes the cells its rows share once and hands over finished
    rows; the workbook reads as if it had been given the values."""
    cells = xlsx_stream.Cells()
    head = "<row>" + cells.xml("53.71") + cells.xml('Kota <Kupang> & "NTT"')
    given = [
        head + cells.xml(1) + cells.xml("1.1") + cells.xml(12.5) + cells.xml(None) + "</row>",
        ["11.08", "Kab. Aceh Utara", 1, "1.2", 1.0, True],
        head + cells.xml(2) + cells.xml("2.1") + cells.xml(1.0) + cells.xml(True) + "</row>",
    ]
    data = b"".join(xlsx_stream.stream("Uji", list("ABCDEF"), given, cells=cells))
    got = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert got[1:] == [
        ("53.71", 'Kota <Kupang> & "NTT"', 1, "1.1", 12.5, None),
        ("11.08", "Kab. Aceh Utara", 1, "1.2", 1, "ya"),
        ("53.71", 'Kota <Kupang> & "NTT"', 2, "2.1", 1, "ya"),  # 1.0 and True kept apart
    ]


def test_shared_texts_read_back_as_written_and_are_kept_once():
    """The per-question export keeps its repeated texts (codes, names, labels) in the shared
    strings: each once, the rows pointing to it, and the sheet reads as if written inline."""
    cells = xlsx_stream.Cells(shared=True)
    numbers = xlsx_stream.Numbers()
    rows = [
        "<row>"
        + cells.xml(code)
        + cells.xml(name)
        + cells.xml(n)
        + numbers[points]
        + cells.xml("")
        + "</row>"
        for n, (code, name, points) in enumerate(
            [
                ("53.71", 'Kota <Kupang> & "NTT"', "12.50"),
                ("53.71", 'Kota <Kupang> & "NTT"', None),
                ("11.08", " Kab.\x01 Aceh Utara ", ""),
                ("\x02", "\x03", None),  # nothing left of either text
            ]
            * 2
        )
    ]
    data = b"".join(xlsx_stream.stream("Uji", list("ABCDE"), rows, cells=cells))
    got = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert got[1:4] == [
        ("53.71", 'Kota <Kupang> & "NTT"', 0, 12.5, None),
        ("53.71", 'Kota <Kupang> & "NTT"', 1, None, None),
        ("11.08", " Kab. Aceh Utara ", 2, None, None),
    ]
    assert got[4][:3] in [(None, None, 3), ("", "", 3)]  # texts of forbidden characters only
    assert got[5:] == [(c, n, i + 4, p, e) for i, (c, n, _, p, e) in enumerate(got[1:5])]
    assert cells.strings == [
        "53.71",
        'Kota <Kupang> & "NTT"',
        "11.08",
        " Kab.\x01 Aceh Utara ",
        "\x02",
        "\x03",
    ]


def test_several_sheets_with_headings_and_dates_read_back_as_written():
    """A workbook of several sheets (the villages' workbook): each sheet under its name and in
    its order, a heading row bold within a sheet, a date a real date shown as yyyy-mm-dd, and a
    sheet without a header has nothing frozen."""
    data = b"".join(
        xlsx_stream.stream_sheets(
            [
                xlsx_stream.Sheet(
                    "Ringkasan",
                    (),
                    [xlsx_stream.Bold(["Judul"]), [], ["Jumlah", 51]],
                    (44, 12),
                ),
                xlsx_stream.Sheet(
                    "Desa <1> & 2", ["Kode", "Tanggal"], [["53.71", date(2025, 7, 23)]]
                ),
            ]
        )
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ringkasan", "Desa <1> & 2"]
    summary, villages = book["Ringkasan"], book["Desa <1> & 2"]
    assert summary["A1"].value == "Judul" and summary["A1"].font.b
    assert (summary["A3"].value, summary["B3"].value) == ("Jumlah", 51)
    assert not summary["A3"].font.b
    assert summary.column_dimensions["A"].width == 44
    assert summary.freeze_panes is None and villages.freeze_panes == "A2"
    cell = villages["B2"]
    assert cell.is_date and cell.value.date() == date(2025, 7, 23)
    assert cell.number_format == "yyyy-mm-dd"


def test_a_header_with_filters_and_numbers_with_two_decimals():
    """The header is bold on the header colour, wrapped and frozen, with a filter over every row
    written (rows given as values or as finished XML alike); a `TwoPlaces` number keeps its
    value and shows two decimals."""
    cells = xlsx_stream.Cells()
    header = [f"Kolom {n}" for n in range(1, 28)]  # 27 columns: the last is AA
    rows = [
        [xlsx_stream.TwoPlaces("33.33"), *range(26)],
        cells.row([Decimal("1.5"), *range(26)]) + cells.row([2, *range(26)]),  # two rows of XML
    ]
    sheet_of = xlsx_stream.Sheet("Data", header, rows, filter=True)
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_stream.stream_sheets([sheet_of]))))["Data"]

    assert sheet.auto_filter.ref == "A1:AA4"
    assert sheet.freeze_panes == "A2"
    first = sheet["A1"]
    assert first.font.b and first.alignment.wrap_text
    assert first.fill.fgColor.rgb == "FFDDE4EE"
    assert sheet["A2"].value == 33.33 and sheet["A2"].number_format == "0.00"
    assert sheet["A3"].value == 1.5 and sheet["A3"].number_format == "General"
    assert [sheet.cell(row, 1).value for row in (3, 4)] == [1.5, 2]
