"""Meeting and follow-up pages: access → form → action → redirect or render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can
from sikla.core.validation import parse_uuid
from sikla.core.views_util import add_action_errors, paginate
from sikla.indicators.models import Indicator
from sikla.indicators.queries import active_catalog
from sikla.lib import ics

from .. import actions, queries
from ..access import (
    can_update_follow_up,
    get_follow_up_for_user,
    get_meeting_for_user,
    get_planning_lg,
)
from ..forms.meetings import (
    CancelForm,
    DecisionForm,
    DocumentForm,
    FollowUpForm,
    FollowUpRows,
    FollowUpUpdateForm,
    MeetingForm,
    RecordForm,
)
from ..models import FollowUpStatus, MeetingStatus


def _indicators():
    catalog = active_catalog()
    if catalog is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(cluster__version=catalog).order_by("number")


def _meeting_url(meeting) -> str:
    return reverse("planning:meeting", args=[meeting.local_government_id, meeting.uid])


@require_GET
def meeting_list(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_planning_lg(request.user, code)
    status = request.GET.get("status", "")
    rows = queries.meetings(lg, status=status)
    return render(
        request,
        "planning/meetings.html",
        {
            "lg": lg,
            "page": paginate(request, rows),
            "status": status,
            "statuses": MeetingStatus.choices,
            "can_manage": can(request.user, Perm.MANAGE_MEETINGS, lg.code),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_planning_lg(request.user, code, perm=Perm.MANAGE_MEETINGS)
    form = MeetingForm(request.POST or None, local_government=lg)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        invited = data.pop("invited")
        try:
            meeting = actions.schedule_meeting(
                actor=request.user, local_government=lg, invited=invited, **data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Rapat dijadwalkan dan undangan dikirim."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "planning/meeting_form.html",
        {"lg": lg, "form": form, "title": _("Jadwalkan rapat")},
    )


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, code: str, uid) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, code, uid, perm=Perm.MANAGE_MEETINGS)
    lg = meeting.local_government
    initial = {name: getattr(meeting, name) for name in actions.MEETING_FIELDS}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    initial["ends_at"] = timezone.localtime(meeting.ends_at)
    initial["invited"] = list(meeting.attendance.values_list("agency_id", flat=True))
    form = MeetingForm(request.POST or None, initial=initial, local_government=lg)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        invited = data.pop("invited")
        try:
            actions.update_meeting(meeting, actor=request.user, invited=invited, **data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Rapat disimpan."))
            return redirect(_meeting_url(meeting))
    return render(
        request,
        "planning/meeting_form.html",
        {"lg": lg, "form": form, "meeting": meeting, "title": _("Ubah rapat")},
    )


def _detail_context(request, meeting, **forms) -> dict:
    lg = meeting.local_government
    detail = queries.meeting_detail(meeting)
    manage = can(request.user, Perm.MANAGE_MEETINGS, lg.code) and (
        meeting.status != MeetingStatus.CANCELLED
    )
    context = {
        "lg": lg,
        "meeting": meeting,
        **detail,
        "can_manage": manage,
        "started": meeting.starts_at <= timezone.now(),
        "today": timezone.localdate(),
    }
    if manage:
        context.update(
            record_form=forms.get("record_form")
            or RecordForm(attendance=detail["attendance"], initial={"minutes": meeting.minutes}),
            decision_form=forms.get("decision_form") or DecisionForm(),
            rows=forms.get("rows")
            or FollowUpRows(form_kwargs={"local_government": lg, "indicators": _indicators()}),
            document_form=forms.get("document_form") or DocumentForm(),
            cancel_form=CancelForm(),
        )
    return context


@require_GET
def meeting(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = get_meeting_for_user(request.user, code, uid)
    return render(request, "planning/meeting.html", _detail_context(request, item))


@require_POST
def meeting_record(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = get_meeting_for_user(request.user, code, uid, perm=Perm.MANAGE_MEETINGS)
    form = RecordForm(request.POST, attendance=list(item.attendance.select_related("agency")))
    if form.is_valid():
        present, representatives = form.attendance()
        try:
            actions.record_meeting(
                item,
                actor=request.user,
                present=present,
                representatives=representatives,
                minutes=form.cleaned_data["minutes"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Kehadiran dan notulen disimpan."))
            return redirect(_meeting_url(item))
    return render(
        request, "planning/meeting.html", _detail_context(request, item, record_form=form)
    )


@require_POST
def meeting_decision(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = get_meeting_for_user(request.user, code, uid, perm=Perm.MANAGE_MEETINGS)
    form = DecisionForm(request.POST)
    rows = FollowUpRows(
        request.POST,
        form_kwargs={"local_government": item.local_government, "indicators": _indicators()},
    )
    if form.is_valid() and rows.is_valid():
        try:
            decision = actions.add_decision(
                item,
                actor=request.user,
                text=form.cleaned_data["text"],
                follow_ups=rows.follow_ups(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Keputusan %(n)s dicatat dengan %(f)s tindak lanjut.")
                % {"n": decision.number, "f": decision.follow_ups.count()},
            )
            return redirect(_meeting_url(item) + "#keputusan")
    return render(
        request,
        "planning/meeting.html",
        _detail_context(request, item, decision_form=form, rows=rows),
    )


@require_POST
def meeting_document_upload(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = get_meeting_for_user(request.user, code, uid, perm=Perm.MANAGE_MEETINGS)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.upload_meeting_document(
                item,
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Dokumen diunggah."))
            return redirect(_meeting_url(item))
    return render(
        request, "planning/meeting.html", _detail_context(request, item, document_form=form)
    )


@require_GET
def meeting_document(request: HttpRequest, code: str, uid, item) -> FileResponse:
    meeting_ = get_meeting_for_user(request.user, code, uid)
    document = meeting_.documents.filter(uid=item).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"rapat-{document.uid}.{document.kind_ext}",
        content_type=document.mime,
    )


@require_POST
def meeting_cancel(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = get_meeting_for_user(request.user, code, uid, perm=Perm.MANAGE_MEETINGS)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Sebutkan alasan pembatalan."))
        actions.cancel_meeting(item, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rapat dibatalkan; undangan diberi tahu."))
    return redirect(_meeting_url(item))


@require_GET
def meeting_ics(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = get_meeting_for_user(request.user, code, uid)
    url = request.build_absolute_uri(_meeting_url(item))
    body = ics.event(
        uid=f"{item.uid}@sikla",
        start=item.starts_at,
        end=item.ends_at,
        summary=item.title,
        description=f"{item.agenda}\n\n{url}",
        location=item.place or item.video_link,
        url=item.video_link or url,
        stamp=item.updated_at,
        sequence=item.version,
        cancelled=item.status == MeetingStatus.CANCELLED,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapat-{item.starts_at:%Y%m%d}.ics"'
    return response


# -- follow-ups -------------------------------------------------------------------------------


FOLLOW_UP_FILTERS = {"", "open", "overdue", *FollowUpStatus.values}


def _follow_up_page(request, lg, rows, *, template, **extra):
    status = request.GET.get("status", "open")
    status = status if status in FOLLOW_UP_FILTERS else "open"
    return render(
        request,
        template,
        {
            "lg": lg,
            "page": paginate(request, rows(status)),
            "status": status,
            "statuses": FollowUpStatus.choices,
            "today": timezone.localdate(),
            **extra,
        },
    )


@require_GET
def follow_up_list(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_planning_lg(request.user, code)
    agency = lg.agencies.filter(uid=parse_uuid(request.GET.get("agency"))).first()
    return _follow_up_page(
        request,
        lg,
        lambda status: queries.follow_ups(lg, status=status, agency=agency),
        template="planning/follow_ups.html",
        agencies=lg.agencies.filter(is_active=True).order_by("name"),
        agency=agency,
        can_manage=can(request.user, Perm.MANAGE_MEETINGS, lg.code),
    )


@require_GET
def my_follow_ups(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.agency_id or not can(user, Perm.UPDATE_FOLLOW_UPS, user.agency.local_government_id):
        raise Http404
    lg = user.agency.local_government
    return _follow_up_page(
        request,
        lg,
        lambda status: queries.my_follow_ups(user, status=status),
        template="planning/my_follow_ups.html",
        agency=user.agency,
    )


@require_http_methods(["GET", "POST"])
def follow_up_create(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_planning_lg(request.user, code, perm=Perm.MANAGE_MEETINGS)
    form = FollowUpForm(request.POST or None, local_government=lg, indicators=_indicators())
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = actions.add_follow_up(
                actor=request.user, local_government=lg, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Tindak lanjut dicatat dan perangkat daerah diberi tahu."))
            return redirect("planning:follow_up", lg.code, follow_up.uid)
    return render(
        request,
        "planning/simple_form.html",
        {"lg": lg, "form": form, "title": _("Tindak lanjut baru")},
    )


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = get_follow_up_for_user(request.user, code, uid)
    may_update = can_update_follow_up(request.user, item)
    form = None
    if may_update:
        form = FollowUpUpdateForm(
            request.POST or None,
            request.FILES or None,
            initial={"version": item.version, "status": item.status},
            may_cancel=can(request.user, Perm.MANAGE_MEETINGS, item.local_government_id),
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_follow_up(
                item,
                actor=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                upload=form.cleaned_data["file"],
                version=form.cleaned_data["version"],
            )
        except actions.StaleFollowUp:
            form.add_error(
                None,
                _(
                    "Tindak lanjut ini baru saja diperbarui orang lain. Muat ulang halaman; "
                    "catatan Anda masih di bawah."
                ),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Perkembangan tindak lanjut disimpan."))
            return redirect("planning:follow_up", item.local_government_id, item.uid)
    return render(
        request,
        "planning/follow_up.html",
        {
            "lg": item.local_government,
            "item": item,
            "form": form,
            "history": list(queries.follow_up_history(item)),
            "overdue": queries.is_overdue(item),
        },
    )


@require_GET
def follow_up_evidence(request: HttpRequest, code: str, uid, item) -> FileResponse:
    follow_up_ = get_follow_up_for_user(request.user, code, uid)
    update = follow_up_.updates.filter(uid=item).exclude(file="").first()
    if update is None:
        raise Http404
    return FileResponse(
        update.file.open("rb"),
        as_attachment=True,
        filename=f"bukti-tindak-lanjut-{update.uid}.{update.kind_ext}",
        content_type=update.mime,
    )


@require_GET
def coordination(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_planning_lg(request.user, code)
    try:
        year = int(request.GET.get("tahun") or 0) or None
    except ValueError:
        year = None
    rows = queries.coordination_overview(lg, year=year)
    chart = {
        "stacked": True,
        "labels": [r.agency.abbreviation or r.agency.name for r in rows],
        "datasets": [
            {"label": _("Selesai tepat waktu"), "data": [r.done_on_time for r in rows]},
            {"label": _("Selesai terlambat"), "data": [r.done_late for r in rows]},
            {"label": _("Terlambat (belum selesai)"), "data": [r.overdue for r in rows]},
            {"label": _("Masih berjalan"), "data": [r.open - r.overdue for r in rows]},
        ],
    }
    return render(
        request,
        "planning/coordination.html",
        {"lg": lg, "rows": rows, "year": year, "chart": chart},
    )
