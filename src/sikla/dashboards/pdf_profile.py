"""The children's profile as an A4 PDF: the local government's letterhead (the evaluation
report's), one table per section, and the source of every section. Pure: plain data in,
bytes out.

The letterhead, table, style and footer helpers are the evaluation report's
(`sikla.evaluation.reports`), so both documents look alike; they read only the
`local_government`, `letterhead` and `logo` attributes, which `profile.Profile` carries.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.text import slugify
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer

from sikla.core import numbers
from sikla.core.localtime import zone_of
from sikla.evaluation.reports import (
    NumberedCanvas,
    pdf_document,
    pdf_footer,
    pdf_letterhead,
    pdf_styles,
    pdf_table,
)

from .models import AGE_GROUPS, SEXES
from .profile import Profile

TITLE = "Profil Anak"
DASH = "—"
UNAVAILABLE = "belum tersedia"


def id_int(n: int | Decimal | str) -> str:
    """117234 → "117.234"; a hidden count ("x") stays as it is (`core.numbers.count`)."""
    return numbers.count(n)


def id_pct(value: Decimal | None) -> str:
    return UNAVAILABLE if value is None else numbers.percent(value)


def file_name(profile: Profile) -> str:
    return f"profil-anak-{slugify(profile.local_government)}-{profile.year}.pdf"


def build_pdf(profile: Profile) -> bytes:
    st = pdf_styles()
    buffer = io.BytesIO()
    doc = pdf_document(buffer, title=TITLE, subject=f"{profile.local_government} · {profile.year}")
    width = doc.width
    p = lambda text, style="body": Paragraph(escape(text), st[style])  # noqa: E731

    def source(text: str) -> Paragraph:
        return Paragraph(f"<i>Sumber data: {escape(text)}</i>", st["cell"])

    story: list[Flowable] = pdf_letterhead(profile, st, width)
    story += [
        p(f"{TITLE} {profile.local_government}", "title"),
        p(f"{profile.local_government} ({profile.code}), Provinsi {profile.province}", "center"),
        p(f"Tahun data {profile.year}", "center"),
        p(
            f"Dibuat {timezone.localtime(profile.generated_at, zone_of(profile.code)):%d-%m-%Y %H:%M %Z}",
            "center",
        ),
        Spacer(1, 0.4 * cm),
    ]

    pop = profile.population
    story.append(p("1. Jumlah anak", "h2"))
    if pop.entered:
        story.append(p(f"Jumlah anak usia 0–17 tahun: {id_int(pop.total)}"))
        keys = [(str(s), str(a)) for s in SEXES for a in AGE_GROUPS]
        header = [
            "Kecamatan",
            *(f"{s} {a}" for s, a in keys),
            "Jumlah",
        ]
        rows = [
            [d.name, *(id_int(d.cells[k]) for k in keys), id_int(d.total)] for d in pop.districts
        ]
        rows.append(["Jumlah", *(id_int(pop.by_sex_age[k]) for k in keys), id_int(pop.total)])
        first = 3.6 * cm
        rest = (width - first) / (len(keys) + 1)
        story.append(
            pdf_table(header, rows, [first, *[rest] * (len(keys) + 1)], st, right=range(1, 8))
        )
        story.append(Spacer(1, 0.2 * cm))
        rows = [
            [
                str(a.label),
                *(id_int(pop.by_sex_age[(str(s), str(a))]) for s in SEXES),
                id_int(pop.by_age[str(a)]),
            ]
            for a in AGE_GROUPS
        ]
        rows.append(["Jumlah", *(id_int(pop.by_sex[str(s)]) for s in SEXES), id_int(pop.total)])
        header = ["Kelompok umur", *(str(s.label) for s in SEXES), "Jumlah"]
        story.append(
            pdf_table(header, rows, [5 * cm, 3.5 * cm, 3.5 * cm, 3.5 * cm], st, right=[1, 2, 3])
        )
        story.append(source(pop.source))
    else:
        story.append(p(f"Jumlah anak tahun {profile.year}: {UNAVAILABLE}."))

    story.append(p("2. Hak sipil, pendidikan dan kesehatan", "h2"))
    rows = [
        [
            str(i.number),
            i.name,
            id_pct(i.value),
            DASH if i.value is None else f"{id_int(i.numerator)} / {id_int(i.denominator)}",
            i.status or ("makin rendah makin baik" if i.lower_is_better else ""),
        ]
        for i in profile.indicators
    ]
    widths = [1 * cm, 6 * cm, 2.6 * cm, 3.4 * cm, width - 13 * cm]
    story.append(
        pdf_table(
            ["No", "Indikator", "Nilai", "Pembilang / penyebut", "Keterangan"],
            rows,
            widths,
            st,
            right=[0, 2, 3],
        )
    )
    for i in profile.indicators:
        story.append(source(f"indikator {i.number}: {i.source}"))

    pr = profile.protection
    story.append(p("3. Anak korban kekerasan", "h2"))
    if not pr.published:
        story.append(p(f"Angka tahun {profile.year} diterbitkan setelah tahunnya berakhir."))
    else:
        story.append(
            p(
                f"{id_int(pr.total_victims)} anak korban dalam {id_int(pr.total_cases)} kasus; "
                f"{id_int(pr.served)} anak terlayani."
            )
        )
    if pr.published:
        if pr.by_type:
            rows = [[label, id_int(n)] for _code, label, n in pr.by_type]
            story.append(
                pdf_table(["Jenis kasus", "Jumlah anak"], rows, [9 * cm, 3 * cm], st, right=[1])
            )
            story.append(Spacer(1, 0.2 * cm))
        ages = [*(str(a) for a in AGE_GROUPS), ""]
        sexes = [*(str(s) for s in SEXES), ""]
        age_names = {**{str(a): str(a.label) for a in AGE_GROUPS}, "": "Tidak dicatat"}
        sex_names = {**{str(s): str(s.label) for s in SEXES}, "": "Tidak dicatat"}
        rows = [
            [
                sex_names[s],
                *(id_int(pr.by_sex_age.get((s, a), 0)) for a in ages),
                id_int(pr.by_sex.get(s, 0)),
            ]
            for s in sexes
        ]
        rest = (width - 3.6 * cm) / (len(ages) + 1)
        story.append(
            pdf_table(
                ["Jenis kelamin", *(age_names[a] for a in ages), "Jumlah"],
                rows,
                [3.6 * cm, *[rest] * (len(ages) + 1)],
                st,
                right=range(1, len(ages) + 2),
            )
        )
        story.append(Spacer(1, 0.2 * cm))
        rows = [[name, id_int(n)] for _code, name, n in pr.by_district]
        story.append(pdf_table(["Kecamatan", "Jumlah anak"], rows, [9 * cm, 3 * cm], st, right=[1]))
    story.append(source(pr.source + "; tanpa nama atau identitas, tanpa angka per kelurahan"))

    v = profile.villages
    story.append(p("4. Desa/kelurahan dan kecamatan layak anak", "h2"))
    rows = [
        [
            "Desa/kelurahan layak anak (DeKeLA)",
            f"{v.declared_villages} dari {v.total_villages}",
            id_pct(v.pct_villages),
        ],
        ["DeKeLA dengan PATBM", str(v.villages_with_patbm), ""],
        [
            "Kecamatan layak anak (KELANA)",
            f"{v.declared_districts} dari {v.total_districts}",
            id_pct(v.pct_districts),
        ],
    ]
    story.append(
        pdf_table(["Ukuran", "Jumlah", "%"], rows, [8 * cm, 4 * cm, 3 * cm], st, right=[1, 2])
    )
    story.append(source(v.source))

    f = profile.forums
    story.append(p("5. Forum Anak", "h2"))
    rows = [
        ["Forum Anak kabupaten/kota", "ada" if f.regency_forum else "belum ada"],
        ["Kecamatan dengan Forum Anak", f"{f.districts_with_forum} dari {f.districts_total}"],
        ["Desa/kelurahan dengan Forum Anak", f"{f.villages_with_forum} dari {f.villages_total}"],
        ["Anggota Forum Anak aktif", id_int(f.members)],
    ]
    story.append(pdf_table(["Ukuran", "Jumlah"], rows, [8 * cm, 4 * cm], st, right=[1]))
    story.append(source(f.source))

    story.append(p("Sumber data", "h2"))
    rows = [[section, text] for section, text in profile.sources]
    story.append(pdf_table(["Bagian", "Sumber"], rows, [5 * cm, width - 5 * cm], st))
    doc.build(story, onFirstPage=pdf_footer, onLaterPages=pdf_footer, canvasmaker=NumberedCanvas)
    return buffer.getvalue()
