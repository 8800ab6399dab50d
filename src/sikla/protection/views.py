"""Pages of the UPTD PPA: the intake queue, cases, services, referrals, the access log.

Every page is `never_cache` (identities must not stay in a browser's or proxy's cache); every
opening of a case or complaint goes through access.py, which logs it. Lists show case numbers,
types, statuses and dates — never a name.
"""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can
from sikla.core.views_util import add_action_errors, paginate
from sikla.organisations.access import get_local_government_for_user

from . import actions, crypto, exports, queries
from .access import (
    NeedsBreakGlass,
    can_open_case,
    get_case_for_break_glass,
    get_case_for_user,
    get_complaint_for_user,
    get_unit_local_government,
)
from .forms import (
    AccessLogFilterForm,
    AssignForm,
    BreakGlassForm,
    CaseForm,
    ChildForm,
    ComplaintIntakeForm,
    ConsentForm,
    DismissForm,
    ExportForm,
    PerpetratorForm,
    ReferralForm,
    ReferralUpdateForm,
    SearchForm,
    ServiceForm,
    TransitionForm,
    TriageForm,
)
from .models import (
    AccessKind,
    AccessLog,
    CaseStatus,
    Document,
    ProtectionType,
    Referral,
)
from .standards import TARGET_LABELS

# What the button that moves a case on says: the step, in the worker's words.
STEP_LABELS = {
    CaseStatus.ASSESSED: gettext_lazy("Asesmen selesai"),
    CaseStatus.IN_SERVICE: gettext_lazy("Mulai layanan"),
    CaseStatus.REFERRED: gettext_lazy("Catat sebagai dirujuk"),
}


def _page(request, template: str, lg, context: dict, status: int = 200) -> HttpResponse:
    """Render a page of the unit, with what its navigation needs."""
    context = {
        "lg": lg,
        "is_supervisor": can(request.user, Perm.SUPERVISE_CASES, lg.code),
        "now": timezone.now(),
        **context,
    }
    return render(request, template, context, status=status)


def _case_url(case) -> str:
    from django.urls import reverse

    return reverse("protection:case", args=[case.local_government_id, case.uid])


# -- the unit's start page and the intake queue ------------------------------------------------


@never_cache
@require_GET
def home(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code)
    if not can(request.user, Perm.HANDLE_CASES, lg.code):
        # Everybody else sees de-identified counts only.
        return redirect("protection:statistics", lg.code)
    user = request.user
    mine = queries.cases(lg, user, queries.CaseFilter(status="open", mine=True))
    return _page(
        request,
        "protection/home.html",
        lg,
        {
            "pending": queries.pending_complaints(lg)[:20],
            "pending_count": queries.pending_complaints(lg).count(),
            "mine": mine[:20],
            "overdue": queries.overdue_q(queries.cases(lg, user))[:20],
        },
    )


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
    return _page(
        request,
        "protection/complaints.html",
        lg,
        {"page": paginate(request, rows), "status": status},
    )


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
                return redirect(_case_url(case))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Pengaduan dicatat dengan kode %(c)s.") % {"c": complaint.tracking_code},
            )
            return redirect("protection:complaint", lg.code, complaint.uid)
    return _page(request, "protection/complaint_form.html", lg, {"form": form})


