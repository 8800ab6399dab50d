"""Child-friendly villages and districts: the status list, the shares that answer indicator 2
(questions 2.4–2.6), and setting an area's status. Same access and actions as the pages."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from sikla.core.api_schemas import DecimalText, PageOut, invalid, paged, responses
from sikla.core.validation import PageIn, SaneDate
from sikla.regions.models import Level

from . import actions, queries
from .access import get_area_for_user, get_villages_lg_for_user
from .models import ChecklistItem
from .models import Status as AreaStatus

router = Router(tags=["desa/kelurahan layak anak"])


class ChecklistAnswerOut(Schema):
    done: bool
    note: str
    has_evidence: bool


class ChecklistOut(Schema):
    year: int
    items: dict[str, ChecklistAnswerOut] = Field(
        ..., description="butir → jawaban; butir: " + ", ".join(ChecklistItem.values)
    )


class VillageTaskForceOut(Schema):
    decree_number: str
    chair_name: str
    member_count: int | None


class AreaOut(Schema):
    code: str
    name: str
    level: str = Field(..., description='"village" (desa/kelurahan) atau "district" (kecamatan)')
    district: str = Field(..., description="kode kecamatan")
    status: AreaStatus
    declared_on: date | None
    decree_number: str
    task_force: VillageTaskForceOut
    checklist: ChecklistOut | None = Field(..., description="daftar periksa tahun terakhir")


class AreaListOut(PageOut):
    items: list[AreaOut]


class AreaFilterIn(PageIn):
    status: AreaStatus | None = None
    district: str = Field("", description="kode kecamatan, mis. 53.71.04")
    level: str = Field("village", pattern="^(village|district)$")


class SharesIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="tahun data; bawaan tahun ini")


class SharesOut(Schema):
    local_government: str
    year: int
    declared_villages: int
    total_villages: int
    pct_villages_declared: DecimalText
    villages_with_patbm: int
    pct_patbm: DecimalText
    declared_districts: int
    total_districts: int
    pct_districts_declared: DecimalText
    questions: dict[str, DecimalText] = Field(
        ..., description="kode pertanyaan indikator 2 → nilai persentase yang dijawabnya"
    )


class StatusIn(Schema):
    status: AreaStatus
    declared_on: SaneDate | None = None
    decree_number: str = Field("", max_length=120)
    task_force_decree: str = Field("", max_length=120)
    task_force_chair: str = Field("", max_length=150)
    task_force_members: int | None = Field(None, ge=0, le=999)
    note: str = Field("", max_length=2000)


def _row(region, checklist) -> dict:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "district": region.code[:8],
        "status": region.st,
        "declared_on": region.declared_on,
        "decree_number": region.decree_number or "",
        "task_force": {
            "decree_number": region.task_force_decree or "",
            "chair_name": region.task_force_chair or "",
            "member_count": region.task_force_members,
        },
        "checklist": None
        if checklist is None
        else {
            "year": checklist.year,
            "items": {
                a.item: {"done": a.done, "note": a.note, "has_evidence": bool(a.evidence)}
                for a in checklist.answers.all()
            },
        },
    }


def _rows(regions) -> list[dict]:
    latest = queries.latest_checklists([r.status_id for r in regions if r.status_id])
    return [_row(r, latest.get(r.status_id)) for r in regions]


@router.get(
    "/local-governments/{code}/villages",
    response=responses(AreaListOut),
    url_name="villages",
    summary="Status layak anak desa/kelurahan (atau kecamatan) dengan daftar periksa terakhir",
)
def village_list(request, code: str, filters: Query[AreaFilterIn]):
    lg = get_villages_lg_for_user(request.user, code)
    rows = queries.areas(
        lg,
        queries.AreaFilter(
            level=Level(filters.level),
            district=filters.district,
            status=filters.status or "",
        ),
    )
    page = paged(rows, filters)
    return {**page, "items": _rows(page["items"])}


@router.get(
    "/local-governments/{code}/villages/shares",
    response=responses(SharesOut),
    url_name="village_shares",
    summary="Persentase DeKeLA, DeKeLA dengan PATBM, dan KELANA (indikator 2, pertanyaan 2.4–2.6)",
)
def village_shares(request, code: str, params: Query[SharesIn]):
    lg = get_villages_lg_for_user(request.user, code)
    year = params.year or timezone.localdate().year
    share = queries.shares(lg, year)
    return {
        "local_government": lg.code,
        "year": year,
        **share,
        "questions": dict(queries.question_values(share)),
    }


@router.put(
    "/local-governments/{code}/villages/{region_code}",
    response=responses(AreaOut),
    url_name="village_update",
    summary="Tetapkan status layak anak satu desa/kelurahan atau kecamatan",
)
def village_update(request, code: str, region_code: str, payload: StatusIn):
    lg, region = get_area_for_user(request.user, code, region_code, write=True)
    try:
        actions.set_status(actor=request.user, local_government=lg, region=region, **payload.dict())
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            return Status(422, {"detail": " ".join(exc.messages)})
        return invalid(exc.message_dict)
    area = queries.areas(lg, queries.AreaFilter(level=region.level)).get(code=region.code)
    return _rows([area])[0]
