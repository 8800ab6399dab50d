import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sikla.collection.models import Evidence
from sikla.core.models import AuditEvent
from sikla.lib.filecheck import FileRejected, check_upload
from tests.personas import JAMBI, KUPANG, PERIOD_YEAR, world_fixture  # noqa: F401

BASE = f"/organisasi/{KUPANG}/periode/{PERIOD_YEAR}/indikator/11/"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 128, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def office(part: str, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, name: str, data: bytes, title: str = "SK Gugus Tugas", **extra):
    return client.post(
        BASE + "bukti/",
        {"file": SimpleUploadedFile(name, data), "title": title, "kind": "decree", **extra},
    )


@pytest.mark.parametrize(
    ("name", "data", "ext"),
    [
        ("laporan.pdf", PDF, "pdf"),
        ("foto.png", png(), "png"),
        ("notulen.docx", office("word/document.xml"), "docx"),
        ("rekap.xlsx", office("xl/workbook.xml"), "xlsx"),
        ("tanpa-ekstensi", PDF, "pdf"),  # the name says nothing; the content decides
    ],
)
def test_it_accepts_the_documents_agencies_use(client, world, name, data, ext):
    client.force_login(world.agency_operator)

    response = upload(client, name, data)

    assert response.status_code == 302
    evidence = Evidence.objects.get(submission__indicator__number=11, deleted_at__isnull=True)
    assert evidence.kind_ext == ext
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert name not in evidence.file.name  # a stored name never carries the uploader's


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("laporan.pdf", b"MZ\x90\x00\x03\x00\x00\x00 windows program", "diperiksa dari isinya"),
        ("laporan.pdf", b"<html><script>alert(1)</script></html>", "diperiksa dari isinya"),
        ("arsip.docx", b"PK\x03\x04 not really a zip", "rusak"),
        ("data.xlsx", office("xl/workbook.xml", {"xl/bom.xml": "0" * 30_000_000}), "bom arsip"),
        ("arsip.zip", office("lain/isi.xml"), "Hanya dokumen Word"),
    ],
)
def test_it_refuses_disguised_or_dangerous_files_and_keeps_the_form(
    client, world, name, data, message
):
    client.force_login(world.agency_operator)

    response = upload(client, name, data, title="Judul yang diketik")

    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert 'value="Judul yang diketik"' in page
    assert not Evidence.objects.filter(submission__indicator__number=11).exists()


def test_it_refuses_an_oversized_file(client, world, settings):
    settings.MAX_UPLOAD_MB = 1
    client.force_login(world.agency_operator)

    response = upload(client, "besar.pdf", PDF + b"0" * (1024 * 1024 + 1))

    assert response.status_code == 422
    assert "melebihi batas 1 MB" in response.content.decode()


def test_it_detects_the_same_file_twice(client, world):
    client.force_login(world.agency_operator)
    upload(client, "a.pdf", PDF, title="Pertama")

    response = upload(client, "b.pdf", PDF, title="Kedua")

    assert response.status_code == 422
    assert "sudah diunggah sebagai" in response.content.decode()


def test_it_serves_a_document_only_through_the_checked_view(client, world):
    client.force_login(world.agency_operator)
    upload(client, "a.pdf", PDF)
    evidence = Evidence.objects.get(submission__indicator__number=11)
    url = f"{BASE}bukti/{evidence.uid}/"

    download = client.get(url)
    preview = client.get(url + "?lihat=1")
    client.force_login(world.jambi_secretariat)
    outsider = client.get(url)
    elsewhere = client.get(url.replace(KUPANG, JAMBI))

    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["Content-Type"] == "application/pdf"
    assert outsider.status_code == 404 and elsewhere.status_code == 404


def test_it_deletes_softly_and_audits(client, world):
    client.force_login(world.agency_operator)
    upload(client, "a.pdf", PDF)
    evidence = Evidence.objects.get(submission__indicator__number=11)

    client.post(f"{BASE}bukti/{evidence.uid}/hapus/")

    evidence.refresh_from_db()
    assert evidence.deleted_at is not None and evidence.file  # kept for the audit trail
    assert client.get(f"{BASE}bukti/{evidence.uid}/").status_code == 404
    assert AuditEvent.objects.filter(action="evidence.delete").exists()
    assert upload(client, "a.pdf", PDF).status_code == 302  # may be uploaded again


def test_only_the_agencies_of_the_indicator_upload(client, world):
    client.force_login(world.viewer)

    assert upload(client, "a.pdf", PDF).status_code == 403


def test_the_checker_refuses_an_empty_file():
    with pytest.raises(FileRejected):
        check_upload(io.BytesIO(b""), 0, max_bytes=10)
