"""The evaluation report renderers, read back: the PDF through pypdf, the workbook through openpyxl.
Plain data in, bytes out; no database."""

import dataclasses
import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from PIL import Image as PILImage
from pypdf import PdfReader

from sikla.evaluation.report_data import (
    ReportCluster,
    ReportData,
    ReportEvidence,
    ReportGap,
    ReportIndicator,
    ReportQuestion,
    ReportSignature,
    ReportStage,
)
from sikla.evaluation.reports import build_pdf, build_xlsx, id_number

D = Decimal


def png_logo() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (120, 150), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def question(code, text, points, maximum, evidence=(), flags=(), answer="Ya"):
    return ReportQuestion(
        code=code,
        text=text,
        answer=answer,
        points=D(points),
        max_points=D(maximum),
        evidence=[
            ReportEvidence(title, f"bukti-2025-{code}-{n}.pdf", f"B-{code}-{n}")
            for n, title in enumerate(evidence)
        ],
        flags=list(flags),
    )


def report(**changes) -> ReportData:
    indicators = [
        ReportIndicator(
            number=1,
            name="Peraturan daerah tentang KLA",
            cluster=0,
            lead_agency="Bagian Hukum Setda",
            score=D("50.00"),
            max_points=D("60.00"),
            last_year=D("45.50"),
            questions=[
                question(
                    "1.1",
                    "Perda KLA telah ditetapkan",
                    40,
                    40,
                    ["Perda No. 3/2021", "Lembaran daerah"],
                ),
                question("1.2", "Perda dievaluasi berkala", 10, 20, ["Notulen evaluasi"]),
            ],
        ),
        ReportIndicator(
            number=2,
            name="Gugus Tugas KLA <script>& kawan",
            cluster=0,
            lead_agency="Bappeda <script>&",
            score=D("30.00"),
            max_points=D("40.00"),
            last_year=None,
            questions=[
                question("2.1", "SK Gugus Tugas", 30, 30, ["=SUM(A1:A9)"]),
                question("2.2", "Rencana aksi daerah", 0, 10, flags=["Bukti dukung belum ada"]),
            ],
        ),
        ReportIndicator(
            number=11,
            name="Persentase anak yang memiliki kutipan akta kelahiran",
            cluster=1,
            lead_agency="Dinas Kependudukan dan Pencatatan Sipil",
            score=D("212.51"),
            max_points=D("250.00"),
            last_year=D("200.00"),
            questions=[
                question(
                    "11.1",
                    "Cakupan akta kelahiran",
                    D("212.51"),
                    250,
                    ["Data Dukcapil"],
                    answer="87,5 %",
                )
            ],
        ),
        ReportIndicator(
            number=17,
            name="Persentase perkawinan anak",
            cluster=3,
            lead_agency="DP3A",
            score=D("150.00"),
            max_points=D("200.00"),
            last_year=D("150.00"),
            questions=[question("17.1", "Angka perkawinan anak turun", 150, 200, ["-Laporan BPS"])],
        ),
        ReportIndicator(
            number=18,
            name="Lembaga konsultasi penyedia layanan pengasuhan anak",
            cluster=3,
            lead_agency="DP3A",
            score=D("120.00"),
            max_points=D("450.00"),
            last_year=D("100.25"),
            questions=[
                question("18.1", "PUSPAGA tersedia", 120, 250, ["SK PUSPAGA"]),
                question(
                    "18.2",
                    "PUSPAGA bersertifikat",
                    0,
                    200,
                    flags=["Bukti dukung belum ada", "Perlu verifikasi"],
                ),
            ],
        ),
    ]
    data = ReportData(
        local_government="Kota Kupang",
        code="53.71",
        province="Nusa Tenggara Timur",
        year=2025,
        data_year=2024,
        stage="Penilaian mandiri",
        total=D("562.51"),
        max_total=D("1000.00"),
        category="Nindya",
        next_category="Untuk mencapai Utama diperlukan 37,49 poin lagi.",
        capped_by=["Belum ada Perda KLA yang ditetapkan sesuai ketentuan."],
        generated_at=datetime(2025, 3, 14, 9, 5, tzinfo=ZoneInfo("Asia/Makassar")),
        letterhead=[
            "Jl. S.K. Lerik, Kota Baru, Kupang",
            "Telp. (0380) 123456 · pemkot@kupangkota.go.id",
        ],
        logo=png_logo(),
        clusters=[
            ReportCluster(0, "Kelembagaan", "Penguatan kelembagaan", D("80.00"), D("100.00")),
            ReportCluster(1, "Klaster I", "Hak sipil dan kebebasan", D("212.51"), D("250.00")),
            ReportCluster(
                3,
                "Klaster III",
                "Lingkungan keluarga dan pengasuhan alternatif",
                D("270.00"),
                D("650.00"),
            ),
        ],
        indicators=indicators,
        gaps=[
            ReportGap(
                18, "Lembaga konsultasi penyedia layanan pengasuhan anak", D("330.00"), "DP3A"
            ),
            ReportGap(17, "Persentase perkawinan anak", D("50.00"), "DP3A"),
            ReportGap(2, "Gugus Tugas KLA <script>& kawan", D("10.00"), "Bappeda <script>&"),
        ],
        missing_evidence=[indicators[1].questions[1], indicators[4].questions[1]],
        stages=[
            ReportStage("Penilaian mandiri", D("562.51"), "Nindya"),
            ReportStage("Verifikasi administrasi (provinsi)", D("540.00"), "Nindya"),
            ReportStage("Verifikasi lapangan (nasional)", D("498.75"), ""),
        ],
        signatures=[
            ReportSignature(
                "Ketua Gugus Tugas KLA", "Dr. Maria Ndolu, S.H., M.Si.", "Sekretaris Daerah"
            ),
            ReportSignature("Wali Kota Kupang", "Yohanes <Jo> Benu & Co", "Wali Kota"),
        ],
    )
    return dataclasses.replace(data, **changes)


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    """Text extraction breaks lines where a cell wraps; compare with whitespace collapsed."""
    return " ".join(text.split())


