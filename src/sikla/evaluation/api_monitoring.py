"""Monitoring for provinces and the nation: the season's roll-up per kab/kota and where points are
lost per indicator. The same reads as the roll-up page and its map (`rollup.rollup`,
`monitoring`), scoped by the access rule: a provincial evaluator's calls answer their province,
another province answers 404."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Path, Query, Router, Schema

from sikla.accounts.rules import Perm, has_role_perm
from sikla.core.api_schemas import Category, DecimalText, PageOut, paged, responses
from sikla.core.validation import PageIn

from . import losses, monitoring, rollup
from .models import Stage

router = Router(tags=["pemantauan"])

YEAR = Path(..., ge=2000, le=2100, description="Tahun evaluasi")
PROVINCE = Query(
    "",
    max_length=2,
    description="Kode provinsi (53); kosong = seluruh cakupan pemanggil",
    pattern=r"^(\d{2})?$",
)


class MonitoringItem(Schema):
    code: str = Field(..., description="Kode kabupaten/kota (Kepmendagri), 53.71")
    name: str
    province: str = Field(..., description="Kode provinsi, 53")
    stage: Stage | Literal[""] = Field(
        ..., description='Tahap evaluasi tahun ini; "" = belum mulai'
    )
    self_score: DecimalText | None = Field(..., description="Nilai penilaian mandiri (0–1000)")
    verified_score: DecimalText | None = Field(
        ..., description="Nilai tahap verifikasi terjauh yang selesai"
    )
    category: Category = Field(
        ..., description='Kategori yang ditetapkan terakhir; "" = belum pernah'
    )
    category_year: int | None = Field(..., description="Tahun penetapan kategori itu")
    change: DecimalText | None = Field(..., description="Perubahan nilai dari tahun lalu")


class MonitoringOut(PageOut):
    year: int
    province: str
    items: list[MonitoringItem]


class BehindOut(Schema):
    code: str
    name: str
    share: DecimalText = Field(..., description="Bagian dari nilai maksimum indikator, 0–1")


class IndicatorShareOut(Schema):
    number: int
    name: str
    cluster: int
    max_points: DecimalText
    evaluations: int = Field(..., description="Kabupaten/kota yang punya nilai untuk indikator ini")
    average_share: DecimalText | None = Field(
        ..., description="Rata-rata bagian dari nilai maksimum, 0–1 (empat desimal)"
    )
    distribution: list[int] = Field(
        ...,
        description="Jumlah kabupaten/kota per seperempat nilai maksimum: <25%, <50%, <75%, ≥75%",
    )
    furthest_behind: BehindOut | None
    holding_back: int = Field(
        ...,
        description="Kabupaten/kota yang kehilangan poin terbanyak (tiga terbesar) di indikator ini",
    )


class IndicatorSharesOut(PageOut):
    year: int
    province: str
    items: list[IndicatorShareOut]


def _province(request, asked: str) -> str:
    if not has_role_perm(request.user, Perm.VIEW_EVALUATION):
        raise PermissionDenied
    return monitoring.province_for(request.user, asked)


@router.get(
    "/monitoring/{year}",
    response=responses(MonitoringOut),
    url_name="monitoring",
    summary="Rekap musim evaluasi per kabupaten/kota dalam cakupan pemanggil",
)
def season(request, page: Query[PageIn], year: int = YEAR, province: str = PROVINCE):
    province = _province(request, province)
    rows = rollup.rollup(request.user, year=year, province=province)
    return {"year": year, "province": province, **paged(rows, page, _monitoring_item)}


def _monitoring_item(row) -> dict:
    r = rollup.RollupRow.of(row)
    return {
        "code": r.code,
        "name": r.name,
        "province": r.code[:2],
        "stage": r.stage,
        "self_score": r.self_total,
        "verified_score": r.verified_total,
        "category": r.determined,
        "category_year": r.determined_year,
        "change": r.change,
    }


@router.get(
    "/monitoring/{year}/indicators",
    response=responses(IndicatorSharesOut),
    url_name="monitoring_indicators",
    summary="Per indikator: rata-rata capaian nilai, sebaran, dan kabupaten/kota paling tertinggal",
)
def indicators(request, page: Query[PageIn], year: int = YEAR, province: str = PROVINCE):
    province = _province(request, province)
    found = losses.kept(request.user, year, province).indicators
    return {"year": year, "province": province, **paged(found, page)}
