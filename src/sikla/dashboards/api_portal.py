"""Public portal API (no login): the participating local governments, and one kab/kota's
portal numbers — the same de-identified figures as `/kla/<code>/` (`portal.py`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from sikla.core import public_cache
from sikla.core.api_schemas import Category, DecimalText, PageOut, paged, responses
from sikla.core.validation import PageIn
from sikla.participation.models import PolicyKind

from . import portal

router = Router(tags=["portal publik"])

Count = int | None  # a count; None when hidden (1–4, or one that would reveal such a count)


class PortalLocalGovernmentOut(Schema):
    code: str
    name: str
    latest_category: Category | None
    latest_year: int | None
    url: str


class PortalListOut(PageOut):
    items: list[PortalLocalGovernmentOut]


class PortalCategoryOut(Schema):
    year: int
    category: Category
    score: DecimalText | None
    decree_number: str
    decree_date: date | None


class HeadlineOut(Schema):
    number: int
    name: str
    direction: str
    year: int | None
    data_year: int | None
    percentage: DecimalText | None
    suppressed: bool


def _count(value) -> int | None:
    return value if isinstance(value, int) else None


class TypeCountOut(Schema):
    type: str
    label: str
    count: Count


class PortalProtectionOut(Schema):
    period: str = Field(..., description="Triwulan terakhir yang sudah berakhir, mis. 2026-T3")
    start: date
    end: date
    victims: Count
    served: Count
    by_type: list[TypeCountOut]


class DeclaredVillageOut(Schema):
    code: str
    name: str
    district: str
    declared_on: date | None


class PortalVillagesOut(Schema):
    declared_villages: int
    total_villages: int
    pct_villages_declared: DecimalText
    villages_with_patbm: int
    pct_patbm: DecimalText
    declared_districts: int
    total_districts: int
    pct_districts_declared: DecimalText
    declared: list[DeclaredVillageOut]


class ConsultationOut(Schema):
    uid: UUID
    title: str
    kind: PolicyKind
    summary: str
    opens_on: date
    closes_on: date
    url: str


class ReportOut(Schema):
    complaint_form_url: str
    sapa_phone: str
    sapa_whatsapp: str


class PortalOut(Schema):
    code: str
    name: str
    as_of: date
    latest_category: Category | None
    category_history: list[PortalCategoryOut]
    indicators: list[HeadlineOut]
    protection: PortalProtectionOut
    villages: PortalVillagesOut
    open_consultations: list[ConsultationOut]
    report: ReportOut


@router.get(
    "/public/local-governments",
    auth=None,
    response=responses(PortalListOut),
    url_name="portal_list",
    summary="Kabupaten/kota peserta KLA dan kategori terakhirnya (tanpa login)",
)
def portal_list(request: HttpRequest, page: Query[PageIn]):
    every = public_cache.get_or_build(
        f"api:portal_list:{request.get_host()}", "", lambda: _portal_list(request)
    )
    return paged(every["items"], page)


def _portal_list(request: HttpRequest) -> dict:
    rows = list(portal.participating())
    return {
        "count": len(rows),
        "items": [
            {
                "code": lg.code,
                "name": lg.region.name,
                "latest_category": lg.latest_category,
                "latest_year": lg.latest_year,
                "url": request.build_absolute_uri(reverse("dashboards:portal", args=[lg.code])),
            }
            for lg in rows
        ],
    }


@router.get(
    "/public/local-governments/{code}/portal",
    auth=None,
    response=responses(PortalOut),
    url_name="portal",
    summary="Portal KLA satu kabupaten/kota: angka tanpa identitas (tanpa login)",
)
def portal_detail(request: HttpRequest, code: str):
    return public_cache.get_or_build(
        f"api:portal:{request.get_host()}",
        code,
        lambda: _portal_detail(request, portal.active_local_government(code)),
    )


def _portal_detail(request: HttpRequest, lg) -> dict:
    p = portal.portal(lg)
    latest = p.latest_category
    return {
        "code": lg.code,
        "name": lg.region.name,
        "as_of": p.today,
        "latest_category": latest.category if latest else None,
        "category_history": [vars(c) for c in p.categories],
        "indicators": [
            {
                "number": h.number,
                "name": h.name,
                "direction": h.direction,
                "year": h.year,
                "data_year": h.data_year,
                "percentage": h.value,
                "suppressed": h.suppressed,
            }
            for h in p.headlines
        ],
        "protection": {
            "period": p.protection.token,
            "start": p.protection.start,
            "end": p.protection.end,
            "victims": _count(p.protection.victims),
            "served": _count(p.protection.served),
            "by_type": [
                {"type": t or "unknown", "label": label, "count": _count(n)}
                for t, label, n in p.protection.by_type
            ],
        },
        "villages": {**p.shares, "declared": [vars(v) for v in p.declared_villages]},
        "open_consultations": [
            {
                "uid": c.uid,
                "title": c.title,
                "kind": c.kind,
                "summary": c.summary,
                "opens_on": c.opens_on,
                "closes_on": c.closes_on,
                "url": request.build_absolute_uri(
                    reverse("participation:public_detail", args=[c.uid])
                ),
            }
            for c in p.consultations
        ],
        "report": {
            "complaint_form_url": request.build_absolute_uri(
                reverse("protection:report", args=[lg.code])
            ),
            "sapa_phone": portal.SAPA_PHONE,
            "sapa_whatsapp": portal.SAPA_WHATSAPP,
        },
    }