# --- PDF ----------------------------------------------------------------------------------------


def test_id_number_uses_indonesian_separators():
    assert id_number(D("562.51")) == "562,51"
    assert id_number(D("1000")) == "1.000,00"
    assert id_number(D("0.005")) == "0,01"


def test_pdf_holds_the_whole_report():
    pdf = build_pdf(report())
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Laporan Evaluasi Mandiri KLA"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4 portrait
    assert reader.pages[0].images, "the logo is drawn on the first page"
    text = flat(pdf_text(pdf)[1])
    for expected in [
        "Laporan Evaluasi Mandiri KLA",
        "PEMERINTAH KOTA KUPANG",
        "Jl. S.K. Lerik, Kota Baru, Kupang",
        "Tahun evaluasi 2025 · tahun data 2024",
        "Penilaian mandiri",
        "14-03-2025 09:05",
        "562,51 dari 1.000,00",
        "Nindya",
        "Untuk mencapai Utama diperlukan 37,49 poin lagi.",
        "Belum ada Perda KLA yang ditetapkan sesuai ketentuan.",
        "Verifikasi administrasi (provinsi)",
        "Belum mencapai kategori",  # the third stage has no category
        "Hak sipil dan kebebasan",
        "85,00",  # 212,51 of 250 in percent
        "Analisis kesenjangan",
        "330,00",
        "Bukti dukung belum lengkap",
        "PUSPAGA bersertifikat",
        "Daftar bukti dukung",
        "Lembaran daerah",
        "bukti-2025-1.1-1.pdf",
        "B-1.1-1",
        "Ketua Gugus Tugas KLA",
        "Dr. Maria Ndolu, S.H., M.Si.",
        "Yohanes <Jo> Benu & Co",
        "Sekretaris Daerah",
        "Halaman 1 dari",
        "Gugus Tugas KLA <script>& kawan",
        "Bappeda <script>&",
    ]:
        assert expected in text, expected
    for indicator in report().indicators:
        assert flat(indicator.name) in text, indicator.name
    assert "&amp;" not in text and "&lt;" not in text


