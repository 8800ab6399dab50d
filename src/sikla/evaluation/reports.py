"""Renderers of an evaluation report (`report_data.ReportData`): a PDF to print and sign, and an
xlsx workbook to work with. Pure functions from plain data to bytes; no database, no network.

The PDF uses reportlab's built-in Helvetica only. Text from the data is escaped before it enters
a reportlab Paragraph (which parses markup). In the workbook, text a spreadsheet would run as a
formula gets a leading apostrophe.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from django.http import StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sikla.core import numbers
from sikla.core.read_ahead import read_ahead
from sikla.lib import xlsx_stream

from .report_data import ReportData, ReportQuestion
from .scoring import cents

TITLE = "Laporan Evaluasi Mandiri KLA"
NO_CATEGORY = "Belum mencapai kategori"
DASH = "—"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LOGO_HEIGHT = 2 * cm
MARGIN = 2 * cm
SIGNATURES_PER_ROW = 3


def made(data) -> str:
    """When the report was made, in the local government's time zone: "05-12-2026 22:31 WITA"."""
    return data.generated_at.strftime("%d-%m-%Y %H:%M %Z")


def id_number(number: Decimal | float | int) -> str:
    """1234.5 → "1.234,50": a score (`core.numbers.score`)."""
    return numbers.score(cents(Decimal(str(number))))


def _percent(score: Decimal, maximum: Decimal) -> Decimal | None:
    return None if not maximum else Decimal(score) * 100 / Decimal(maximum)


def _id_or_dash(number: Decimal | None) -> str:
    return DASH if number is None else id_number(number)


EVIDENCE_NOTE = (
    "Setiap bukti dukung tersimpan di SIKLA: buka Data & bukti dukung, periode dan indikatornya; "
    "rujukan (mis. B-1A2B3C4D) tertera di samping judulnya."
)


# --- PDF ----------------------------------------------------------------------------------------


def pdf_styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    bold, center = {"fontName": "Helvetica-Bold"}, {"alignment": TA_CENTER, "spaceBefore": 0}
    body = ParagraphStyle("body", base["BodyText"], fontName="Helvetica", fontSize=9.5)
    cell = ParagraphStyle("cell", body, fontSize=8.5, leading=10.5, spaceBefore=0)
    styles = {"body": body, "cell": cell}
    for name, parent, options in [
        ("cell_head", cell, bold),
        ("cell_right", cell, {"alignment": TA_RIGHT}),
        ("cell_head_right", cell, {**bold, "alignment": TA_RIGHT}),
        ("title", base["Title"], bold),
        ("h2", base["Heading2"], bold),
        ("h3", base["Heading3"], bold),
        ("center", body, center),
        ("sign", body, center),
        ("kop", body, {**center, **bold, "fontSize": 14, "leading": 18}),
        ("kop_line", body, {**center, "fontSize": 9, "leading": 11}),
    ]:
        styles[name] = ParagraphStyle(name, parent, **options)
    return styles


def _logo(data: bytes | None) -> Image | None:
    """The logo at LOGO_HEIGHT, aspect ratio kept; None when absent or unreadable."""
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        reader.getRGBData()  # decode fully now, so a broken file fails here, not in build()
        if not width or not height:
            return None
        return Image(io.BytesIO(data), width=LOGO_HEIGHT * width / height, height=LOGO_HEIGHT)
    except Exception:  # any unreadable image: the letterhead goes without it
        return None


