"""Pages of the UPTD PPA: its start page, the intake queue, the identified export and the access
log; a case's pages are in case_views.py.

Every page is `never_cache` (identities must not stay in a browser's or proxy's cache); every
opening of a case or complaint goes through access.py, which logs it. Lists show case numbers,
types, statuses and dates — never a name.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can
from sikla.core.choice_labels import labels_of
from sikla.core.localtime import datetime_text
from sikla.core.views_util import add_action_errors, paginate
from sikla.organisations.access import get_local_government_for_user

from . import actions, crypto, exports, queries
from .access import (
    NeedsBreakGlass,
    get_complaint_for_user,
    get_unit_local_government,
)
from .forms import (
    AccessLogFilterForm,
    ComplaintIntakeForm,
    DismissForm,
    ExportForm,
    TriageForm,
)
from .models import (
    AccessKind,
    Urgency,
)


def unit_page(request, template: str, lg, context: dict, status: int = 200) -> HttpResponse:
    """Render a page of the unit, with what its navigation needs."""
    context = {
        "lg": lg,
        "is_supervisor": can(request.user, Perm.SUPERVISE_CASES, lg.code),
        "now": timezone.now(),
        **context,
    }
    return render(request, template, context, status=status)


def case_url(case) -> str:
    from django.urls import reverse

    return reverse("protection:case", args=[case.local_government_id, case.uid])


def _linker(name: str):
    """(kab/kota code, uid) → the URL of the view `name`, reversed once per kab/kota rather than
    for each row of a list."""
    from django.urls import reverse

    prefixes: dict[str, str] = {}

    def link(code: str, uid) -> str:
        if code not in prefixes:
            prefixes[code] = reverse(name, args=[code, _SOME_UID]).replace(str(_SOME_UID), "{}")
        return prefixes[code].format(uid)

    return link


_SOME_UID = uuid.UUID(int=0)  # stands for a row's uid while its list's link is built once


class CaseRow(NamedTuple):
    """A case as a list shows it: number, dates, types, urgency, status — never a name."""

    url: str
    number: str
    received: str
    types: str
    urgency: str
    urgent: bool
    status: str
    responded: str  # when the first response came; "" while none has
    overdue: bool  # no first response and past its target
    due: str  # the target of the first response


def case_rows(cases, now=None) -> list[CaseRow]:
    """The rows of a list of cases (their types prefetched), put together here rather than by a
    URL lookup, three date filters and five method calls per row in the template: the page of
    50 cases a fifth faster (national data, over HTTP: 19.6 → 15.4 ms), the same HTML byte for
    byte. The times are the filter's own text (`core.localtime.datetime_text`)."""
    now = now or timezone.now()
    link = _linker("protection:case")
    rows = []
    for case in cases:
        overdue = queries.is_overdue(case, now)
        responded = case.first_response_at
        rows.append(
            CaseRow(
                url=link(case.local_government_id, case.uid),
                number=case.number,
                received=datetime_text(case.received_at),
                types=", ".join(t.get_type_display() for t in case.types.all()) or "—",
                urgency=case.get_urgency_display(),
                urgent=case.urgency != Urgency.NORMAL,
                status=case.get_status_display(),
                responded=datetime_text(responded) if responded else "",
                overdue=overdue,
                due="" if responded else datetime_text(case.response_due_at, year=not overdue),
            )
        )
    return rows


class ComplaintRow(NamedTuple):
    """A report as a list shows it: its code, when, how, how urgent, where, its status."""

    url: str
    code: str
    received: str
    channel: str
    urgency: str
    urgent: bool
    place: str
    status: str


def complaint_rows(complaints) -> list[ComplaintRow]:
    """The rows of a list of reports (`queries.LISTED_COMPLAINT`), put together here as the
    case lists' are (`case_rows`)."""
    link = _linker("protection:complaint")
    return [
        ComplaintRow(
            url=link(c.local_government_id, c.uid),
            code=c.tracking_code,
            received=datetime_text(c.received_at),
            channel=c.get_channel_display(),
            urgency=c.get_urgency_display(),
            urgent=c.urgency != Urgency.NORMAL,
            place=(c.incident_region.name if c.incident_region else "") or "—",
            status=c.get_status_display(),
        )
        for c in complaints
    ]


# -- the unit's start page and the intake queue ------------------------------------------------


