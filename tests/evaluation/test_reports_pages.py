"""The evaluation report as downloaded from the site: the PDF read back with pypdf, the workbook
with openpyxl, for a period answered through the actions."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from pypdf import PdfReader

from sikla.collection import actions as collection
from sikla.evaluation import actions
from sikla.indicators.models import Question
from tests.personas import KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

BASE = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/evaluasi/"
CODE = re.compile(r"^\d{1,2}\.\d{1,2}$")


def answered(world):
    """1.1 draft regulation (10), 1.2 yes with its evidence (10), 2.4 at 50 % (7.5): 27.50."""
    period = world.periods[KUPANG]
    actions.save_answers(
        period,
        actor=world.secretariat,
        answers={"1.1": ("rancangan", ""), "1.2": ("yes", ""), "2.4": ("50", "")},
    )
    question = Question.objects.get(indicator__version=period.catalog, code="1.2")
    collection.upload_evidence(
        period.submissions.get(indicator__number=1),
        actor=world.secretariat,
        upload=SimpleUploadedFile("notulen.pdf", b"%PDF-1.4\n% notulen evaluasi\n"),
        title="Notulen evaluasi Perda",
        kind="decree",
        question=question,
    )
    return period


def test_it_downloads_the_report_as_a_pdf(client, world):
    answered(world)
    client.force_login(world.task_force_chair)

    response = client.get(BASE + "laporan.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"laporan-evaluasi-kla-{KUPANG}-{PERIOD_YEAR}.pdf" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Laporan Evaluasi Mandiri KLA" in text
    assert "PEMERINTAH KOTA KUPANG" in text
    assert "27,50" in text
    assert "Untuk mencapai Pratama diperlukan 472,50 poin lagi." in " ".join(text.split())
    assert "Notulen evaluasi Perda" in text


def test_the_pdf_signs_with_the_heads_office_and_lists_evidence_a_reader_can_find(client, world):
    """Issue 14, point 8, read back from the downloaded PDF: "Mengetahui, Wali Kota Kupang"
    (never "Wali Kota Kota Kupang"); each document by its title, the name it downloads as and the
    reference the indicator's page shows beside it; no address of the server."""
    period = answered(world)
    evidence = period.submissions.get(indicator__number=1).evidence.get()
    client.force_login(world.task_force_chair)

    response = client.get(BASE + "laporan.pdf")
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        ).split()
    )
    data_page = client.get(
        f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/1/"
    ).content.decode()

    assert "Mengetahui, Wali Kota Kupang" in text and "Wali Kota Kota" not in text
    listing = text.split("Daftar bukti dukung", 1)[1]
    file_name = f"bukti-{PERIOD_YEAR}-1-{str(evidence.uid)[:8]}.pdf"
    assert f"1.2 Notulen evaluasi Perda {file_name} {evidence.reference}" in listing
    assert evidence.reference in data_page  # where the reader finds it in SIKLA
    assert "http" not in text and str(evidence.uid) not in text
    download = client.get(
        f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/1/bukti/{evidence.uid}/"
    )
    assert file_name in download["Content-Disposition"]


def test_it_downloads_the_report_as_a_workbook_with_every_question(client, world):
    answered(world)
    client.force_login(world.secretariat)

    response = client.get(BASE + "laporan.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Ringkasan", "Pertanyaan", "Kesenjangan"} <= set(workbook.sheetnames)
    rows = [
        r
        for r in workbook["Pertanyaan"].iter_rows(min_row=2, values_only=True)
        if isinstance(r[2], str) and CODE.match(r[2])
    ]
    assert len(rows) == 103
    by_code = {r[2]: r for r in rows}
    assert by_code["1.2"][4:6] == ("Ya", 10)
    assert by_code["1.2"][8] == "Notulen evaluasi Perda"
    assert by_code["2.4"][4] == "50,0%"
    assert by_code["2.4"][5] == 7.5
    assert "Bukti dukung belum ada" in by_code["2.4"][7]


def test_it_answers_404_for_an_unknown_report_format(client, world):
    client.force_login(world.secretariat)

    assert client.get(BASE + "laporan.doc").status_code == 404


def test_it_hides_the_report_from_another_local_government(client, world):
    answered(world)
    client.force_login(world.jambi_secretariat)

    assert client.get(BASE + "laporan.pdf").status_code == 404
    assert client.get(BASE + "laporan.xlsx").status_code == 404
