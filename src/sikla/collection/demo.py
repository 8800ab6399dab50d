"""Plausible indicator data for the demo: two evaluation years of Kota Kupang, written through
the real actions (so values, evidence, workflow and audit trail look like real use).

The numbers are invented but shaped like real ones (coverage in the 80–98 % range, stunting
around 15–25 %, child marriage a few percent) and reproducible (a fixed seed).
"""

import io
import random
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from . import actions
from .entry import grid_cells
from .models import PeriodStatus, SubmissionStatus
from .queries import entry_rows

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Lower-is-better indicators and their plausible ranges; everything else is a coverage.
RATES = {7: (0.02, 0.07), 12: (0.12, 0.26)}


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (11, 92, 173)).save(buffer, format="PNG")
    return buffer.getvalue()


def plausible_values(submission, rows, rng: random.Random) -> dict:
    indicator = submission.indicator
    values = {}
    for cell in grid_cells(indicator, rows):
        if indicator.measure_type == "percentage":
            low, high = RATES.get(indicator.number, (0.78, 0.98))
            denominator = (
                rng.randint(120, 2400) if cell[0].count(".") > 1 else rng.randint(4000, 30000)
            )
            numerator = round(denominator * rng.uniform(low, high))
            values[cell] = (Decimal(numerator), Decimal(denominator), None)
        elif indicator.measure_type == "count":
            values[cell] = (None, None, Decimal(rng.randint(2, 14)))
        else:
            values[cell] = (None, None, Decimal(1 if rng.random() < 0.85 else 0))
    return values


def _author(submission, operators, secretariat):
    """The Dinkes operator enters what Dinkes leads; the secretariat the rest."""
    lead = submission.lead_agency_id
    return next((u for u in operators if u.agency_id == lead), secretariat)


def load_demo_collection(*, lg, admin, secretariat, operators, years=(2026, 2027)) -> None:
    rng = random.Random(53_71)  # noqa: S311 - demo figures, not security
    previous_year, current_year = years
    if not lg.periods.filter(year=previous_year).exists():
        period = actions.open_period(
            actor=admin,
            local_government=lg,
            year=previous_year,
            input_deadline=date(previous_year, 3, 31),
            review_deadline=date(previous_year, 4, 30),
        )
        actions.confirm_assignments(period, actor=secretariat)
        for submission in period.submissions.select_related("indicator", "lead_agency"):
            _complete(
                submission, lg, rng, operators, secretariat, admin, final=SubmissionStatus.APPROVED
            )
        actions.set_period_status(period, actor=secretariat, status=PeriodStatus.CLOSED)
        actions.set_period_status(period, actor=secretariat, status=PeriodStatus.LOCKED)

    period = lg.periods.filter(year=current_year).first()
    if period is None or period.submissions.filter(version__gt=1).exists():
        return
    actions.confirm_assignments(period, actor=secretariat)
    # Every workflow state: approved, submitted, returned, a draft half filled, untouched drafts.
    plan = {n: SubmissionStatus.APPROVED for n in (1, 2, 4, 11, 13)}
    plan |= {n: SubmissionStatus.SUBMITTED for n in (3, 12, 14, 18)}
    plan |= {n: SubmissionStatus.RETURNED for n in (5, 15)}
    plan |= {n: SubmissionStatus.DRAFT for n in (6, 17)}
    for submission in period.submissions.select_related("indicator", "lead_agency"):
        final = plan.get(submission.indicator.number)
        if final is not None:
            _complete(submission, lg, rng, operators, secretariat, admin, final=final)


def _complete(submission, lg, rng, operators, secretariat, admin, *, final) -> None:
    author = _author(submission, operators, secretariat)
    rows = entry_rows(submission.indicator, lg)
    values = plausible_values(submission, rows, rng)
    if final == SubmissionStatus.DRAFT:  # half filled: what an agency leaves mid-way
        values = dict(list(values.items())[: max(1, len(values) // 2)])
    actions.save_values(
        submission,
        actor=author,
        values=values,
        narrative="Data dihimpun dari register perangkat daerah dan diverifikasi per kecamatan.",
        expected_version=submission.version,
    )
    if submission.indicator.number % 3 != 0:
        actions.upload_evidence(
            submission,
            actor=author,
            upload=SimpleUploadedFile(
                "bukti.pdf",
                PDF + f"% indikator {submission.indicator.number}".encode(),
            ),
            title=f"Laporan indikator {submission.indicator.number}",
            kind="report",
            document_date=date(submission.period.data_year, 12, 20),
        )
    if submission.indicator.number in (10, 11):
        actions.upload_evidence(
            submission,
            actor=author,
            upload=SimpleUploadedFile("foto.png", _png()),
            title="Foto kegiatan",
            kind="photo",
        )
    if final == SubmissionStatus.DRAFT:
        return
    actions.submit_submission(submission, actor=author)
    reviewer = admin if author == secretariat else secretariat
    if final == SubmissionStatus.APPROVED:
        actions.approve_submission(submission, actor=reviewer)
    elif final == SubmissionStatus.RETURNED:
        actions.return_submission(
            submission,
            actor=reviewer,
            comment="Angka kecamatan Alak berbeda dengan register; mohon dicek ulang.",
        )
