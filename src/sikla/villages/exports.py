"""The kab/kota workbook: the shares and the questions they answer, the table per kecamatan,
and every kelurahan/desa with its status and the checklist of the year — written by
`lib.xlsx_stream` (a kab/kota of 852 villages: ~200 ms with openpyxl, a fifth of that here)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.core.choice_labels import labels_of
from sikla.lib.xlsx_stream import Bold, Sheet, stream_sheets

from . import queries
from .models import ITEM_SHORT, ChecklistItem, Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(lg, year: int) -> str:
    return f"layak-anak-{lg.code}-{year}.xlsx"


def workbook(lg, year: int) -> bytes:
    ov = queries.overview(lg, year)
    share = queries.shares(lg, year)
    # the checklist's items, and the two words of its cells, looked up once rather than for
    # each of a kab/kota's hundreds of villages
    codes = ChecklistItem.values
    items = [str(ITEM_SHORT[item]) for item in codes]
    yes, no = _("ya"), _("tidak")
    return b"".join(
        stream_sheets(
            [
                Sheet(_("Ringkasan"), (), _summary(lg, year, share), (44, 12)),
                Sheet(_("Per kecamatan"), _district_header(items), _districts(ov, codes), (10, 20)),
                Sheet(
                    _("Desa-kelurahan"),
                    _village_header(items),
                    _villages(lg, year, ov, codes, yes, no),
                    (14, 22),
                ),
            ]
        )
    )


def _summary(lg, year: int, share: dict):
    yield Bold(
        [
            _("Desa/kelurahan dan kecamatan layak anak — %(lg)s, tahun %(y)s")
            % {"lg": lg.name, "y": year}
        ]
    )
    yield [_("Dibuat"), timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")]
    yield []
    yield Bold([_("Ukuran"), _("Nilai")])
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
        yield [label, float(value) if key.startswith("pct") else value]
    yield []
    yield Bold([_("Indikator 2: pertanyaan"), _("Nilai (%)")])
    for code, value in queries.question_values(share):
        yield [code, float(value)]


def _district_header(items: list[str]) -> list[str]:
    return [
        _("Kode"),
        _("Kecamatan"),
        _("Status KELANA"),
        _("Desa/kelurahan"),
        _("Dideklarasikan"),
        _("Dengan PATBM"),
        *items,
    ]


def _districts(ov, codes):
    for d in [*ov.districts, ov.totals]:
        yield [
            d.code,
            str(d.name),
            d.status_label,
            d.villages,
            d.declared,
            d.with_patbm,
            *(d.items[item] for item in codes),
        ]


def _village_header(items: list[str]) -> list[str]:
    return [
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


def _villages(lg, year: int, ov, codes, yes: str, no: str):
    """Every kelurahan/desa as plain rows of the columns shown, with the checklist items the
    overview has read already (no second query naming the kab/kota's 852 villages)."""
    names = {d.code: str(d.name) for d in ov.districts}
    labels = labels_of(Status)
    rows = queries.areas(lg).values_list(
        "code",
        "name",
        "st",
        "declared_on",
        "decree_number",
        "task_force_decree",
        "task_force_chair",
        "task_force_members",
    )
    nothing: set[str] = set()
    for code, name, status, declared_on, decree, task_force, chair, members in rows:
        done = ov.done.get(code, nothing)
        yield [
            code,
            name,
            names.get(code[:8], ""),
            labels[status],
            declared_on,
            decree or "",
            task_force or "",
            chair or "",
            members,
            *(yes if item in done else no for item in codes),
        ]
