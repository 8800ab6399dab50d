"""What an uploaded file really is, judged from its bytes, never from its name.

Accepted: PDF, PNG, JPEG, DOCX, XLSX. Office files are ZIP archives: their directory is read
(without extracting) to confirm the format and to refuse archive bombs — too many entries, too
much uncompressed data, or an absurd compression ratio.
"""

import zipfile
from dataclasses import dataclass
from typing import BinaryIO

PDF, PNG, JPEG, DOCX, XLSX = "pdf", "png", "jpg", "docx", "xlsx"
MIME = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMAGES = {PNG, JPEG}

MAX_ENTRIES = 5_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200


class FileRejected(ValueError):
    """The file is not one SIKLA accepts; the message says why, in Indonesian."""


@dataclass(frozen=True)
class Checked:
    kind: str  # one of PDF, PNG, JPEG, DOCX, XLSX (also the file extension)
    mime: str


def _office_kind(handle: BinaryIO) -> str:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRejected("Berkas arsip rusak atau bukan dokumen Office.") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise FileRejected("Dokumen berisi terlalu banyak bagian; berkas ditolak.")
        packed = sum(e.compress_size for e in entries) or 1
        unpacked = sum(e.file_size for e in entries)
        if unpacked > MAX_UNCOMPRESSED or unpacked / packed > MAX_RATIO:
            raise FileRejected(
                "Dokumen mengembang terlalu besar saat dibuka (bom arsip); berkas ditolak."
            )
        names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names:
        raise FileRejected("Arsip ini bukan dokumen Word atau Excel.")
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    raise FileRejected("Hanya dokumen Word (.docx) atau Excel (.xlsx) yang diterima.")


def check_upload(handle: BinaryIO, size: int, *, max_bytes: int) -> Checked:
    """Identify an upload or raise FileRejected. `handle` is rewound afterwards."""
    if size <= 0:
        raise FileRejected("Berkas kosong.")
    if size > max_bytes:
        raise FileRejected(
            f"Ukuran berkas {size / 1048576:.1f} MB melebihi batas {max_bytes // 1048576} MB."
        )
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = _office_kind(handle)
        handle.seek(0)
    else:
        raise FileRejected(
            "Jenis berkas tidak diterima (diperiksa dari isinya, bukan namanya). "
            "Unggah PDF, JPG/PNG, DOCX, atau XLSX."
        )
    return Checked(kind=kind, mime=MIME[kind])
