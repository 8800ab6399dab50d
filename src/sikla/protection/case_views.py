"""A case's pages: the list and the search, the case page, and each step of its handling
(children, perpetrators, workflow, services, consent, referrals, documents, emergency access).

Every page is `never_cache`; every opening of a case goes through access.py, which logs it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can
from sikla.core.views_util import add_action_errors, paginate

from . import actions, queries
from .access import (
    NeedsBreakGlass,
    can_open_case,
    get_case_for_break_glass,
    get_case_for_user,
    get_unit_local_government,
)
from .forms import (
    AssignForm,
    BreakGlassForm,
    CaseForm,
    ChildForm,
    ConsentForm,
    PerpetratorForm,
    ReferralForm,
    ReferralUpdateForm,
    SearchForm,
    ServiceForm,
    TransitionForm,
)
from .models import (
    AccessKind,
    CaseStatus,
    Document,
    ProtectionType,
    Referral,
)
from .standards import TARGET_LABELS
from .views import case_rows, case_url, serve_document, unit_page

# What the button that moves a case on says: the step, in the worker's words.
STEP_LABELS = {
    CaseStatus.ASSESSED: gettext_lazy("Asesmen selesai"),
    CaseStatus.IN_SERVICE: gettext_lazy("Mulai layanan"),
    CaseStatus.REFERRED: gettext_lazy("Catat sebagai dirujuk"),
}


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
    page = paginate(request, queries.cases(lg, request.user, f))
    page.object_list = case_rows(page.object_list)
    return unit_page(
        request,
        "protection/cases.html",
        lg,
        {
            "page": page,
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
    return unit_page(request, "protection/search.html", lg, {"form": form, "results": results})


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
    lg = item.local_government
    allowed = sorted(actions.TRANSITIONS.get(item.status, ()), key=list(CaseStatus.values).index)
    children = list(item.children.select_related("address_region"))
    # the report's documents and every service's, in one read; a service's child is one of these
    files: dict[int | None, list] = {}
    for document in item.documents.all():
        files.setdefault(document.service_id, []).append(document)
    child_of = {c.pk: c for c in children}
    return unit_page(
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
            "consent": item.consents.first(),  # the guardian's consent, or why it can't be had
            "transitions": list(item.transitions.select_related("actor")),
            "workers": list(item.workers.all()),
            "documents": files.get(None, []),
            "allowed": [(s, STEP_LABELS.get(s, CaseStatus(s).label)) for s in allowed],
            "overdue": queries.is_overdue(item),
            "late": queries.responded_late(item),
            "target": TARGET_LABELS[item.urgency],
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
            return redirect(case_url(item))
    return unit_page(request, "protection/case_form.html", lg, {"case": item, "form": form})


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
            return redirect(case_url(case_))
    return unit_page(
        request, "protection/child_form.html", lg, {"case": case_, "form": form, "child": child}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def perpetrator_add(request: HttpRequest, code: str, uid) -> HttpResponse:
    return _case_form(
        request,
        code,
        uid,
        lambda c, data: PerpetratorForm(*data),
        lambda c, d: actions.add_perpetrator(c, actor=request.user, **d),
        title=_("Tambah terduga pelaku"),
        done=_("Terduga pelaku dicatat."),
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
    return redirect(case_url(case_))


@require_POST
def case_transition(request, code, uid):
    case_ = _case_for_write(request, code, uid)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian: %(e)s") % {"e": form.errors.as_text()})
        return redirect(case_url(case_))
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
    return redirect(case_url(case_))


@never_cache
@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, code: str, uid) -> HttpResponse:
    lg = get_unit_local_government(request.user, code, perm=Perm.SUPERVISE_CASES)
    members = queries.unit_members(lg)
    return _case_form(
        request,
        code,
        uid,
        lambda c, data: AssignForm(
            *data,
            members=members,
            initial={"workers": list(c.workers.all()), "supervisor": c.supervisor},
        ),
        lambda c, d: actions.assign_case(c, actor=request.user, **d),
        title=_("Penugasan kasus"),
        done=_("Penugasan disimpan."),
    )


def _case_form(request, code, uid, make_form, run, *, title: str, done: str, intro=None):
    """A form of a case on its own page (the case page links to it and stays light:
    a kab/kota list alone is 27 kB). GET: the blank form. POST: valid → the action → back to the
    case; invalid → the form again, with the messages next to the fields and what was typed kept.
    `make_form(case, data)` takes `()` for a blank form, `(POST, FILES)` for a posted one;
    `intro(case)`, when given, says above the form what the user must know first."""
    case_ = _case_for_write(request, code, uid)
    posted = request.method == "POST"
    form = make_form(case_, (request.POST, request.FILES) if posted else ())
    if posted and form.is_valid():
        try:
            run(case_, dict(form.cleaned_data))
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(case_url(case_))
    return unit_page(
        request,
        "protection/simple_form.html",
        case_.local_government,
        {"case": case_, "form": form, "title": title, "intro": intro(case_) if intro else ""},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def service_add(request, code, uid):
    return _case_form(
        request,
        code,
        uid,
        lambda c, data: ServiceForm(*data, case=c, initial={"date": timezone.localdate()}),
        lambda c, d: actions.record_service(c, actor=request.user, **d),
        title=_("Catat layanan"),
        done=_("Layanan dicatat."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def consent_add(request, code, uid):
    return _case_form(
        request,
        code,
        uid,
        lambda c, data: ConsentForm(*data, initial={"given_on": timezone.localdate()}),
        lambda c, d: actions.record_consent(c, actor=request.user, **d),
        title=_("Catat persetujuan wali"),
        done=_("Persetujuan wali dicatat."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def referral_add(request, code, uid):
    def may_override(c) -> bool:
        return can(request.user, Perm.OVERRIDE_CONSENT, c.local_government_id)

    def intro(c) -> str:
        if actions.has_consent(c):
            return ""
        if may_override(c):
            return _(
                "Persetujuan wali belum dicatat. Sebagai supervisor Anda dapat merujuk tanpa "
                "persetujuan itu, dengan menuliskan alasannya di bawah."
            )
        return _(
            "Persetujuan wali belum dicatat: rujukan dan pengalihan ditolak sampai dicatat di "
            "halaman kasus, atau sampai supervisor merujuk dengan alasannya."
        )

    def run(c, d):
        try:
            return actions.refer_case(c, actor=request.user, **d)
        except PermissionDenied:
            raise ValidationError(
                _("Hanya supervisor yang dapat merujuk tanpa persetujuan wali.")
            ) from None

    return _case_form(
        request,
        code,
        uid,
        lambda c, data: ReferralForm(
            *data, may_override=may_override(c), initial={"sent_on": timezone.localdate()}
        ),
        run,
        title=_("Rujuk atau alihkan"),
        done=_("Rujukan dicatat."),
        intro=intro,
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
    return redirect(case_url(case_))


@never_cache
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, code: str, uid) -> HttpResponse:
    case_ = get_case_for_break_glass(request.user, code, uid)
    if can_open_case(request.user, case_):
        return redirect(case_url(case_))
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
            return redirect(case_url(case_))
    return unit_page(
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
    return serve_document(request, Document.objects.filter(case=case_), item, case=case_)
