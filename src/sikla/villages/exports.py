"""The kab/kota workbook: the shares and the questions they answer, the table per kecamatan,
and every kelurahan/desa with its status and the checklist of the year."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import queries
from .models import ITEM_SHORT, ChecklistItem, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bold_row(sheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)


def file_name(lg, year: int) -> str:
    return f"layak-anak-{lg.code}-{year}.xlsx"


def workbook(lg, year: int) -> bytes:
    ov = queries.overview(lg, year)
    share = queries.shares(lg, year)
    items = [str(ITEM_SHORT[item]) for item in ChecklistItem.values]
    book = Workbook()

    summary = book.active
    summary.title = _("Ringkasan")
    summary.append(
        [
            _("Desa/kelurahan dan kecamatan layak anak — %(lg)s, tahun %(y)s")
            % {"lg": lg.name, "y": year}
        ]
    )
    summary["A1"].font = Font(bold=True)
    summary.append([_("Dibuat"), timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")])
    summary.append([])
    summary.append([_("Ukuran"), _("Nilai")])
    _bold_row(summary, 4)
    for label, key in (
        (_("Desa/kelurahan dideklarasikan (DeKeLA)"), "declared_villages"),
        (_("Jumlah desa/kelurahan"), "total_villages"),
        (_("Persentase DeKeLA (%)"), "pct_villages_declared"),
        (_("DeKeLA dengan PATBM"), "villages_with_patbm"),
        (_("Persentase DeKeLA dengan PATBM (%)"), "pct_patbm"),
        (_("Kecamatan dideklarasikan (KELANA)"), "declared_districts"),
        (_("Jumlah kecamatan"), "total_districts"),
        (_("Persentase KELANA (%)"), "pct_districts_declared"),
    ):
        value = share[key]
        summary.append([label, float(value) if key.startswith("pct") else value])
    summary.append([])
    summary.append([_("Indikator 2: pertanyaan"), _("Nilai (%)")])
    _bold_row(summary, summary.max_row)
    for code, value in queries.question_values(share):
        summary.append([code, float(value)])
    summary.column_dimensions["A"].width = 44

    districts = book.create_sheet(_("Per kecamatan"))
    districts.append(
        [
            _("Kode"),
            _("Kecamatan"),
            _("Status KELANA"),
            _("Desa/kelurahan"),
            _("Dideklarasikan"),
            _("Dengan PATBM"),
            *items,
        ]
    )
    _bold_row(districts, 1)
    for d in [*ov.districts, ov.totals]:
        districts.append(
            [
                d.code,
                str(d.name),
                d.status_label,
                d.villages,
                d.declared,
                d.with_patbm,
                *(d.items[item] for item in ChecklistItem.values),
            ]
        )
    districts.column_dimensions["B"].width = 20

    villages = book.create_sheet(_("Desa-kelurahan"))
    villages.append(
        [
            _("Kode"),
            _("Desa/kelurahan"),
            _("Kecamatan"),
            _("Status"),
            _("Tanggal deklarasi"),
            _("Nomor SK"),
            _("SK gugus tugas"),
            _("Ketua gugus tugas"),
            _("Anggota"),
            *items,
        ]
    )
    _bold_row(villages, 1)
    names = {d.code: str(d.name) for d in ov.districts}
    labels = dict(Status.choices)
    rows = list(queries.areas(lg))
    done = queries.items_done(lg, [r.code for r in rows], year)
    for r in rows:
        villages.append(
            [
                r.code,
                r.name,
                names.get(r.code[:8], ""),
                str(labels[r.st]),
                r.declared_on,
                r.decree_number or "",
                r.task_force_decree or "",
                r.task_force_chair or "",
                r.task_force_members,
                *(_("ya") if item in done[r.code] else _("tidak") for item in ChecklistItem.values),
            ]
        )
    villages.column_dimensions["B"].width = 22
    for cell in villages["E"][1:]:
        cell.number_format = "yyyy-mm-dd"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
