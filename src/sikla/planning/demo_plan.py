"""The demo action plan of Kota Kupang (RAD KLA 2025–2029), written through the real actions.

Programmes address the indicators that lose most points in the 2025 demo self-assessment
(2 institutionalisation, 1 Perda KLA, 21 child victims served, 12 nutrition, 7 child marriage,
23 disability), plus child-friendly health centres; indicator 5 (child-friendly information)
is deliberately left without a programme, so the gap analysis shows "Belum ada program".
Budgets for 2025–2026 (one DAK line realised above its ceiling, to show the flag), the city's
total APBD for both years, and quarterly reports up to the last quarter that has started.
Figures are plausible, not official. Idempotent: nothing happens once the plan exists.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from sikla.accounts.models import Role
from sikla.indicators.queries import active_catalog

from .actions import plan as actions
from .models.plan import FundingSource

TITLE = "RAD KLA Kota Kupang 2025–2029"
M = Decimal(1_000_000)

# The city's total APBD spending per year (demo figures).
TOTAL_APBD = {2025: Decimal("1286540000000"), 2026: Decimal("1312000000000")}

# code, name, lead agency (first found), indicators, unit, yearly targets 2025–2029,
# budgets {year: [(source, planned, realised)]} in millions of Rupiah
PROGRAMMES = [
    (
        "2.08.01",
        "Penyusunan Perda KLA dan peraturan pelaksanaannya",
        ["DP3A"],
        [1],
        "dokumen",
        [1, 1, 1, 1, 1],
        {2025: [("apbd", 150, 142.5)], 2026: [("apbd", 175, 60)]},
    ),
    (
        "2.08.02",
        "Penguatan Gugus Tugas KLA dan penyusunan Profil Anak tahunan",
        ["Bappeda", "DP3A"],
        [2],
        "dokumen",
        [1, 1, 1, 1, 1],
        {2025: [("apbd", 250, 231)], 2026: [("apbd", 275, 120)]},
    ),
    (
        "2.08.03",
        "Pengembangan Kelurahan Layak Anak (DeKeLA) dan PATBM",
        ["DP3A"],
        [2, 6],
        "kelurahan",
        [10, 20, 30, 40, 51],
        {2025: [("apbd", 400, 380), ("csr", 100, 100)], 2026: [("apbd", 450, 210)]},
    ),
    (
        "2.08.04",
        "Pencegahan perkawinan anak melalui PUSPAGA dan bimbingan remaja",
        ["DP3A"],
        [7, 8],
        "remaja",
        [1500, 2000, 2500, 3000, 3500],
        {2025: [("apbd", 300, 265), ("apbn", 120, 120)], 2026: [("apbd", 320, 150)]},
    ),
    (
        "1.02.01",
        "Percepatan penurunan stunting: intervensi gizi spesifik balita",
        ["Dinkes"],
        [12, 13],
        "balita",
        [8000, 8500, 9000, 9500, 10000],
        {
            2025: [("apbd", 1200, 1150), ("dak", 850, 870)],
            2026: [("apbd", 1350, 640), ("dak", 900, 300)],
        },
    ),
    (
        "1.02.02",
        "Pengembangan Puskesmas Ramah Anak",
        ["Dinkes"],
        [14],
        "puskesmas",
        [4, 6, 8, 10, 11],
        {2025: [("apbd", 180, 171)], 2026: [("apbd", 200, 90)]},
    ),
    (
        "2.08.05",
        "Penguatan layanan UPTD PPA bagi anak korban kekerasan dan eksploitasi",
        ["UPTD PPA", "DP3A"],
        [21, 22],
        "anak terlayani",
        [150, 160, 170, 180, 190],
        {
            2025: [("apbd", 650, 612), ("dak", 420, 401)],
            2026: [("apbd", 700, 330), ("dak", 450, 210)],
        },
    ),
    (
        "1.06.01",
        "Rehabilitasi sosial dan layanan bagi anak penyandang disabilitas",
        ["Dinsos", "DP3A"],
        [23],
        "anak",
        [120, 140, 160, 180, 200],
        {2025: [("apbd", 280, 250)], 2026: [("apbd", 300, 140)]},
    ),
]

# Programmes (by code) with quarterly reports; the share of the year's target and realised
# budget reached by the end of each quarter (cumulative).
REPORTED = {"1.02.01", "2.08.05", "2.08.03"}
SHARE = {1: Decimal("0.2"), 2: Decimal("0.45"), 3: Decimal("0.7"), 4: Decimal("0.95")}
NOTES = {
    1: "Perencanaan dan pengadaan berjalan; kegiatan lapangan mulai di beberapa kelurahan.",
    2: "Kegiatan berjalan sesuai jadwal; koordinasi lintas OPD melalui rapat klaster.",
    3: "Sebagian besar sasaran terlayani; kendala data sasaran di dua kelurahan.",
    4: "Target tahunan hampir tercapai; sisa anggaran dikembalikan ke kas daerah.",
}


def _money(millions) -> Decimal:
    return (Decimal(str(millions)) * M).quantize(Decimal("0.01"))


def load_demo_plan(*, lg, admin, secretariat, operators) -> None:
    if lg.action_plans.filter(title=TITLE).exists():
        return
    catalog = active_catalog()
    indicators = {i.number: i for i in catalog.indicators.all()} if catalog else {}
    agencies = {a.abbreviation: a for a in lg.agencies.filter(is_active=True)}
    plan = actions.create_plan(
        actor=secretariat,
        local_government=lg,
        title=TITLE,
        start_year=2025,
        end_year=2029,
    )
    for year, total in TOTAL_APBD.items():
        actions.set_local_budget(plan, actor=secretariat, year=year, total_apbd=total)
    programmes = {}
    for code, name, leads, numbers, unit, targets, budgets in PROGRAMMES:
        lead = next((agencies[a] for a in leads if a in agencies), None)
        chosen = [indicators[n] for n in numbers if n in indicators]
        if lead is None or not chosen:
            continue
        programme = actions.add_programme(
            plan,
            actor=secretariat,
            code=code,
            name=name,
            lead_agency=lead,
            indicators=chosen,
            unit=unit,
            output_target=f"{targets[-1]} {unit} pada 2029",
            outcome_target="Kontribusi pada kenaikan nilai indikator "
            + ", ".join(str(n) for n in numbers),
        )
        for year, amount in zip(plan.years, targets, strict=True):
            actions.set_target(programme, actor=secretariat, year=year, output_target=amount)
        for year, lines in budgets.items():
            for source, planned, realised in lines:
                actions.set_budget(
                    programme,
                    actor=secretariat,
                    year=year,
                    source=FundingSource(source),
                    planned=_money(planned),
                    realised=_money(realised),
                )
        programmes[code] = (programme, targets, budgets)
    if not programmes:
        return
    actions.adopt_plan(
        plan,
        actor=secretariat,
        decree_number="Peraturan Wali Kota Kupang Nomor 18 Tahun 2025 (contoh)",
        decree_date=date(2025, 4, 14),
    )
    today = timezone.localdate()
    for code in sorted(REPORTED & set(programmes)):
        programme, targets, budgets = programmes[code]
        reporter = next(
            (
                u
                for u in operators
                if u.role == Role.AGENCY_OPERATOR and u.agency_id == programme.lead_agency_id
            ),
            secretariat,
        )
        for year in (2025, 2026):
            target = Decimal(targets[year - 2025])
            realised = sum((_money(r) for _s, _p, r in budgets.get(year, [])), Decimal(0))
            last = 4 if year == 2025 else 3  # 2026's realisation so far is up to its third quarter
            for quarter in (1, 2, 3, 4):
                if actions.quarter_start(year, quarter) > today or (year, quarter) == (2026, 4):
                    break
                report, _created = actions.report_progress(
                    programme,
                    actor=reporter,
                    year=year,
                    quarter=quarter,
                    output_achieved=(target * SHARE[quarter]).quantize(Decimal(1)),
                    realisation=(realised * SHARE[quarter] / SHARE[last]).quantize(Decimal(1)),
                    narrative=NOTES[quarter],
                )
                if (year, quarter) < (2026, 3):
                    actions.accept_progress(report, actor=secretariat)