@never_cache
@require_GET
def complaint(request: HttpRequest, code: str, uid) -> HttpResponse:
    try:
        item = get_complaint_for_user(request.user, code, uid)
    except NeedsBreakGlass as exc:
        return redirect("protection:break_glass", exc.case.local_government_id, exc.case.uid)
    return _page(
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
                return redirect(_case_url(result))
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
    return _serve_document(request, complaint.documents.all(), item, complaint=complaint)


def _serve_document(request, documents, item, **owner) -> HttpResponse:
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


# -- cases --------------------------------------------------------------------------------------


@never_cache
@require_GET
def cases(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_unit_local_government(request.user, code)
    g = request.GET
    status = g.get("status", "open")
    f = queries.CaseFilter(
        status=status if status in {"open", *CaseStatus.values} else "",
        type=g.get("type", "") if g.get("type", "") in ProtectionType.values else "",
        mine=g.get("mine") == "1",
        overdue=g.get("overdue") == "1",
        consent_owed=g.get("consent") == "owed",
    )
    return _page(
        request,
        "protection/cases.html",
        lg,
        {
            "page": paginate(request, queries.cases(lg, request.user, f)),
            "f": f,
            "statuses": CaseStatus.choices,
            "types": ProtectionType.choices,
            "search_form": SearchForm(),
        },
    )


@never_cache
@require_POST
def case_search(request: HttpRequest, code: str) -> HttpResponse:
    """Search by POST, so terms (a name, a NIK) never land in a URL, a log line or history."""
    lg = get_unit_local_government(request.user, code)
    form = SearchForm(request.POST)
    results = None
    if form.is_valid():
        terms = form.cleaned_data["terms"]
        actions.log_access(
            user=request.user, local_government=lg, kind=AccessKind.SEARCH, terms=terms
        )
        # Someone else's case shows only on an exact match, and then only that it exists and
        # who supervises it, with the way to ask for emergency access.
        results = [
            (hit.case, mine)
            for hit in queries.search_cases(lg, terms)
            if (mine := can_open_case(request.user, hit.case)) or hit.exact
        ]
    return _page(request, "protection/search.html", lg, {"form": form, "results": results})


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
@require_GET
def case(request: HttpRequest, code: str, uid) -> HttpResponse:
    try:
        item = get_case_for_user(request.user, code, uid)
    except NeedsBreakGlass as exc:
        return redirect("protection:break_glass", exc.case.local_government_id, exc.case.uid)
    return _case_page(request, item)


@never_cache
@require_POST
def reveal_nik(request: HttpRequest, code: str, uid, child) -> HttpResponse:
    """The case page with one child's NIK shown in full — answered to this POST only, so the
    number never sits in a URL or the browser's history; every reveal is in the access log."""
    item = _case_for_write(request, code, uid)
    shown = item.children.filter(uid=child).first()
    if shown is None:
        raise Http404
    actions.log_access(
        user=request.user,
        local_government=item.local_government,
        kind=AccessKind.REVEAL_NIK,
        case=item,
    )
    return _case_page(request, item, revealed={shown.pk})


def _case_page(request, item, revealed=frozenset()) -> HttpResponse:
    user, lg = request.user, item.local_government
    allowed = sorted(actions.TRANSITIONS.get(item.status, ()), key=list(CaseStatus.values).index)
    children = list(item.children.select_related("address_region"))
    consent = item.consents.first()  # the guardian's consent, or why it cannot be had
    # the report's documents and every service's, in one read; a service's child is one of these
    files: dict[int | None, list] = {}
    for document in item.documents.all():
        files.setdefault(document.service_id, []).append(document)
    child_of = {c.pk: c for c in children}
    return _page(
        request,
        "protection/case.html",
        lg,
        {
            "case": item,
            "types": [t.get_type_display() for t in item.types.all()],
            "children": children,
            "revealed": revealed,
            "perpetrators": list(item.perpetrators.all()),
            "services": [
                (service, child_of.get(service.child_id), files.get(service.pk, ()))
                for service in item.services.all()
            ],
            "referrals": list(item.referrals.select_related("target_local_government__region")),
            "consent": consent,
            "transitions": list(item.transitions.select_related("actor")),
            "workers": list(item.workers.all()),
            "documents": files.get(None, []),
            "allowed": [(s, STEP_LABELS.get(s, CaseStatus(s).label)) for s in allowed],
            "overdue": queries.is_overdue(item),
            "late": queries.responded_late(item),
            "target": TARGET_LABELS[item.urgency],
            "service_form": ServiceForm(
                case=item, children=children, initial={"date": timezone.localdate()}
            ),
            "consent_form": ConsentForm(initial={"given_on": timezone.localdate()}),
            "referral_form": ReferralForm(
                may_override=can(user, Perm.OVERRIDE_CONSENT, lg.code),
                initial={"sent_on": timezone.localdate()},
            ),
            "has_consent": actions.has_consent(item, consent),
            "transition_form": TransitionForm(),
            "referral_status_form": ReferralUpdateForm(),
        },
    )


def _case_for_write(request, code, uid):
    try:
        return get_case_for_user(request.user, code, uid, log=False)
    except NeedsBreakGlass:
        raise PermissionDenied from None


@never_cache
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = _case_for_write(request, code, uid)
    lg = item.local_government
    initial = {
        "version": item.version,
        "types": list(item.types.values_list("type", flat=True)),
        **{name: getattr(item, name) for name in actions.CASE_FIELDS},
        "incident_region": item.incident_region_id or "",
    }
    form = CaseForm(request.POST or None, initial=initial, local_government=lg)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, types = data.pop("version"), data.pop("types")
        try:
            actions.update_case(item, actor=request.user, version=version, types=types, **data)
        except actions.StaleCase:
            form.add_error(
                None,
                _(
                    "Kasus ini baru saja diubah orang lain. Isian Anda masih di bawah; muat ulang "
                    "halaman untuk melihat perubahan terbaru, lalu ulangi."
                ),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Data kasus disimpan."))
            return redirect(_case_url(item))
    return _page(request, "protection/case_form.html", lg, {"case": item, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, code: str, uid, item=None) -> HttpResponse:
    case_ = _case_for_write(request, code, uid)
    lg = case_.local_government
    child = None
    if item is not None:
        child = case_.children.filter(uid=item).first()
        if child is None:
            raise Http404
    initial = {}
    if child is not None:
        initial = {
            "name": child.name,
            "nik": "",  # never shown again in full: empty keeps it (see ChildForm)
            "birth_date": child.birth_date or None,
            "age": child.age,
            "sex": child.sex,
            "has_disability": child.has_disability,
            "school": child.school,
            "address_region": child.address_region_id or "",
            "address": child.address,
        }
    form = ChildForm(
        request.POST or None,
        initial=initial,
        local_government=lg,
        stored_nik=child.masked_nik if child is not None else "",
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        if values.pop("remove_nik", False):
            values["nik"] = ""
        elif not values["nik"] and child is not None:
            values["nik"] = child.nik  # left empty: the stored NIK stays
        try:
            actions.save_child(case_, actor=request.user, child=child, **values)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Data anak disimpan."))
            return redirect(_case_url(case_))
    return _page(
        request, "protection/child_form.html", lg, {"case": case_, "form": form, "child": child}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def perpetrator_add(request: HttpRequest, code: str, uid) -> HttpResponse:
    case_ = _case_for_write(request, code, uid)
    form = PerpetratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_perpetrator(case_, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Terduga pelaku dicatat."))
            return redirect(_case_url(case_))
    return _page(
        request,
        "protection/simple_form.html",
        case_.local_government,
        {"case": case_, "form": form, "title": _("Tambah terduga pelaku")},
    )


@require_POST
def perpetrator_remove(request, code, uid, item):
    case_ = _case_for_write(request, code, uid)
    perpetrator = case_.perpetrators.filter(uid=item).first()
    if perpetrator is None:
        raise Http404
    try:
        actions.remove_perpetrator(perpetrator, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Terduga pelaku dihapus dari kasus."))
    return redirect(_case_url(case_))


@require_POST
def case_transition(request, code, uid):
    case_ = _case_for_write(request, code, uid)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian: %(e)s") % {"e": form.errors.as_text()})
        return redirect(_case_url(case_))
    try:
        actions.transition_case(case_, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Status kasus kini “%(s)s”.")
            % {"s": CaseStatus(form.cleaned_data["to_status"]).label},
        )
    return redirect(_case_url(case_))


@never_cache
@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_unit_local_government(request.user, code, perm=Perm.SUPERVISE_CASES)
    case_ = _case_for_write(request, code, uid)
    members = queries.unit_members(lg)
    form = AssignForm(
        request.POST or None,
        members=members,
        initial={"workers": list(case_.workers.all()), "supervisor": case_.supervisor},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.assign_case(case_, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Penugasan disimpan."))
            return redirect(_case_url(case_))
    return _page(
        request,
        "protection/simple_form.html",
        lg,
        {"case": case_, "form": form, "title": _("Penugasan kasus")},
    )


def _case_form_post(request, code, uid, make_form, run, done: str):
    """A form on the case page: valid → action → back to the case; invalid → the form alone,
    with the messages next to the fields and what was typed kept."""
    case_ = _case_for_write(request, code, uid)
    form = make_form(case_)
    if form.is_valid():
        try:
            run(case_, dict(form.cleaned_data))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(_case_url(case_))
    return _page(
        request,
        "protection/simple_form.html",
        case_.local_government,
        {"case": case_, "form": form, "multipart": True, "title": done},
        status=200,
    )


@require_POST
def service_add(request, code, uid):
    return _case_form_post(
        request,
        code,
        uid,
        lambda c: ServiceForm(request.POST, request.FILES, case=c),
        lambda c, d: actions.record_service(c, actor=request.user, **d),
        _("Layanan dicatat."),
    )


@require_POST
def consent_add(request, code, uid):
    return _case_form_post(
        request,
        code,
        uid,
        lambda c: ConsentForm(request.POST),
        lambda c, d: actions.record_consent(c, actor=request.user, **d),
        _("Persetujuan wali dicatat."),
    )


@require_POST
def referral_add(request, code, uid):
    def run(c, d):
        try:
            return actions.refer_case(c, actor=request.user, **d)
        except PermissionDenied:
            raise ValidationError(
                _("Hanya supervisor yang dapat merujuk tanpa persetujuan wali.")
            ) from None

    return _case_form_post(
        request,
        code,
        uid,
        lambda c: ReferralForm(
            request.POST,
            may_override=can(request.user, Perm.OVERRIDE_CONSENT, c.local_government_id),
        ),
        run,
        _("Rujukan dicatat."),
    )


@require_POST
def referral_update(request, code, uid, item):
    case_ = _case_for_write(request, code, uid)
    referral = Referral.objects.filter(case=case_, uid=item).first()
    if referral is None:
        raise Http404
    form = ReferralUpdateForm(request.POST)
    if form.is_valid():
        try:
            actions.update_referral(referral, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status rujukan disimpan."))
    else:
        messages.error(request, _("Periksa isian: %(e)s") % {"e": form.errors.as_text()})
    return redirect(_case_url(case_))


@never_cache
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, code: str, uid) -> HttpResponse:
    case_ = get_case_for_break_glass(request.user, code, uid)
    if can_open_case(request.user, case_):
        return redirect(_case_url(case_))
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.break_glass(case_, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.warning(
                request,
                _("Akses darurat dicatat dan supervisor diberi tahu. Akses berlaku %(h)s jam.")
                % {"h": _hours()},
            )
            return redirect(_case_url(case_))
    return _page(
        request,
        "protection/break_glass.html",
        case_.local_government,
        {"case": case_, "form": form, "hours": _hours()},
        status=403 if request.method == "GET" else 200,
    )


def _hours() -> int:
    from django.conf import settings

    return settings.BREAK_GLASS_HOURS


@never_cache
@require_GET
def document(request, code, uid, item):
    case_ = _case_for_write(request, code, uid)
    return _serve_document(request, Document.objects.filter(case=case_), item, case=case_)


# -- supervision ----------------------------------------------------------------------------


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
        response = _page(
            request,
            "protection/export_ready.html",
            lg,
            {"password": password, "token": token, "minutes": exports.HANDOVER_SECONDS // 60},
        )
        response["Cache-Control"] = "no-store"
        return response
    return _page(request, "protection/export.html", lg, {"form": form})


@never_cache
@require_GET
def access_log(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_unit_local_government(request.user, code, perm=Perm.SUPERVISE_CASES)
    from sikla.accounts.models import User

    members = User.objects.filter(
        pk__in=AccessLog.objects.filter(local_government=lg).values("user")
    ).order_by("username")
    form = AccessLogFilterForm(request.GET or None, members=members)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.access_log(
        lg,
        kind=filters.get("kind", ""),
        user_id=getattr(filters.get("user"), "pk", None),
        case_number=filters.get("case_number", ""),
    )
    return _page(
        request,
        "protection/access_log.html",
        lg,
        {"form": form, "page": paginate(request, rows, per_page=50)},
    )