def test_pdf_lists_evidence_by_title_file_name_and_reference_without_server_addresses():
    """Issue 14, point 8: the reader finds each document in SIKLA by its reference; the PDF
    carries no address of the server (it was http://127.0.0.1:…/bukti/<uuid>/)."""
    pdf = build_pdf(report())
    reader = PdfReader(io.BytesIO(pdf))
    text = flat(pdf_text(pdf)[1])
    listing = text.split("Daftar bukti dukung", 1)[1]
    assert "Judul bukti dukung Nama berkas Rujukan" in listing
    assert "Perda No. 3/2021 bukti-2025-1.1-0.pdf B-1.1-0" in listing
    assert "Data & bukti dukung" in listing  # where to look
    assert "http" not in text and "/bukti/" not in text
    annotations = [a for page in reader.pages for a in page.get("/Annots") or []]
    assert annotations == []


def test_pdf_without_logo_stages_gaps_or_category():
    data = report(
        logo=None,
        stages=[],
        gaps=[],
        missing_evidence=[],
        category="",
        next_category="",
        capped_by=[],
    )
    pdf = build_pdf(data)
    assert pdf.startswith(b"%PDF")
    text = flat(pdf_text(pdf)[1])
    assert "Belum mencapai kategori" in text
    assert "Analisis kesenjangan" in text
    assert "Nilai per tahap" not in text
    assert not PdfReader(io.BytesIO(pdf)).pages[0].images


@pytest.mark.parametrize("logo", [b"not an image", png_logo()[:60], b""])
def test_pdf_with_unreadable_logo_goes_without_it(logo):
    pdf = build_pdf(report(logo=logo))
    assert "PEMERINTAH KOTA KUPANG" in flat(pdf_text(pdf)[1])
    assert not PdfReader(io.BytesIO(pdf)).pages[0].images


def test_pdf_with_jpeg_logo():
    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 100), (0, 90, 160)).save(buffer, format="JPEG")
    pdf = build_pdf(report(logo=buffer.getvalue()))
    assert PdfReader(io.BytesIO(pdf)).pages[0].images


def test_large_pdf_runs_over_many_pages():
    indicators = [
        ReportIndicator(
            number=n,
            name=f"Indikator nomor {n} dengan nama yang cukup panjang sehingga harus dibungkus di sel",
            cluster=n % 6,
            lead_agency="Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
            score=D("10.00"),
            max_points=D("40.00"),
            last_year=D("9.50"),
            questions=[
                question(
                    f"{n}.{q}",
                    f"Pertanyaan {n}.{q} " + "uraian " * 20,
                    2,
                    5,
                    [f"Bukti {e}" for e in range(3)],
                )
                for q in range(1, 7)
            ],
        )
        for n in range(1, 25)
    ]
    pages, text = pdf_text(build_pdf(report(indicators=indicators)))
    assert pages > 1
    assert f"Halaman {pages} dari {pages}" in text and f"Halaman 1 dari {pages}" in text
    assert "B-24.6-2" in flat(text)  # the last document of the last question


# --- xlsx ---------------------------------------------------------------------------------------


def workbook(data=None):
    return load_workbook(io.BytesIO(build_xlsx(data or report())))


def summary_of(wb) -> dict:
    """Label → value of the facts at the top of "Ringkasan" (the first occurrence of a label)."""
    summary = {}
    for label, value, *_ in wb["Ringkasan"].iter_rows(min_row=2, values_only=True):
        if label:
            summary.setdefault(label, value)
    return summary


