"""Meetings and follow-ups through the API: the same access rule and actions as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from sikla.accounts.rules import Perm, require
from sikla.core.api_schemas import ERROR_CODES, ErrorOut, invalid, page_of, paged, responses
from sikla.core.validation import PageIn, SaneDate, SaneDateTime
from sikla.organisations.queries import local_governments_visible_to

from . import actions, queries
from .access import get_planning_lg
from .models import FollowUp, FollowUpStatus, Meeting, MeetingKind, MeetingStatus

router = Router(tags=["koordinasi: rapat dan tindak lanjut"])


class FollowUpOut(Schema):
    uid: UUID
    title: str
    agency: str
    agency_uid: UUID
    due_date: date
    status: FollowUpStatus
    overdue: bool
    meeting: UUID | None
    indicator: int | None
    done_at: datetime | None


class MeetingOut(Schema):
    uid: UUID
    kind: MeetingKind
    cluster: int | None
    title: str
    agenda: str
    starts_at: datetime
    ends_at: datetime
    place: str
    video_link: str
    status: MeetingStatus
    invited: list[str]
    present: list[str]


class MeetingIn(Schema):
    kind: MeetingKind
    cluster: int | None = Field(None, ge=0, le=5)
    title: str = Field(..., min_length=1, max_length=200)
    agenda: str = Field(..., min_length=1, max_length=5000)
    starts_at: SaneDateTime
    ends_at: SaneDateTime
    place: str = Field("", max_length=200)
    video_link: str = Field("", max_length=200)
    partners: str = Field("", max_length=1000)
    invited: list[UUID] = Field(
        default_factory=list, max_length=100, description="uid perangkat daerah"
    )


class FollowUpIn(Schema):
    agency: UUID
    title: str = Field(..., min_length=1, max_length=300)
    due_date: SaneDate
    indicator: int | None = Field(None, ge=1, le=99, description="nomor indikator")


class FollowUpPatch(Schema):
    status: FollowUpStatus
    note: str = Field("", max_length=2000)
    version: int | None = Field(None, description="versi yang dibaca; berbeda → 409")


class FollowUpFilter(PageIn):
    status: FollowUpStatus | Literal["", "open", "overdue"] = Field(
        "", description='"" (semua), "open", "overdue" atau satu status tindak lanjut'
    )
    agency: UUID | None = None


def _meeting_out(meeting: Meeting) -> dict:
    rows = list(meeting.attendance.all())  # prefetched with the agency by the list
    return {
        "uid": meeting.uid,
        "kind": meeting.kind,
        "cluster": meeting.cluster,
        "title": meeting.title,
        "agenda": meeting.agenda,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "status": meeting.status,
        "invited": [r.agency.abbreviation or r.agency.name for r in rows],
        "present": [r.agency.abbreviation or r.agency.name for r in rows if r.present],
    }


def _follow_up_out(f: FollowUp) -> dict:
    return {
        "uid": f.uid,
        "title": f.title,
        "agency": f.agency.abbreviation or f.agency.name,
        "agency_uid": f.agency.uid,
        "due_date": f.due_date,
        "status": f.status,
        "overdue": queries.is_overdue(f),
        "meeting": f.meeting.uid if f.meeting_id else None,
        "indicator": f.indicator.number if f.indicator_id else None,
        "done_at": f.done_at,
    }


def _unprocessable(exc: ValidationError):
    if not hasattr(exc, "error_dict"):
        return Status(422, {"detail": " ".join(exc.messages)})
    return invalid(exc.message_dict)


def _forbidden(exc):
    raise HttpError(403, _("Anda tidak berwenang melakukan ini.")) from exc


@router.get(
    "/local-governments/{code}/meetings",
    response=responses(page_of(MeetingOut)),
    url_name="meetings",
    summary="Rapat Gugus Tugas sebuah kabupaten/kota",
)
def meeting_list(request, code: str, page: Query[PageIn], status: str = ""):
    lg = get_planning_lg(request.user, code)
    rows = queries.meetings(lg, status=status if status in MeetingStatus.values else "")
    return paged(rows.prefetch_related("attendance__agency"), page, _meeting_out)


@router.post(
    "/local-governments/{code}/meetings",
    response={201: MeetingOut, ERROR_CODES: ErrorOut},
    url_name="meeting_create",
    summary="Jadwalkan rapat dan undang perangkat daerah",
)
def meeting_create(request, code: str, payload: MeetingIn):
    lg = get_planning_lg(request.user, code)
    require(request.user, Perm.MANAGE_MEETINGS, lg.code)
    data = payload.dict()
    invited_uids = data.pop("invited")
    agencies = list(lg.agencies.filter(uid__in=invited_uids))
    if len(agencies) != len(set(invited_uids)):
        return Status(422, {"detail": _("Perangkat daerah yang diundang tidak dikenal.")})
    try:
        meeting = actions.schedule_meeting(
            actor=request.user, local_government=lg, invited=agencies, **data
        )
    except ValidationError as exc:
        return _unprocessable(exc)
    meeting = Meeting.objects.prefetch_related("attendance__agency").get(pk=meeting.pk)
    return Status(201, _meeting_out(meeting))


def _meeting_by_uid(user, uid: UUID) -> Meeting:
    try:
        meeting = Meeting.objects.select_related("local_government").get(
            uid=uid, local_government__in=local_governments_visible_to(user)
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
    require(user, Perm.VIEW_PLANNING, meeting.local_government_id)
    return meeting


@router.post(
    "/meetings/{uid}/follow-ups",
    response={201: FollowUpOut, ERROR_CODES: ErrorOut},
    url_name="meeting_follow_ups",
    summary="Tambahkan tindak lanjut rapat untuk sebuah perangkat daerah",
)
def follow_up_create(request, uid: UUID, payload: FollowUpIn):
    meeting = _meeting_by_uid(request.user, uid)
    lg = meeting.local_government
    agency = lg.agencies.filter(uid=payload.agency).first()
    indicator = None
    if payload.indicator is not None:
        from sikla.indicators.models import Indicator
        from sikla.indicators.queries import active_catalog

        indicator = Indicator.objects.filter(
            cluster__version=active_catalog(), number=payload.indicator
        ).first()
        if indicator is None:
            return Status(422, {"detail": _("Nomor indikator tidak dikenal.")})
    try:
        follow_up = actions.add_follow_up(
            actor=request.user,
            local_government=lg,
            agency=agency,
            title=payload.title,
            due_date=payload.due_date,
            indicator=indicator,
            meeting=meeting,
        )
    except PermissionDenied as exc:
        _forbidden(exc)
    except ValidationError as exc:
        return _unprocessable(exc)
    return Status(201, _follow_up_out(follow_up))


@router.patch(
    "/follow-ups/{uid}",
    response={200: FollowUpOut, 409: ErrorOut, ERROR_CODES: ErrorOut},
    url_name="follow_up_update",
    summary="Laporkan perkembangan tindak lanjut (perangkat daerah: hanya miliknya)",
)
def follow_up_update(request, uid: UUID, payload: FollowUpPatch):
    try:
        follow_up = FollowUp.objects.select_related("agency", "meeting", "indicator").get(
            uid=uid, local_government__in=local_governments_visible_to(request.user)
        )
    except FollowUp.DoesNotExist:
        raise Http404 from None
    try:
        actions.update_follow_up(
            follow_up,
            actor=request.user,
            status=payload.status,
            note=payload.note,
            version=payload.version,
        )
    except actions.StaleFollowUp:
        return Status(409, {"detail": _("Tindak lanjut ini baru saja diperbarui orang lain.")})
    except PermissionDenied as exc:
        _forbidden(exc)
    except ValidationError as exc:
        return _unprocessable(exc)
    return _follow_up_out(follow_up)


@router.get(
    "/local-governments/{code}/follow-ups",
    response=responses(page_of(FollowUpOut)),
    url_name="follow_ups",
    summary="Tindak lanjut sebuah kabupaten/kota (?status=overdue untuk yang terlambat)",
)
def follow_up_list(request, code: str, filters: Query[FollowUpFilter]):
    lg = get_planning_lg(request.user, code)
    agency = lg.agencies.filter(uid=filters.agency).first() if filters.agency else None
    if filters.agency and agency is None:
        return paged([], filters)
    rows = queries.follow_ups(lg, status=filters.status, agency=agency)
    return paged(rows, filters, _follow_up_out)
