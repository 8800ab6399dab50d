"""Pages of the action plan (RAD KLA): access → form → action → redirect or render.

Everybody in scope reads (`Perm.VIEW_PLANNING`); the secretariat manages the plan, programmes,
targets, budgets and APBD figures and accepts reports (`Perm.MANAGE_PLAN`); quarterly progress is
reported by the secretariat or the operators of the programme's lead agency
(`Perm.REPORT_PROGRESS`, narrowed by `can_report_progress`).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm
from sikla.core.views_util import add_action_errors, paginate
from sikla.organisations.access import get_local_government_for_user

from ..actions import plan as actions
from ..forms.plan import (
    AcceptForm,
    AdoptForm,
    BudgetForm,
    LocalBudgetForm,
    PlanForm,
    ProgrammeForm,
    ProgressForm,
    TargetForm,
    indicators_numbered,
)
from ..models.plan import FundingSource
from ..queries import plan as queries


def _plan_url(plan) -> str:
    return reverse("planning:plan", args=[plan.local_government_id]) + f"?rencana={plan.uid}"


def _programme_url(programme) -> str:
    return reverse("planning:programme", args=[programme.plan.local_government_id, programme.uid])


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _form_page(
    request,
    *,
    lg,
    title: str,
    form,
    back: str,
    plan=None,
    programme=None,
    multipart: bool = False,
    intro: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "planning/plan/form.html",
        {
            "lg": lg,
            "plan": plan,
            "programme": programme,
            "title": title,
            "form": form,
            "back": back,
            "multipart": multipart,
            "intro": intro,
        },
        status=status,
    )


# --- the plan -----------------------------------------------------------------------------


@require_GET
def plan(request: HttpRequest, code: str) -> HttpResponse:
    """The plan overview: plan vs actual per year, indicator and agency; the child-responsive
    share of the APBD; a chart; the programmes (filtered, paginated)."""
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_PLANNING)
    today = timezone.localdate()
    plans = list(queries.plans_of(lg))
    chosen = request.GET.get("rencana", "")
    current = next((p for p in plans if str(p.uid) == chosen), None) or queries.current_plan(
        lg, today.year, plans
    )
    context = {
        "lg": lg,
        "plans": plans,
        "plan": current,
        "can_manage": queries.can_manage_plan(request.user, lg),
    }
    if current is None:
        return render(request, "planning/plan/overview.html", context)
    current.local_government = lg
    summary = queries.plan_summary(current)
    year = _int(request.GET.get("tahun"))
    if year not in current.years:
        year = today.year if today.year in current.years else current.start_year
    indicator = _int(request.GET.get("indikator"))
    agency = request.GET.get("opd", "")
    search = request.GET.get("q", "").strip()[:100]
    rows = queries.filter_programmes(
        summary.programmes, indicator=indicator, agency=agency, search=search
    )
    context.update(
        {
            "summary": summary,
            "year": year,
            "year_row": summary.year(year),
            "chart": summary.chart(),
            "page": paginate(request, rows),
            "filters": {"indikator": indicator, "opd": agency, "q": search},
            "filtered": bool(indicator or agency or search),
            "agencies": [g.key for g in summary.by_agency],
            "indicators": [g.key for g in summary.by_indicator],
        }
    )
    return render(request, "planning/plan/overview.html", context)


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.MANAGE_PLAN)
    year = timezone.localdate().year
    form = PlanForm(
        request.POST or None,
        initial={
            "title": _("Rencana Aksi Daerah KLA %(lg)s") % {"lg": lg.name},
            "start_year": year,
            "end_year": year + 4,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_plan(
                actor=request.user, local_government=lg, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("RAD KLA dibuat sebagai draf. Tambahkan programnya."))
            return redirect(_plan_url(created))
    return _form_page(
        request,
        lg=lg,
        title=_("RAD KLA baru"),
        form=form,
        back=reverse("planning:plan", args=[lg.code]),
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = queries.get_plan_for_user(request.user, code, uid, perm=Perm.MANAGE_PLAN)
    form = PlanForm(
        request.POST or None,
        initial={
            "title": item.title,
            "start_year": item.start_year,
            "end_year": item.end_year,
            "decree_number": item.decree_number,
            "decree_date": item.decree_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_plan(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("RAD KLA disimpan."))
            return redirect(_plan_url(item))
    return _form_page(
        request,
        lg=item.local_government,
        plan=item,
        title=_("Ubah RAD KLA"),
        form=form,
        back=_plan_url(item),
    )


@require_http_methods(["GET", "POST"])
def plan_adopt(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = queries.get_plan_for_user(request.user, code, uid, perm=Perm.MANAGE_PLAN)
    form = AdoptForm(
        request.POST or None,
        initial={"decree_number": item.decree_number, "decree_date": item.decree_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.adopt_plan(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("RAD KLA ditetapkan."))
            return redirect(_plan_url(item))
    return _form_page(
        request,
        lg=item.local_government,
        plan=item,
        title=_("Tetapkan RAD KLA"),
        form=form,
        back=_plan_url(item),
        intro=_(
            "Setelah ditetapkan, RAD KLA menjadi acuan analisis kesenjangan evaluasi dan "
            "perangkat daerah dapat melaporkan progres triwulanan."
        ),
    )


@require_http_methods(["GET", "POST"])
def plan_apbd(request: HttpRequest, code: str, uid) -> HttpResponse:
    """The local government's total APBD per year of the plan."""
    item = queries.get_plan_for_user(request.user, code, uid, perm=Perm.MANAGE_PLAN)
    known = dict(item.plan_years.values_list("year", "total_apbd"))
    year = _int(request.GET.get("tahun")) or item.start_year
    form = LocalBudgetForm(
        request.POST or None, plan=item, initial={"year": year, "total_apbd": known.get(year)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_local_budget(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Total APBD disimpan."))
            return redirect(_plan_url(item))
    return render(
        request,
        "planning/plan/apbd.html",
        {
            "lg": item.local_government,
            "plan": item,
            "form": form,
            "rows": [(y, known.get(y)) for y in item.years],
        },
    )


@require_GET
def plan_export(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = queries.get_plan_for_user(request.user, code, uid)
    body = queries.plan_workbook(queries.plan_summary(item))
    response = HttpResponse(body, content_type=queries.XLSX)
    name = f"rad-kla-{item.local_government_id}-{item.start_year}-{item.end_year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- programmes ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = queries.get_plan_for_user(request.user, code, uid, perm=Perm.MANAGE_PLAN)
    lg = item.local_government
    # "Add a programme for this indicator", e.g. from the gap analysis.
    number = _int(request.GET.get("indikator"))
    initial = {"indicators": indicators_numbered([number])} if number else {}
    form = ProgrammeForm(request.POST or None, local_government=lg, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.add_programme(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Program ditambahkan. Isi target dan anggarannya."))
            return redirect(_programme_url(created))
    return _form_page(
        request, lg=lg, plan=item, title=_("Program baru"), form=form, back=_plan_url(item)
    )


@require_GET
def programme(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = queries.get_programme_for_user(request.user, code, uid)
    detail = queries.programme_detail(item)
    lg = item.plan.local_government
    return render(
        request,
        "planning/plan/programme.html",
        {
            "lg": lg,
            "plan": item.plan,
            "programme": item,
            "detail": detail,
            "chart": detail.chart(),
            "can_manage": queries.can_manage_plan(request.user, lg),
            "can_report": item.plan.is_adopted and queries.can_report_progress(request.user, item),
        },
    )


@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = queries.get_programme_for_user(request.user, code, uid, perm=Perm.MANAGE_PLAN)
    lg = item.plan.local_government
    form = ProgrammeForm(
        request.POST or None,
        local_government=lg,
        initial={
            "code": item.code,
            "name": item.name,
            "lead_agency": item.lead_agency_id,
            "indicators": list(item.indicators.values_list("pk", flat=True)),
            "unit": item.unit,
            "output_target": item.output_target,
            "outcome_target": item.outcome_target,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_programme(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Program disimpan."))
            return redirect(_programme_url(item))
    return _form_page(
        request,
        lg=lg,
        plan=item.plan,
        programme=item,
        title=_("Ubah program"),
        form=form,
        back=_programme_url(item),
    )


@require_http_methods(["GET", "POST"])
def programme_target(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = queries.get_programme_for_user(request.user, code, uid, perm=Perm.MANAGE_PLAN)
    plan = item.plan
    year = _int(request.GET.get("tahun")) or plan.start_year
    existing = item.targets.filter(year=year).first()
    initial = {"year": year, "unit": item.unit}
    if existing:
        initial.update(
            output_target=existing.output_target,
            unit=existing.unit,
            outcome_target=existing.outcome_target,
        )
    form = TargetForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_target(item, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Target disimpan."))
            return redirect(_programme_url(item))
    return _form_page(
        request,
        lg=plan.local_government,
        plan=plan,
        programme=item,
        title=_("Target tahunan"),
        form=form,
        back=_programme_url(item),
    )


@require_http_methods(["GET", "POST"])
def programme_budget(request: HttpRequest, code: str, uid) -> HttpResponse:
    item = queries.get_programme_for_user(request.user, code, uid, perm=Perm.MANAGE_PLAN)
    plan = item.plan
    year = _int(request.GET.get("tahun")) or plan.start_year
    source = request.GET.get("sumber", FundingSource.APBD)
    existing = item.budgets.filter(year=year, source=source).first()
    initial = {"year": year, "source": source}
    if existing:
        initial.update(planned=existing.planned, realised=existing.realised)
    form = BudgetForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["realised"] = data["realised"] or 0
        try:
            budget = actions.set_budget(item, actor=request.user, **data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Anggaran disimpan."))
            if budget.over_realised:
                messages.warning(request, _("Perhatian: realisasi melebihi pagu."))
            return redirect(_programme_url(item))
    return _form_page(
        request,
        lg=plan.local_government,
        plan=plan,
        programme=item,
        title=_("Anggaran per tahun dan sumber dana"),
        form=form,
        back=_programme_url(item),
    )


@require_http_methods(["GET", "POST"])
def programme_progress(request: HttpRequest, code: str, uid) -> HttpResponse:
    """Report (or, until accepted, correct) one quarter."""
    item = queries.get_programme_for_user(request.user, code, uid, perm=Perm.REPORT_PROGRESS)
    if not queries.can_report_progress(request.user, item):
        raise PermissionDenied
    plan = item.plan
    today = timezone.localdate()
    year = _int(request.GET.get("tahun")) or (
        today.year if today.year in plan.years else plan.start_year
    )
    quarter = _int(request.GET.get("triwulan")) or (today.month - 1) // 3 + 1
    existing = item.progress_reports.filter(year=year, quarter=quarter).first()
    initial = {"year": year, "quarter": quarter}
    if existing:
        initial.update(
            output_achieved=existing.output_achieved,
            realisation=existing.realisation,
            narrative=existing.narrative,
        )
    form = ProgressForm(request.POST or None, request.FILES or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            _report, created = actions.report_progress(
                item, actor=request.user, upload=upload, **data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Laporan progres dikirim.") if created else _("Laporan progres diperbarui."),
            )
            return redirect(_programme_url(item))
    return _form_page(
        request,
        lg=plan.local_government,
        plan=plan,
        programme=item,
        title=_("Laporan progres triwulanan"),
        form=form,
        back=_programme_url(item),
        multipart=True,
        intro=_("Satu laporan per triwulan; laporan dapat diperbaiki sampai diterima sekretariat."),
    )


@require_POST
def progress_accept(request: HttpRequest, code: str, uid, report) -> HttpResponse:
    item = queries.get_programme_for_user(request.user, code, uid, perm=Perm.MANAGE_PLAN)
    found = queries.get_progress_for_user(request.user, item, report)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.as_text())
        return redirect(_programme_url(item))
    try:
        actions.accept_progress(found, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Laporan progres diterima."))
    return redirect(_programme_url(item))


@require_GET
def progress_file(request: HttpRequest, code: str, uid, report) -> HttpResponse:
    """The evidence of a report, through the scope check; never a public URL."""
    item = queries.get_programme_for_user(request.user, code, uid)
    found = queries.get_progress_for_user(request.user, item, report)
    if not found.file:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.mime,
        as_attachment=request.GET.get("lihat") != "1",
        filename=f"progres-{found.year}-tw{found.quarter}-{str(found.uid)[:8]}.{found.kind_ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
