"""API of the action plan (RAD KLA): the plan of a local government with its programmes,
targets, budgets and realisation; a quarterly progress report of a programme. Same access and
actions as the pages: another local government answers 404, a role without the right 403."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from sikla.accounts.rules import Perm
from sikla.core.api_schemas import ERROR_CODES, DecimalText, ErrorOut, invalid, responses
from sikla.organisations.access import get_local_government_for_user

from .actions import plan as actions
from .models.plan import FundingSource, PlanStatus, ProgressStatus
from .queries import plan as queries

router = Router(tags=["koordinasi: rencana aksi"])


class MoneyOut(Schema):
    planned: DecimalText
    realised: DecimalText
    realisation_pct: DecimalText | None = Field(None, description="Realisasi ÷ pagu × 100")


class YearOut(MoneyOut):
    year: int
    apbd_planned: DecimalText = Field(..., description="Pagu program bersumber APBD")
    apbd_realised: DecimalText
    total_apbd: DecimalText | None = Field(None, description="Total APBD; null = belum diisi")
    planned_share: DecimalText | None = Field(
        None, description="Pagu APBD program ÷ total APBD × 100"
    )
    realised_share: DecimalText | None


class AgencyRef(Schema):
    uid: UUID
    abbreviation: str
    name: str


class TargetOut(Schema):
    year: int
    output_target: DecimalText
    unit: str
    outcome_target: str


class BudgetOut(Schema):
    year: int
    source: FundingSource
    planned: DecimalText
    realised: DecimalText
    over_realised: bool


class ProgressOut(Schema):
    uid: UUID
    year: int
    quarter: int
    output_achieved: DecimalText
    realisation: DecimalText
    narrative: str
    status: ProgressStatus
    has_file: bool
    updated_at: datetime


class ProgrammeOut(Schema):
    uid: UUID
    code: str
    name: str
    lead_agency: AgencyRef
    indicators: list[int]
    output_target: str
    outcome_target: str
    unit: str
    total: MoneyOut
    targets: list[TargetOut]
    budgets: list[BudgetOut]
    progress: list[ProgressOut]


class PlanOut(Schema):
    uid: UUID
    title: str
    status: PlanStatus
    start_year: int
    end_year: int
    decree_number: str
    decree_date: date | None
    total: MoneyOut
    years: list[YearOut]
    programmes: list[ProgrammeOut]


class PlanQuery(Schema):
    plan: UUID | None = Field(None, description="uid sebuah RAD; tanpa ini, RAD yang berlaku")


class ProgressIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    quarter: int = Field(..., ge=1, le=4)
    output_achieved: DecimalText = Field(
        ..., ge=0, max_digits=14, decimal_places=2, description="Capaian keluaran, kumulatif"
    )
    realisation: DecimalText = Field(
        ..., ge=0, max_digits=18, decimal_places=2, description="Realisasi (Rp), kumulatif"
    )
    narrative: str = Field(..., min_length=1, max_length=5000)


def _money(m: queries.Money) -> dict:
    return {"planned": m.planned, "realised": m.realised, "realisation_pct": m.pct}


def _progress(r) -> dict:
    return {
        "uid": r.uid,
        "year": r.year,
        "quarter": r.quarter,
        "output_achieved": r.output_achieved,
        "realisation": r.realisation,
        "narrative": r.narrative,
        "status": r.status,
        "has_file": bool(r.file),
        "updated_at": r.updated_at,
    }


def _unprocessable(exc: ValidationError):
    if not hasattr(exc, "error_dict"):
        return Status(422, {"detail": " ".join(exc.messages)})
    return invalid(exc.message_dict)


@router.get(
    "/local-governments/{code}/plan",
    response=responses(PlanOut),
    url_name="plan",
    summary="RAD KLA: program, target, anggaran, realisasi dan porsi APBD",
)
def plan(request, code: str, filters: Query[PlanQuery]):
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_PLANNING)
    plans = list(queries.plans_of(lg))
    if filters.plan is not None:
        chosen = next((p for p in plans if p.uid == filters.plan), None)
    else:
        chosen = queries.current_plan(lg, timezone.localdate().year, plans)
    if chosen is None:
        raise Http404
    programmes = list(
        chosen.programmes.select_related("lead_agency")
        .prefetch_related("indicators", "targets", "budgets", "progress_reports")
        .order_by("code", "name", "id")
    )
    budgets = [
        (b.programme_id, b.year, b.source, b.planned, b.realised)
        for p in programmes
        for b in p.budgets.all()
    ]
    apbd = dict(chosen.plan_years.values_list("year", "total_apbd"))
    summary = queries.summarise(chosen, programmes, budgets, apbd)
    return {
        "uid": chosen.uid,
        "title": chosen.title,
        "status": chosen.status,
        "start_year": chosen.start_year,
        "end_year": chosen.end_year,
        "decree_number": chosen.decree_number,
        "decree_date": chosen.decree_date,
        "total": _money(summary.total),
        "years": [
            {
                "year": y.year,
                **_money(y.money),
                "apbd_planned": y.apbd.planned,
                "apbd_realised": y.apbd.realised,
                "total_apbd": y.total_apbd,
                "planned_share": y.planned_share,
                "realised_share": y.realised_share,
            }
            for y in summary.years
        ],
        "programmes": [
            {
                "uid": row.programme.uid,
                "code": row.programme.code,
                "name": row.programme.name,
                "lead_agency": {
                    "uid": row.programme.lead_agency.uid,
                    "abbreviation": row.programme.lead_agency.abbreviation,
                    "name": row.programme.lead_agency.name,
                },
                "indicators": [i.number for i in row.indicators],
                "output_target": row.programme.output_target,
                "outcome_target": row.programme.outcome_target,
                "unit": row.programme.unit,
                "total": _money(row.total),
                "targets": [
                    {
                        "year": t.year,
                        "output_target": t.output_target,
                        "unit": t.unit,
                        "outcome_target": t.outcome_target,
                    }
                    for t in sorted(row.programme.targets.all(), key=lambda t: t.year)
                ],
                "budgets": [
                    {
                        "year": b.year,
                        "source": b.source,
                        "planned": b.planned,
                        "realised": b.realised,
                        "over_realised": b.over_realised,
                    }
                    for b in sorted(row.programme.budgets.all(), key=lambda b: (b.year, b.source))
                ],
                "progress": [
                    _progress(r)
                    for r in sorted(
                        row.programme.progress_reports.all(), key=lambda r: (r.year, r.quarter)
                    )
                ],
            }
            for row in summary.programmes
        ],
    }


@router.post(
    "/programmes/{uid}/progress",
    response={201: ProgressOut, 200: ProgressOut, ERROR_CODES: ErrorOut},
    url_name="programme_progress",
    summary="Laporkan progres triwulanan (201 baru; 200 memperbaiki laporan yang belum diterima)",
)
def programme_progress(request, uid: UUID, payload: ProgressIn):
    """Figures are cumulative from the start of the year. The secretariat reports for any
    programme, an agency operator only for the programmes their agency leads (else 403). Evidence
    files are uploaded on the programme page."""
    programme = queries.get_programme_by_uid(request.user, uid, perm=Perm.REPORT_PROGRESS)
    try:
        report, created = actions.report_progress(
            programme,
            actor=request.user,
            year=payload.year,
            quarter=payload.quarter,
            output_achieved=payload.output_achieved,
            realisation=payload.realisation,
            narrative=payload.narrative,
        )
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(201 if created else 200, _progress(report))