@never_cache
@require_GET
def home(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code)
    if not can(request.user, Perm.HANDLE_CASES, lg.code):
        # Everybody else sees de-identified counts only.
        return redirect("protection:statistics", lg.code)
    user = request.user
    pending = queries.pending_complaints(lg)
    mine = queries.cases(lg, user, queries.CaseFilter(status="open", mine=True))
    overdue = queries.overdue_q(queries.cases(lg, user))
    # Each card counts all, each list shows the newest 20 (a worker with no open case: no
    # list to look for, which on a unit of 50,000 cases would read them all for nothing).
    counts = {"pending": pending.count(), "mine": mine.count(), "overdue": overdue.count()}
    return unit_page(
        request,
        "protection/home.html",
        lg,
        {
            "counts": counts,
            "shown": HOME_LIST,
            "pending": complaint_rows(pending[:HOME_LIST]) if counts["pending"] else [],
            "mine": case_rows(mine[:HOME_LIST]) if counts["mine"] else [],
            "overdue": case_rows(overdue[:HOME_LIST]) if counts["overdue"] else [],
        },
    )


HOME_LIST = 20  # rows of each list of the unit's start page; the rest are in the unit's lists


@never_cache
@require_GET
def complaints(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_unit_local_government(request.user, code)
    status = request.GET.get("status", "")
    rows = (
        queries.pending_complaints(lg)
        if status == "waiting"
        else queries.all_complaints(
            lg, status=status if status in {"in_handling", "closed"} else ""
        )
    )
    page = paginate(request, rows)
    page.object_list = complaint_rows(page.object_list)
    return unit_page(request, "protection/complaints.html", lg, {"page": page, "status": status})


@never_cache
@require_http_methods(["GET", "POST"])
def complaint_create(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_unit_local_government(request.user, code)
    form = ComplaintIntakeForm(request.POST or None, request.FILES or None, local_government=lg)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        take, files = data.pop("take"), data.pop("files")
        try:
            complaint = actions.record_complaint(
                actor=request.user, local_government=lg, files=files, **data
            )
            if take:
                case = actions.take_complaint(complaint, actor=request.user)
                messages.success(
                    request, _("Pengaduan dicatat sebagai kasus %(n)s.") % {"n": case.number}
                )
                return redirect(case_url(case))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Pengaduan dicatat dengan kode %(c)s.") % {"c": complaint.tracking_code},
            )
            return redirect("protection:complaint", lg.code, complaint.uid)
    return unit_page(request, "protection/complaint_form.html", lg, {"form": form})


@never_cache
@require_GET
def complaint(request: HttpRequest, code: str, uid) -> HttpResponse:
    try:
        item = get_complaint_for_user(request.user, code, uid)
    except NeedsBreakGlass as exc:
        return redirect("protection:break_glass", exc.case.local_government_id, exc.case.uid)
    return unit_page(
        request,
        "protection/complaint.html",
        item.local_government,
        {
            "complaint": item,
            "case": getattr(item, "case", None),
            "documents": item.documents.all(),
            "triage_form": TriageForm(initial={"urgency": item.urgency, "risk": item.risk}),
            "dismiss_form": DismissForm(),
        },
    )


def _complaint_action(request, code, uid, form_class, run, done: str):
    item = get_complaint_for_user(request.user, code, uid, log=False)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = run(item, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
            if hasattr(result, "number"):
                return redirect(case_url(result))
    else:
        messages.error(request, _("Periksa isian: %(e)s") % {"e": form.errors.as_text()})
    return redirect("protection:complaint", item.local_government_id, item.uid)


@require_POST
def complaint_triage(request, code, uid):
    return _complaint_action(
        request,
        code,
        uid,
        TriageForm,
        lambda c, d: actions.triage_complaint(c, actor=request.user, **d),
        _("Triase disimpan."),
    )


@require_POST
def complaint_take(request, code, uid):
    return _complaint_action(
        request,
        code,
        uid,
        django_forms.Form,
        lambda c, d: actions.take_complaint(c, actor=request.user),
        _("Pengaduan diambil dan menjadi kasus Anda."),
    )


@require_POST
def complaint_dismiss(request, code, uid):
    return _complaint_action(
        request,
        code,
        uid,
        DismissForm,
        lambda c, d: actions.dismiss_complaint(c, actor=request.user, reason=d["reason"]),
        _("Pengaduan ditutup tanpa kasus."),
    )


@never_cache
@require_GET
def complaint_document(request, code, uid, item):
    complaint = get_complaint_for_user(request.user, code, uid, log=False)
    return serve_document(request, complaint.documents.all(), item, complaint=complaint)


def serve_document(request, documents, item, **owner) -> HttpResponse:
    """A photo or document, decrypted, as a download; the opening is logged."""
    document_ = documents.filter(uid=item).first()
    if document_ is None:
        raise Http404
    case_or_complaint = next(iter(owner.values()))
    actions.log_access(
        user=request.user,
        local_government=case_or_complaint.local_government,
        kind=AccessKind.DOCUMENT,
        **owner,
    )
    with document_.file.open("rb") as handle:
        data = crypto.decrypt_bytes(handle.read())
    response = HttpResponse(data, content_type=document_.mime)
    response["Content-Disposition"] = (
        f'attachment; filename="dokumen-{document_.uid}.{document_.kind_ext}"'
    )
    response["Cache-Control"] = "no-store"
    return response


# -- supervision ----------------------------------------------------------------------------


@never_cache
@require_GET
def export_download(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The encrypted identified export, once, for the supervisor who made it."""
    get_unit_local_government(request.user, code, perm=Perm.SUPERVISE_CASES)
    kept = exports.take(request.user, token)
    if kept is None:
        raise Http404(_("Tautan unduhan ini sudah dipakai atau kedaluwarsa; buat ekspor baru."))
    name, content = kept
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def export_identified(request: HttpRequest, code: str) -> HttpResponse:
    """An export with names and NIKs: a supervisor, a stated reason, a log row."""
    lg = get_unit_local_government(request.user, code, perm=Perm.SUPERVISE_CASES)
    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        actions.log_access(
            user=request.user,
            local_government=lg,
            kind=AccessKind.EXPORT_IDENTIFIED,
            terms=f"{start.isoformat()}–{end.isoformat()}",
            reason=form.cleaned_data["reason"],
        )
        password = exports.one_time_password()
        content = exports.encrypt_workbook(exports.identified_workbook(lg, start, end), password)
        name = f"kasus-beridentitas-{lg.code.replace('.', '')}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
        token = exports.hand_over(request.user, content, name)
        response = unit_page(
            request,
            "protection/export_ready.html",
            lg,
            {"password": password, "token": token, "minutes": exports.HANDOVER_SECONDS // 60},
        )
        response["Cache-Control"] = "no-store"
        return response
    return unit_page(request, "protection/export.html", lg, {"form": form})


class AccessRow(NamedTuple):
    """An entry of the access log as its page shows it."""

    at: str
    person: str
    kind: str
    alert: bool  # an access a supervisor looks at twice: emergency, no consent, identities out
    subject: str  # the case's number or the report's code
    note: str  # the search terms and the reason given


ALERT_KINDS = frozenset(
    {AccessKind.BREAK_GLASS, AccessKind.CONSENT_OVERRIDE, AccessKind.EXPORT_IDENTIFIED}
)


def access_rows(entries) -> list[AccessRow]:
    """The rows of a page of the access log (`queries.ACCESS_LOG_SHOWN`), put together here as
    the case lists' are (`case_rows`)."""
    kinds = labels_of(AccessKind)
    return [
        AccessRow(
            at=datetime_text(at, seconds=True),
            person=full_name or username,
            kind=kinds.get(kind, kind),
            alert=kind in ALERT_KINDS,
            subject=(number or "") + (code or ""),
            note=" · ".join(text for text in (terms, reason) if text),
        )
        for at, kind, terms, reason, full_name, username, number, code in entries
    ]


@never_cache
@require_GET
def access_log(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_unit_local_government(request.user, code, perm=Perm.SUPERVISE_CASES)
    form = AccessLogFilterForm(request.GET or None, members=queries.access_log_people(lg))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.access_log(
        lg,
        kind=filters.get("kind", ""),
        user_id=filters.get("user"),
        case_number=filters.get("case_number", ""),
    )
    page = paginate(request, rows, per_page=50)
    page.object_list = access_rows(page.object_list.values_list(*queries.ACCESS_LOG_SHOWN))
    return unit_page(
        request,
        "protection/access_log.html",
        lg,
        {"form": form, "page": page},
    )