def pdf_letterhead(data: ReportData, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    text: list[Flowable] = [
        Paragraph(escape(f"PEMERINTAH {data.local_government.upper()}"), st["kop"])
    ]
    text += [Paragraph(escape(line), st["kop_line"]) for line in data.letterhead if line.strip()]
    logo = _logo(data.logo)
    if logo is None:
        head: Flowable = Table([[text]], colWidths=[width])
    else:
        side = logo.drawWidth + 0.4 * cm
        # an empty column on the right as wide as the logo keeps the text centred on the page
        head = Table([[logo, text, ""]], colWidths=[side, width - 2 * side, side])
    head.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    rule = HRFlowable(width="100%", thickness=2, color=colors.black, spaceBefore=4, spaceAfter=10)
    return [head, rule]


def pdf_table(
    header: Sequence[str],
    rows: Iterable[Sequence[str | Flowable]],
    widths: Sequence[float],
    st: dict[str, ParagraphStyle],
    right: Iterable[int] = (),
) -> Table:
    """A table with a repeated header row; every cell a Paragraph, so long text wraps."""
    right = set(right)
    body = [
        [
            Paragraph(escape(h), st["cell_head_right" if i in right else "cell_head"])
            for i, h in enumerate(header)
        ]
    ]
    for row in rows:
        body.append(
            [
                cell
                if isinstance(cell, Flowable)
                else Paragraph(escape(str(cell)), st["cell_right" if i in right else "cell"])
                for i, cell in enumerate(row)
            ]
        )
    table = Table(body, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _signatures(data: ReportData, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    if not data.signatures:
        return []
    columns = min(len(data.signatures), SIGNATURES_PER_ROW)
    rows = []
    for start in range(0, len(data.signatures), columns):
        row: list[object] = [
            [
                Paragraph(escape(sig.role), st["sign"]),
                Spacer(1, 2.2 * cm),
                Paragraph(f"<u><b>{escape(sig.name)}</b></u>", st["sign"]),
                Paragraph(escape(sig.position), st["sign"]),
            ]
            for sig in data.signatures[start : start + columns]
        ]
        rows.append(row + [""] * (columns - len(row)))
    table = Table(rows, colWidths=[width / columns] * columns)
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 12)])
    )
    return [KeepTogether([Spacer(1, 1 * cm), table])]


def pdf_footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(MARGIN, 1.2 * cm, f"{doc.title} · {doc.subject}")
    canvas.restoreState()


class NumberedCanvas(Canvas):
    """A canvas that writes "Halaman 1 dari 5" at the foot of each page: it keeps every page
    until the document is finished, when the number of pages is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 — reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.saveState()
            self.setFont("Helvetica", 8)
            self.drawRightString(
                A4[0] - MARGIN, 1.2 * cm, f"Halaman {self._pageNumber} dari {total}"
            )
            self.restoreState()
            super().showPage()
        super().save()


def pdf_document(buffer, *, title: str, subject: str) -> SimpleDocTemplate:
    """An A4 portrait document with SIKLA's margins, shared by every PDF report."""
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=1.5 * cm,
        bottomMargin=2 * cm,
        title=title,
        subject=subject,
        author="SIKLA",
    )


