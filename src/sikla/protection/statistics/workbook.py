"""The statistics report as an xlsx workbook: a sheet per table, no text a spreadsheet would run
as a formula."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .report import Report

__all__ = [
    "FORMULA_PREFIXES",
    "SHEET_NAMES",
    "build_xlsx",
    "file_name",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAMES = {  # at most 31 characters; no []:*?/ or backslash
    "month": gettext_lazy("Per bulan"),
    "type": gettext_lazy("Per jenis kasus"),
    "sex_age": gettext_lazy("Jenis kelamin dan umur"),
    "kecamatan": gettext_lazy("Per kecamatan"),
    "kelurahan": gettext_lazy("Per kelurahan (disamarkan)"),
    "served": gettext_lazy("Terlayani dan dirujuk"),
    "service": gettext_lazy("Layanan"),
    "referral": gettext_lazy("Rujukan"),
    "outcome": gettext_lazy("Hasil penanganan"),
    "response": gettext_lazy("Respons pertama"),
}


def _guard(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, float):
        return round(value, 1)
    return value


def build_xlsx(data: Report) -> bytes:
    """The report as a workbook: a summary sheet, then one sheet per table, each headed by the
    local government, the range and the de-identification note."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    workbook = Workbook()
    workbook.properties.title = str(_("Statistik perlindungan anak"))
    workbook.properties.creator = "SIKLA"
    title, period = _("Statistik perlindungan anak"), _("Periode penerimaan kasus")
    header = [
        f"{title} — {data.local_government} ({data.code})",
        f"{period}: {data.period_label}",
        data.note,
    ]

    def head(ws) -> int:
        for row, text in enumerate(header, start=1):
            ws.cell(row=row, column=1, value=_guard(text)).font = bold
        return len(header) + 2

    ws = workbook.active
    ws.title = str(_("Ringkasan"))
    row = head(ws)
    for label, value in [
        (_("Jumlah kasus"), data.total_cases),
        (_("Jumlah anak korban"), data.total_victims),
        (_("Anak terlayani"), data.served),
    ]:
        ws.cell(row=row, column=1, value=label)
        ws.cell(row=row, column=2, value=value)
        row += 1
    ws.column_dimensions["A"].width = 40
    for table in data.tables:
        ws = workbook.create_sheet(str(SHEET_NAMES[table.key])[:31])
        row = head(ws)
        ws.cell(row=row - 1, column=1, value=_guard(table.title)).font = bold
        for column, title in enumerate(table.columns, start=1):
            ws.cell(row=row, column=column, value=_guard(title)).font = bold
        for values in table.rows:
            row += 1
            for column, value in enumerate(values, start=1):
                ws.cell(row=row, column=column, value=_guard(value))
        ws.column_dimensions["A"].width = 40
        for column in range(2, len(table.columns) + 1):
            ws.column_dimensions[get_column_letter(column)].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(data: Report) -> str:
    if data.controlled:
        return f"statistik-perlindungan-{data.code}-{data.period_token}.xlsx"
    return f"statistik-perlindungan-{data.code}-{data.start:%Y%m%d}-{data.end:%Y%m%d}-internal.xlsx"
