"""The streamed workbook opens in a spreadsheet library as the rows were given: text as text (a
formula-looking text is never a formula), numbers as numbers, illegal XML characters dropped,
the bytes coming out while the rows are written."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from sikla.lib import xlsx_stream


def test_the_rows_come_back_as_written():
    rows = [
        ["53.71", "Kota Kupang", 21, Decimal("12.50"), None, "=1+1"],
        ["11.08", 'Kab. <Aceh> & "Utara"', 3, 7.25, True, "teks\x01aneh"],
        ["  menjorok", "akhir spasi ", 0, Decimal("0"), False, "dua\nbaris"],
    ]
    data = b"".join(xlsx_stream.stream("Uji", ["Kode", "Nama", "N", "Nilai", "Ya", "Teks"], rows))
    sheet = load_workbook(io.BytesIO(data)).active
    got = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Uji"
    assert got[0] == ("Kode", "Nama", "N", "Nilai", "Ya", "Teks")
    assert got[1] == ("53.71", "Kota Kupang", 21, 12.5, None, "=1+1")
    assert got[2] == ("11.08", 'Kab. <Aceh> & "Utara"', 3, 7.25, "ya", "teksaneh")
    assert got[3] == ("  menjorok", "akhir spasi ", 0, 0, "tidak", "dua\nbaris")  # spaces kept
    assert sheet["F2"].data_type == "s"  # text, not a formula
    assert sheet["A1"].font.b


def test_it_yields_while_writing_and_holds_little():
    rows = ([i, f"baris {i}"] for i in range(5000))
    chunks = list(xlsx_stream.stream("Besar", ["N", "Teks"], rows))
    assert len(chunks) > 5  # a chunk every thousand rows, not one at the end
    sheet = load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 5001
