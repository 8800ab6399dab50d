"""Staff API of the UPTD PPA: the case list (de-identified), a case with its identities (for the
case's own team, logged like a page view), services and workflow. Same access and actions as the
pages; nobody outside the unit of that local government reaches any of it (403), another local
government's cases answer 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from sikla.core.api_schemas import ERROR_CODES, ErrorOut, PageOut, paged, responses
from sikla.core.validation import PageIn, SaneDate

from . import actions, queries
from .access import NeedsBreakGlass, get_case_for_user, get_unit_local_government
from .models import CaseStatus, Outcome, ProtectionType, ServiceKind

router = Router(tags=["perlindungan: kasus"])


class CaseRowOut(Schema):
    uid: UUID
    number: str
    status: CaseStatus
    urgency: str
    types: list[str]
    received_at: datetime
    response_due_at: datetime
    first_response_at: datetime | None
    overdue: bool


class CaseListOut(PageOut):
    items: list[CaseRowOut]


class ChildOut(Schema):
    uid: UUID
    name: str
    nik: str
    birth_date: str
    age: int | None
    sex: str
    has_disability: bool
    address_region: str | None


class ServiceOut(Schema):
    uid: UUID
    kind: ServiceKind
    date: date
    provider: str
    notes: str
    child: UUID | None


class CaseOut(CaseRowOut):
    outcome: str
    incident_date: date | None
    incident_place: str
    incident_region: str | None
    chronology: str
    children: list[ChildOut]
    services: list[ServiceOut]


class CaseFilterIn(PageIn):
    status: CaseStatus | Literal["", "open"] = Field(
        "", description='"open" (yang masih berjalan), "" (semua) atau satu status kasus'
    )
    type: str = Field("", description="jenis kekerasan/perlindungan")
    mine: bool = False
    overdue: bool = False


class ServiceIn(Schema):
    kind: ServiceKind
    date: SaneDate
    provider: str = Field(..., min_length=1, max_length=150)
    notes: str = Field("", max_length=5000)
    child: UUID | None = None


class TransitionIn(Schema):
    to_status: CaseStatus
    reason: str = Field("", max_length=2000)
    outcome: Outcome | None = None
    closing_note: str = Field("", max_length=5000)


def _row(case, now=None) -> dict:
    return {
        "uid": case.uid,
        "number": case.number,
        "status": case.status,
        "urgency": case.urgency,
        "types": sorted(t.type for t in case.types.all()),
        "received_at": case.received_at,
        "response_due_at": case.response_due_at,
        "first_response_at": case.first_response_at,
        "overdue": queries.is_overdue(case, now),
    }


def _case(request, code: str, uid: UUID, *, log: bool = True):
    try:
        return get_case_for_user(request.user, code, uid, log=log)
    except NeedsBreakGlass:
        raise HttpError(
            403, _("Kasus ini tidak ditugaskan kepada Anda; gunakan akses darurat di aplikasi.")
        ) from None


def _detail(case) -> dict:
    return {
        **_row(case),
        "outcome": case.outcome,
        "incident_date": case.incident_date,
        "incident_place": case.incident_place,
        "incident_region": case.incident_region_id,
        "chronology": case.chronology,
        "children": [
            {
                "uid": c.uid,
                "name": c.name,
                "nik": c.nik,
                "birth_date": c.birth_date,
                "age": c.age,
                "sex": c.sex,
                "has_disability": c.has_disability,
                "address_region": c.address_region_id,
            }
            for c in case.children.all()
        ],
        "services": [
            {
                "uid": s.uid,
                "kind": s.kind,
                "date": s.date,
                "provider": s.provider,
                "notes": s.notes,
                "child": s.child.uid if s.child else None,
            }
            for s in case.services.select_related("child")
        ],
    }


def _unprocessable(exc: ValidationError):
    if not hasattr(exc, "error_dict"):
        return Status(422, {"detail": " ".join(exc.messages)})
    return Status(422, {"detail": _("Data tidak valid."), "errors": exc.message_dict})


@router.get(
    "/local-governments/{code}/cases",
    response=responses(CaseListOut),
    url_name="cases",
    summary="Daftar kasus UPTD PPA (tanpa identitas)",
)
def case_list(request, code: str, filters: Query[CaseFilterIn]):
    lg = get_unit_local_government(request.user, code)
    status = filters.status if filters.status in {"open", "", *CaseStatus.values} else "open"
    kind = filters.type if filters.type in ProtectionType.values else ""
    rows = queries.cases(
        lg,
        request.user,
        queries.CaseFilter(status=status, type=kind, mine=filters.mine, overdue=filters.overdue),
    )
    return paged(rows, filters, _row)


@router.get(
    "/local-governments/{code}/cases/{uid}",
    response=responses(CaseOut),
    url_name="case",
    summary="Satu kasus dengan identitas anak (hanya tim kasus; dicatat di log akses)",
)
def case_detail(request, code: str, uid: UUID):
    return _detail(_case(request, code, uid))


@router.post(
    "/local-governments/{code}/cases/{uid}/services",
    response={201: ServiceOut, ERROR_CODES: ErrorOut},
    url_name="case_services",
    summary="Catat layanan yang diberikan",
)
def add_service(request, code: str, uid: UUID, payload: ServiceIn):
    case = _case(request, code, uid, log=False)
    child = None
    if payload.child is not None:
        child = case.children.filter(uid=payload.child).first()
        if child is None:
            return Status(422, {"detail": _("Anak itu bukan bagian dari kasus ini.")})
    try:
        service = actions.record_service(
            case,
            actor=request.user,
            kind=payload.kind,
            date=payload.date,
            provider=payload.provider,
            notes=payload.notes,
            child=child,
        )
    except PermissionDenied as exc:
        raise HttpError(403, _("Anda tidak berwenang melakukan ini.")) from exc
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(
        201,
        {
            "uid": service.uid,
            "kind": service.kind,
            "date": service.date,
            "provider": service.provider,
            "notes": service.notes,
            "child": child.uid if child else None,
        },
    )


@router.post(
    "/local-governments/{code}/cases/{uid}/transition",
    response=responses(CaseRowOut),
    url_name="case_transition",
    summary="Ubah status kasus (tutup dengan hasil; buka kembali dengan alasan)",
)
def transition(request, code: str, uid: UUID, payload: TransitionIn):
    case = _case(request, code, uid, log=False)
    try:
        case = actions.transition_case(
            case,
            actor=request.user,
            to_status=payload.to_status,
            reason=payload.reason,
            outcome=payload.outcome or "",
            closing_note=payload.closing_note,
        )
    except PermissionDenied as exc:
        raise HttpError(403, _("Anda tidak berwenang melakukan ini.")) from exc
    except ValidationError as exc:
        return _unprocessable(exc)
    return _row(case)