def test_xlsx_sheets_and_summary():
    wb = workbook()
    assert wb.sheetnames == ["Ringkasan", "Pertanyaan", "Kesenjangan"]
    summary = summary_of(wb)
    assert summary["Pemerintah daerah"] == "Kota Kupang"
    assert summary["Kode wilayah"] == "53.71"
    assert summary["Tahun evaluasi"] == 2025
    assert summary["Tahap"] == "Penilaian mandiri"
    assert summary["Nilai total"] == pytest.approx(562.51)
    assert summary["Kategori"] == "Nindya"
    assert summary["Kategori berikutnya"].startswith("Untuk mencapai Utama")
    assert wb["Ringkasan"]["A1"].value == "Laporan Evaluasi Mandiri KLA"
    rows = list(wb["Ringkasan"].iter_rows(values_only=True))
    assert ("Nilai per tahap", None, None, None, None) in rows
    assert ("Tahap", "Nilai", "Kategori", None, None) in rows
    stage = next(r for r in rows if r[0] == "Verifikasi lapangan (nasional)")
    assert stage[1] == pytest.approx(498.75) and stage[2] == "Belum mencapai kategori"
    cluster = next(r for r in rows if r[0] == "Klaster I")
    assert cluster[1:4] == ("Hak sipil dan kebebasan", pytest.approx(212.51), 250)
    assert cluster[4] == pytest.approx(85.004)


def test_xlsx_question_rows():
    ws = workbook()["Pertanyaan"]
    header = [c.value for c in ws[1]]
    assert header == [
        "Indikator no", "Indikator", "Kode", "Pertanyaan", "Jawaban", "Nilai", "Maksimum",
        "Catatan", "Bukti dukung", "Nama berkas", "Rujukan",
    ]  # fmt: skip
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    assert ws.max_row == 1 + 8

    row = [c.value for c in ws[2]]
    assert row[:5] == [1, "Peraturan daerah tentang KLA", "1.1", "Perda KLA telah ditetapkan", "Ya"]
    assert isinstance(ws["F2"].value, int | float) and ws["F2"].value == 40
    assert isinstance(ws["G2"].value, int | float) and ws["G2"].value == 40
    assert isinstance(ws["A2"].value, int)
    assert ws["I2"].value == "Perda No. 3/2021; Lembaran daerah"
    assert ws["J2"].value == "bukti-2025-1.1-0.pdf; bukti-2025-1.1-1.pdf"
    assert ws["K2"].value == "B-1.1-0; B-1.1-1"
    assert not any(c.hyperlink for row in ws.iter_rows() for c in row)

    flagged = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "18.2")
    assert flagged[7].value == "Bukti dukung belum ada; Perlu verifikasi"
    assert flagged[9].value is None and flagged[10].value is None
    assert next(r for r in ws.iter_rows(min_row=2) if r[2].value == "11.1")[4].value == "87,5 %"


def test_xlsx_guards_formula_like_text():
    ws = workbook()["Pertanyaan"]
    rows = {r[2].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["2.1"][8].value == "'=SUM(A1:A9)"
    assert rows["2.1"][8].data_type == "s"
    assert rows["17.1"][8].value == "'-Laporan BPS"
    assert rows["2.1"][1].value == "Gugus Tugas KLA <script>& kawan"  # not markup-escaped


def test_xlsx_gaps():
    ws = workbook()["Kesenjangan"]
    assert [c.value for c in ws[1]] == ["No", "Indikator", "Poin hilang", "Pengampu"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[2]] == [
        18,
        "Lembaga konsultasi penyedia layanan pengasuhan anak",
        330,
        "DP3A",
    ]
    assert ws.max_row == 4


def test_xlsx_of_an_empty_report():
    wb = workbook(report(stages=[], gaps=[], category="", indicators=[], clusters=[]))
    summary = summary_of(wb)
    assert summary["Kategori"] == "Belum mencapai kategori"
    assert wb["Pertanyaan"].max_row == 1
    assert wb["Kesenjangan"].max_row == 1
