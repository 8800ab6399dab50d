"""Demo child-friendly villages of Kota Kupang, written through the real actions by the
secretariat: 9 of the 51 kelurahan declared (5 of them with PATBM in the checklist of the data
year), a few more initiated, and Kecamatan Oebobo declared KELANA. Idempotent: the actions write
nothing when the values are already there.
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sikla.regions.models import Region

from . import actions
from .models import ChecklistItem, Status

PDF = b"%PDF-1.4\n% SIKLA contoh bukti dukung\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# kelurahan code, declaration date, PATBM active in the data year
DECLARED = [
    ("53.71.04.1001", date(2023, 7, 23), True),  # Oebobo
    ("53.71.04.1008", date(2023, 7, 23), True),  # Oetete
    ("53.71.04.1009", date(2024, 7, 23), True),  # Oebufu
    ("53.71.04.1010", date(2024, 7, 23), False),  # Liliba
    ("53.71.01.1001", date(2024, 11, 20), True),  # Namosain
    ("53.71.02.1001", date(2024, 11, 20), False),  # Oepura
    ("53.71.03.1010", date(2025, 7, 23), True),  # Oesapa
    ("53.71.05.1006", date(2025, 7, 23), False),  # Kuanino
    ("53.71.06.1001", date(2025, 11, 20), False),  # Airmata
]
INITIATED = ["53.71.04.1011", "53.71.04.1013", "53.71.02.1003", "53.71.06.1007"]
KELANA = ("53.71.04", date(2025, 7, 23))  # Kecamatan Oebobo

# Items every declared kelurahan has; the rest vary by the row's position.
BASE_ITEMS = {ChecklistItem.CHILD_PROFILE, ChecklistItem.CHILD_FORUM, ChecklistItem.SMOKE_FREE}
VARYING = [
    ChecklistItem.FAMILY_CONSULTATION,
    ChecklistItem.READING_CORNER,
    ChecklistItem.PLAYGROUND,
    ChecklistItem.NO_CHILD_MARRIAGE,
]


def _answers(index: int, patbm: bool) -> dict:
    done = set(BASE_ITEMS) | {item for n, item in enumerate(VARYING) if (index + n) % 3 != 0}
    if patbm:
        done.add(ChecklistItem.PATBM)
    notes = {
        ChecklistItem.PATBM: "Aktivis PATBM dilatih DP3A" if patbm else "Belum terbentuk",
        ChecklistItem.CHILD_FORUM: "Forum Anak kelurahan aktif bertemu bulanan",
    }
    return {item: (item in done, notes.get(item, "")) for item in ChecklistItem.values}


def load_demo_villages(*, lg, admin, secretariat, years: tuple[int, ...] | None = None) -> None:
    """Statuses, task forces and checklists (the data year and the year before) for Kupang.
    `admin` is accepted for the demo command's common signature; the secretariat acts."""
    this_year = timezone.localdate().year
    years = tuple(y for y in (years or (this_year - 1, this_year)) if y <= this_year)
    regions = {
        r.code: r
        for r in Region.objects.filter(
            code__in=[c for c, _d, _p in DECLARED] + INITIATED + [KELANA[0]]
        )
    }
    for index, (code, declared_on, patbm) in enumerate(DECLARED):
        region = regions.get(code)
        if region is None or not code.startswith(lg.code + "."):
            continue
        actions.set_status(
            actor=secretariat,
            local_government=lg,
            region=region,
            status=Status.DECLARED,
            declared_on=declared_on,
            decree_number=f"{index + 1:02d}/KEP/LRH/{declared_on.year}",
            task_force_decree=f"{index + 1:02d}/KEP/GT-KLA/{declared_on.year}",
            task_force_chair=f"Lurah {region.name}",
            task_force_members=12 + index,
        )
        for year in years:
            actions.save_checklist(
                actor=secretariat,
                local_government=lg,
                region=region,
                year=year,
                answers=_answers(index + year, patbm),
            )
        if patbm and years:
            actions.upload_evidence(
                actor=secretariat,
                local_government=lg,
                region=region,
                year=years[-1],
                item=ChecklistItem.PATBM,
                upload=SimpleUploadedFile("sk-patbm.pdf", PDF, content_type="application/pdf"),
            )
    for code in INITIATED:
        region = regions.get(code)
        if region is None or not code.startswith(lg.code + "."):
            continue
        actions.set_status(
            actor=secretariat,
            local_government=lg,
            region=region,
            status=Status.INITIATED,
            task_force_chair=f"Lurah {region.name}",
        )
    district = regions.get(KELANA[0])
    if district is not None and district.code.startswith(lg.code + "."):
        actions.set_status(
            actor=secretariat,
            local_government=lg,
            region=district,
            status=Status.DECLARED,
            declared_on=KELANA[1],
            decree_number="12/KEP/KEC-OEBOBO/2025",
            task_force_decree="11/KEP/KEC-OEBOBO/2025",
            task_force_chair="Camat Oebobo",
            task_force_members=21,
        )