def build_pdf(data: ReportData) -> bytes:
    """The report as an A4 portrait PDF: letterhead, summary, tables, gaps, evidence, signatures."""
    st = pdf_styles()
    buffer = io.BytesIO()
    doc = pdf_document(buffer, title=TITLE, subject=f"{data.local_government} · {data.year}")
    width = doc.width
    p = lambda text, style="body": Paragraph(escape(text), st[style])  # noqa: E731

    story: list[Flowable] = pdf_letterhead(data, st, width)
    story += [
        p(TITLE, "title"),
        p(f"{data.local_government} ({data.code}), Provinsi {data.province}", "center"),
        p(f"Tahun evaluasi {data.year} · tahun data {data.data_year}", "center"),
        p(f"Tahap: {data.stage}", "center"),
        p(f"Dibuat {made(data)}", "center"),
        Spacer(1, 0.4 * cm),
        p("Ringkasan", "h2"),
        p(f"Nilai total: {id_number(data.total)} dari {id_number(data.max_total)}"),
        p(f"Kategori: {data.category or NO_CATEGORY}"),
    ]
    if data.next_category:
        story.append(p(data.next_category))
    story += [p(f"• {reason}") for reason in data.capped_by]

    if data.stages:
        story.append(p("Nilai per tahap", "h2"))
        rows = [(s.label, id_number(s.total), s.category or NO_CATEGORY) for s in data.stages]
        widths = (8 * cm, 3 * cm, width - 11 * cm)
        story.append(pdf_table(("Tahap", "Nilai", "Kategori"), rows, widths, st, right=[1]))

    story.append(p("Nilai per klaster", "h2"))
    rows = [
        (
            c.label,
            c.name,
            id_number(c.score),
            id_number(c.max_points),
            _id_or_dash(_percent(c.score, c.max_points)),
        )
        for c in data.clusters
    ]
    widths = (3 * cm, width - 10 * cm, 2.5 * cm, 2.5 * cm, 2 * cm)
    story.append(
        pdf_table(("Klaster", "Nama", "Nilai", "Maksimum", "%"), rows, widths, st, right=[2, 3, 4])
    )

    story.append(p("Nilai per indikator", "h2"))
    rows = [
        (
            str(i.number),
            i.name,
            i.lead_agency,
            id_number(i.score),
            id_number(i.max_points),
            _id_or_dash(i.last_year),
        )
        for i in data.indicators
    ]
    widths = (1 * cm, width - 10.6 * cm, 3.8 * cm, 1.9 * cm, 1.9 * cm, 2 * cm)
    header = ("No", "Indikator", "Pengampu", "Nilai", "Maks", "Tahun lalu")
    story.append(pdf_table(header, rows, widths, st, right=[0, 3, 4, 5]))

    story.append(p("Analisis kesenjangan", "h2"))
    if data.gaps:
        rows = [(str(g.number), g.name, id_number(g.lost), g.lead_agency) for g in data.gaps]
        widths = (1 * cm, width - 8 * cm, 2.5 * cm, 4.5 * cm)
        story.append(
            pdf_table(
                ("No", "Indikator", "Poin hilang", "Pengampu"), rows, widths, st, right=[0, 2]
            )
        )
    else:
        story.append(p("Tidak ada poin yang hilang."))
    story.append(p("Bukti dukung belum lengkap", "h3"))
    story += _missing(data.missing_evidence, st) or [p("Semua bukti dukung telah lengkap.")]

    story.append(p("Daftar bukti dukung", "h2"))
    story.append(p(EVIDENCE_NOTE, "cell"))
    rows = [
        (q.code, e.title, e.file_name, e.reference)
        for i in data.indicators
        for q in i.questions
        for e in q.evidence
    ]
    if rows:
        widths = (1.8 * cm, width - 10.6 * cm, 5.8 * cm, 3 * cm)
        header = ("Kode", "Judul bukti dukung", "Nama berkas", "Rujukan")
        story.append(pdf_table(header, rows, widths, st))
    else:
        story.append(p("Belum ada bukti dukung."))

    story += _signatures(data, st, width)
    doc.build(story, onFirstPage=pdf_footer, onLaterPages=pdf_footer, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def _missing(questions: list[ReportQuestion], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [
        Paragraph(
            f"• <b>{escape(q.code)}</b> {escape(q.text)} ({id_number(q.points)} poin)", st["body"]
        )
        for q in questions
    ]


# --- xlsx ---------------------------------------------------------------------------------------

BOLD = Font(bold=True)
NUMBER_FORMAT = "#,##0.00"


def _guard(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is as is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _put(ws: Worksheet, row: int, values: Sequence[object], bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=_guard(value))
        if isinstance(value, Decimal | float):
            cell.number_format = NUMBER_FORMAT
        if bold:
            cell.font = BOLD
        if isinstance(value, str):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def _summary_sheet(ws: Worksheet, data: ReportData) -> None:
    ws.title = "Ringkasan"
    _put(ws, 1, [TITLE], bold=True)
    facts = [
        ("Pemerintah daerah", data.local_government),
        ("Kode wilayah", data.code),
        ("Provinsi", data.province),
        ("Tahun evaluasi", data.year),
        ("Tahun data", data.data_year),
        ("Tahap", data.stage),
        ("Nilai total", data.total),
        ("Nilai maksimum", data.max_total),
        ("Kategori", data.category or NO_CATEGORY),
        ("Kategori berikutnya", data.next_category),
        ("Dibuat", made(data)),
    ]
    facts += [("Pembatas kategori", reason) for reason in data.capped_by]
    row = 3
    for label, value in facts:
        _put(ws, row, [label, value])
        ws.cell(row=row, column=1).font = BOLD
        row += 1
    if data.stages:
        row += 1
        _put(ws, row, ["Nilai per tahap"], bold=True)
        row += 1
        _put(ws, row, ["Tahap", "Nilai", "Kategori"], bold=True)
        for stage in data.stages:
            row += 1
            _put(ws, row, [stage.label, stage.total, stage.category or NO_CATEGORY])
    row += 2
    _put(ws, row, ["Nilai per klaster"], bold=True)
    row += 1
    _put(ws, row, ["Klaster", "Nama", "Nilai", "Maksimum", "%"], bold=True)
    for cluster in data.clusters:
        row += 1
        share = _percent(cluster.score, cluster.max_points)
        _put(ws, row, [cluster.label, cluster.name, cluster.score, cluster.max_points, share])
        ws.cell(row=row, column=5).number_format = NUMBER_FORMAT
    _widths(ws, (26, 50, 12, 12, 10))


def _questions_sheet(ws: Worksheet, data: ReportData) -> None:
    header = (
        "Indikator no", "Indikator", "Kode", "Pertanyaan", "Jawaban", "Nilai", "Maksimum",
        "Catatan", "Bukti dukung", "Nama berkas", "Rujukan",
    )  # fmt: skip
    _put(ws, 1, header, bold=True)
    row = 1
    for indicator in data.indicators:
        for q in indicator.questions:
            row += 1
            values = [indicator.number, indicator.name, q.code, q.text, q.answer, q.points]
            values += [q.max_points, "; ".join(q.flags), "; ".join(e.title for e in q.evidence)]
            values += ["; ".join(e.file_name for e in q.evidence)]
            _put(ws, row, [*values, "; ".join(e.reference for e in q.evidence)])
    ws.freeze_panes = "A2"
    _widths(ws, (11, 40, 10, 50, 24, 10, 11, 30, 40, 34, 14))


def _gaps_sheet(ws: Worksheet, data: ReportData) -> None:
    _put(ws, 1, ("No", "Indikator", "Poin hilang", "Pengampu"), bold=True)
    for row, gap in enumerate(data.gaps, start=2):
        _put(ws, row, [gap.number, gap.name, gap.lost, gap.lead_agency])
    ws.freeze_panes = "A2"
    _widths(ws, (8, 60, 14, 40))


def build_xlsx(data: ReportData) -> bytes:
    """The report as a workbook: sheets "Ringkasan", "Pertanyaan" and "Kesenjangan"."""
    workbook = Workbook()
    workbook.properties.title = TITLE
    workbook.properties.creator = "SIKLA"
    _summary_sheet(workbook.active, data)
    _questions_sheet(workbook.create_sheet("Pertanyaan"), data)
    _gaps_sheet(workbook.create_sheet("Kesenjangan"), data)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ROLLUP_CHUNK = 200  # kab/kota per round of the per-question export


def _streamed(filename: str, chunks) -> StreamingHttpResponse:
    """A workbook sent while it is written (`lib.xlsx_stream`): the download starts at once and
    a national export never sits whole in memory."""
    response = StreamingHttpResponse(chunks, content_type=xlsx_stream.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _rollup_rows(rows):
    from .rollup import RollupRow

    for values in rows.iterator(chunk_size=ROLLUP_CHUNK):
        yield RollupRow.of(values)


def rollup_xlsx_response(rows, *, year: int) -> StreamingHttpResponse:
    """The provincial/national roll-up (`rollup.rollup`) as one sheet, streamed."""
    header = [
        "Kode",
        "Kabupaten/kota",
        "Tahap",
        "Nilai mandiri",
        "Nilai terverifikasi",
        "Tahap verifikasi",
        "Kategori",
        "Nilai tahun lalu",
        "Perubahan",
        "Kategori ditetapkan terakhir",
        "Tahun penetapan",
    ]
    lines = (
        [
            r.code,
            r.name,
            r.stage_label,
            r.self_total,
            r.verified_total,
            r.verified_stage_label,
            r.category,
            r.previous,
            r.change,
            r.determined,
            r.determined_year,
        ]
        for r in _rollup_rows(rows)
    )
    return _streamed(
        f"rekap-evaluasi-kla-{year}.xlsx",
        xlsx_stream.stream(
            f"Rekap {year}", header, lines, [10, 34, 30, 14, 16, 30, 14, 16, 12, 18, 10]
        ),
    )


def _question_lines(rows, year: int, cells: xlsx_stream.Cells):
    """The export's rows as XML, a kab/kota's questions at a time: each row is its kab/kota's
    code and name, the question's indicator and code, then the three values of that kab/kota
    and its stage — the cells all rows share are written once per kab/kota and per question."""
    from .rollup import question_blocks

    xml, numbers = cells.xml, xlsx_stream.Numbers()
    # the next chunk is read while this one is written (`core.read_ahead`)
    for questions, blocks in read_ahead(
        question_blocks(chunk, year) for chunk in _chunks_of_names(rows)
    ):
        middles = [(pk, code, xml(number_) + xml(code)) for pk, code, number_ in questions]
        for block in blocks:
            head = "<row>" + xml(block.code) + xml(block.name)
            tail = xml(block.stage_label) + "</row>"
            answer, own, verified = block.answers.get, block.own.get, block.verified.get
            # one f-string a row: a third faster than adding its six parts (54,000 rows a nation)
            yield "".join(
                [
                    # an answer's text is its own key (`Cells.xml`)
                    f"{head}{middle}{cells[answer(pk, '')]}"
                    f"{numbers[own(code)]}{numbers[verified(code)]}{tail}"
                    for pk, code, middle in middles
                ]
            )


def _chunks_of_names(rows):
    """The roll-up's kab/kota as {code: name}, ROLLUP_CHUNK at a time, reading only those two
    columns (the filters still apply)."""
    chunk: dict[str, str] = {}
    for code, name in rows.values_list("code", "name").iterator(chunk_size=ROLLUP_CHUNK):
        chunk[code] = name
        if len(chunk) == ROLLUP_CHUNK:
            yield chunk
            chunk = {}
    if chunk:
        yield chunk


def rollup_questions_xlsx_response(rows, *, year: int) -> StreamingHttpResponse:
    """Every question of every kab/kota of the roll-up: the answer, the self-assessment's points
    and the furthest verification's, a row each (~50,000 for the nation), streamed a chunk of
    kab/kota at a time."""
    header = [
        "Kode",
        "Kabupaten/kota",
        "Indikator",
        "Pertanyaan",
        "Jawaban",
        "Nilai mandiri",
        "Nilai terverifikasi",
        "Tahap verifikasi",
    ]
    cells = xlsx_stream.Cells(shared=True)  # codes, names, answers' options, stage labels
    return _streamed(
        f"rekap-evaluasi-kla-{year}-per-pertanyaan.xlsx",
        xlsx_stream.stream(
            f"Pertanyaan {year}",
            header,
            _question_lines(rows, year, cells),
            [10, 34, 10, 12, 16, 14, 16, 30],
            cells=cells,
        ),
    )


def season_xlsx_response(board) -> StreamingHttpResponse:
    """The season board's kab/kota: where each stands and how far behind the timetable."""
    header = [
        "Kode",
        "Kabupaten/kota",
        "Tahap",
        "Batas tahap ini",
        "Hari terlambat",
        "Kategori ditetapkan terakhir",
    ]
    from .rollup import stage_labels

    late = {x.code: x for x in board.late}
    labels = stage_labels() | {"": "Belum mulai"}
    due = board.season.due_for if board.season else (lambda stage: None)
    lines = (
        [
            r.code,
            r.name,
            labels[r.stage],
            due(r.stage),
            late[r.code].days if r.code in late else 0,
            r.determined,
        ]
        for r in board.rows
    )
    return _streamed(
        f"musim-evaluasi-kla-{board.year}.xlsx",
        xlsx_stream.stream(f"Musim {board.year}", header, lines, [10, 34, 34, 16, 14, 18]),
    )


def losses_xlsx_response(found, rows) -> StreamingHttpResponse:
    """The heat map as a sheet: each kab/kota's share of every indicator's maximum, in percent."""
    numbers = [i.number for i in found.indicators]
    header = ["Kode", "Kabupaten/kota", "Nilai"] + [f"Indikator {n} (%)" for n in numbers]
    hundred = Decimal(100)
    lines = (
        [r.code, r.name, r.total]
        + [
            (r.shares[n] * hundred).quantize(Decimal("0.1")) if r.shares[n] is not None else None
            for n in numbers
        ]
        for r in rows
    )
    return _streamed(
        f"poin-hilang-kla-{found.year}.xlsx",
        xlsx_stream.stream(
            f"Poin hilang {found.year}", header, lines, [10, 34, 12] + [14] * len(numbers)
        ),
    )
