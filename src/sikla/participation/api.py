"""Participation API: Forum Anak, consultation records and partners of a local government (same
access as the pages), and the public consultations with their comment door (no login, the same
rate limit, honeypot and link cap as the public page; a comment waits for moderation)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from sikla.core.api_schemas import ERROR_CODES, ErrorOut, PageOut, page_info, responses
from sikla.core.validation import PageIn
from sikla.protection import spam

from . import actions, queries
from .access import get_lg, get_lg_for_forums, get_published_consultation
from .models import (
    AgeGroup,
    ContributionKind,
    ForumStatus,
    ModerationStatus,
    PolicyKind,
    ResponseStatus,
    SourceKind,
)
from .public_views import COMMENT_SCOPE, comment_allowed

router = Router(tags=["partisipasi"])


# -- schemas -------------------------------------------------------------------------------------


class ChildForumOut(Schema):
    uid: UUID
    name: str
    level: str
    region: str
    region_name: str
    status: ForumStatus
    decree_number: str
    decree_date: date | None
    members: dict[str, int]
    facilitators: list[str]
    activity_count: int


class ChildForumSummaryOut(Schema):
    districts_total: int
    districts_with_forum: int
    villages_total: int
    villages_with_forum: int
    members: dict[str, int]


class ChildForumListOut(PageOut):
    summary: ChildForumSummaryOut
    items: list[ChildForumOut]


class ConsultationInputOut(Schema):
    uid: UUID
    source_kind: SourceKind
    source_name: str
    date: date
    text: str
    response_text: str
    response_status: ResponseStatus


class ConsultationRecordOut(Schema):
    uid: UUID
    title: str
    kind: PolicyKind
    indicator: int | None
    date: date
    description: str
    inputs: list[ConsultationInputOut]


class ConsultationRecordFilterIn(PageIn):
    year: int | None = Field(None, ge=2000, le=2100)


class ConsultationRecordListOut(PageOut):
    items: list[ConsultationRecordOut]


class PartnerContributionOut(Schema):
    uid: UUID
    year: int
    kind: ContributionKind
    description: str
    value: int | None
    indicator: int | None


class PartnerOut(Schema):
    uid: UUID
    component: str
    name: str
    agency: UUID | None
    is_active: bool
    contributions: list[PartnerContributionOut]


class PartnerFilterIn(PageIn):
    year: int | None = Field(None, ge=2000, le=2100, description="hanya kontribusi tahun ini")
    component: str = ""


class PartnerListOut(PageOut):
    items: list[PartnerOut]


class PublicConsultationOut(Schema):
    uid: UUID
    local_government: str
    local_government_name: str
    title: str
    kind: PolicyKind
    summary: str
    opens_on: date
    closes_on: date
    url: str
    document_url: str | None
    approved_comments: int


class PublicConsultationListOut(PageOut):
    items: list[PublicConsultationOut]


class PublicConsultationFilterIn(PageIn):
    local_government: str = Field("", description="Kode kab/kota, misalnya 53.71")


class PublicCommentIn(Schema):
    text: str = Field(..., description="Komentar, paling banyak 2.000 karakter")
    name: str = Field("", description="Boleh dikosongkan")
    is_child: bool = Field(False, description="Saya anak (berumur di bawah 18 tahun)")
    age_group: AgeGroup | None = None
    website: str = Field("", description="Harus kosong (perangkap robot)")


class PublicCommentAcceptedOut(Schema):
    detail: str
    status: ModerationStatus


# -- helpers ------------------------------------------------------------------------------------


def _unprocessable(exc: ValidationError):
    if not hasattr(exc, "error_dict"):
        return Status(422, {"detail": " ".join(exc.messages)})
    return Status(422, {"detail": _("Data tidak valid."), "errors": exc.message_dict})


def _forum(f) -> dict:
    return {
        "uid": f.uid,
        "name": f.name,
        "level": f.level,
        "region": f.region_id,
        "region_name": f.region.name,
        "status": f.status,
        "decree_number": f.decree_number,
        "decree_date": f.decree_date,
        "members": {name: getattr(f, name) for name in queries.MEMBER_FIELDS},
        "facilitators": f.facilitator_names,
        "activity_count": f.activity_count,
    }


# -- staff reads ---------------------------------------------------------------------------------


@router.get(
    "/local-governments/{code}/child-forums",
    response=responses(ChildForumListOut),
    url_name="child_forums",
    summary="Forum Anak (kab/kota, kecamatan, desa/kelurahan) dengan jumlah anggota",
)
def child_forums(request, code: str, page: Query[PageIn]):
    lg = get_lg_for_forums(request.user, code)
    rows = queries.forums_of(lg, request.user)
    summary = queries.forum_summary(lg)
    return {
        **page_info(rows, page),
        "summary": {
            "districts_total": summary.districts_total,
            "districts_with_forum": summary.districts_with_forum,
            "villages_total": summary.villages_total,
            "villages_with_forum": summary.villages_with_forum,
            "members": summary.members,
        },
        "items": [_forum(f) for f in rows[page.offset : page.offset + page.limit]],
    }


@router.get(
    "/local-governments/{code}/consultations",
    response=responses(ConsultationRecordListOut),
    url_name="consultations",
    summary="Catatan konsultasi: kebijakan/program yang mendapat masukan, dan tanggapannya",
)
def consultations(request, code: str, filters: Query[ConsultationRecordFilterIn]):
    lg = get_lg(request.user, code)
    rows = queries.records_of(lg, year=filters.year)
    page = list(rows.prefetch_related("inputs")[filters.offset : filters.offset + filters.limit])
    return {
        **page_info(rows, filters),
        "items": [
            {
                "uid": r.uid,
                "title": r.title,
                "kind": r.kind,
                "indicator": r.indicator.number if r.indicator else None,
                "date": r.date,
                "description": r.description,
                "inputs": [
                    {
                        "uid": i.uid,
                        "source_kind": i.source_kind,
                        "source_name": i.source_name,
                        "date": i.date,
                        "text": i.text,
                        "response_text": i.response_text,
                        "response_status": i.response_status,
                    }
                    for i in sorted(r.inputs.all(), key=lambda i: (i.date, i.pk))
                ],
            }
            for r in page
        ],
    }


@router.get(
    "/local-governments/{code}/partners",
    response=responses(PartnerListOut),
    url_name="partners",
    summary="Mitra (masyarakat, dunia usaha, media, keluarga) dan kontribusinya",
)
def partners(request, code: str, filters: Query[PartnerFilterIn]):
    lg = get_lg(request.user, code)
    rows = queries.partners_of(lg, component=filters.component, year=filters.year, active=None)
    page = list(
        rows.prefetch_related("contributions__indicator")[
            filters.offset : filters.offset + filters.limit
        ]
    )
    return {
        **page_info(rows, filters),
        "items": [
            {
                "uid": p.uid,
                "component": p.component,
                "name": p.name,
                "agency": p.agency.uid if p.agency else None,
                "is_active": p.is_active,
                "contributions": [
                    {
                        "uid": c.uid,
                        "year": c.year,
                        "kind": c.kind,
                        "description": c.description,
                        "value": c.value,
                        "indicator": c.indicator.number if c.indicator else None,
                    }
                    for c in p.contributions.all()
                    if filters.year is None or c.year == filters.year
                ],
            }
            for p in page
        ],
    }


# -- public --------------------------------------------------------------------------------------


@router.get(
    "/public-consultations",
    auth=None,
    response=responses(PublicConsultationListOut),
    url_name="public_consultations",
    summary="Konsultasi publik yang sedang dibuka (tanpa login)",
)
def public_consultations(request: HttpRequest, filters: Query[PublicConsultationFilterIn]):
    rows = queries.open_consultations(code=filters.local_government)
    page = rows[filters.offset : filters.offset + filters.limit]
    return {
        **page_info(rows, filters),
        "items": [
            {
                "uid": c.uid,
                "local_government": c.local_government_id,
                "local_government_name": c.local_government.region.name,
                "title": c.title,
                "kind": c.kind,
                "summary": c.summary,
                "opens_on": c.opens_on,
                "closes_on": c.closes_on,
                "url": request.build_absolute_uri(
                    reverse("participation:public_detail", args=[c.uid])
                ),
                "document_url": request.build_absolute_uri(
                    reverse("participation:public_document", args=[c.uid])
                )
                if c.document
                else None,
                "approved_comments": c.approved_count,
            }
            for c in page
        ],
    }


def _too_many() -> JsonResponse:
    return JsonResponse(
        {"detail": _("Terlalu banyak komentar dari perangkat ini; coba lagi dalam satu jam.")},
        status=429,
        headers={"Retry-After": str(spam.WINDOW_SECONDS)},
    )


ACCEPTED = {"status": "pending"}


@router.post(
    "/public-consultations/{uid}/comments",
    auth=None,
    response={202: PublicCommentAcceptedOut, ERROR_CODES: ErrorOut},
    url_name="public_consultation_comment",
    summary="Kirim komentar (tanpa login; dibatasi per klien per jam; tampil setelah moderasi)",
)
def public_consultation_comment(request: HttpRequest, uid: UUID, payload: PublicCommentIn):
    consultation = get_published_consultation(uid)
    if not comment_allowed(request):
        return _too_many()
    detail = _("Komentar diterima dan menunggu moderasi.")
    if payload.website:  # a robot: answered as if stored, nothing is
        return Status(202, {"detail": detail, **ACCEPTED})
    try:
        actions.submit_public_comment(
            consultation,
            text=payload.text,
            name=payload.name,
            is_child=payload.is_child,
            age_group=payload.age_group or "",
            now=timezone.now(),
        )
    except ValidationError as exc:
        spam.give_back(request, COMMENT_SCOPE)
        return _unprocessable(exc)
    return Status(202, {"detail": detail, **ACCEPTED})
