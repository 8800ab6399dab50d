"""Pages: the kab/kota overview (with its workbook), one kecamatan or kelurahan/desa, and the
forms to set a status and fill a year's checklist. Everyone in scope reads; the secretariat and
the village officers of the area write (access.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sikla.accounts.rules import Perm, has_role_perm
from sikla.core import history
from sikla.core.views_util import add_action_errors, paginate
from sikla.regions.models import Level

from . import actions, exports, queries
from .access import can_manage, get_area_for_user, get_evidence_for_user, get_villages_lg_for_user
from .forms import ChecklistForm, FilterForm, StatusForm, checklist_initial
from .models import DECLARED_STATUSES, ITEM_SHORT, ChecklistItem, Status


def _year(request) -> int:
    raw = request.GET.get("tahun", "")
    this_year = timezone.localdate().year
    if raw.isdigit() and actions.FIRST_YEAR <= int(raw) <= this_year:
        return int(raw)
    return this_year


def _items() -> list[tuple[str, str, str]]:
    return [(item, label, str(ITEM_SHORT[item])) for item, label in ChecklistItem.choices]


@require_GET
def overview(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_villages_lg_for_user(request.user, code)
    year = _year(request)
    ov = queries.overview(lg, year)
    form = FilterForm(request.GET or None, districts=[(d.code, d.name) for d in ov.districts])
    form.is_valid()  # an unreadable filter is dropped; the readable ones still apply
    data = getattr(form, "cleaned_data", {})
    filters = queries.AreaFilter(
        district=data.get("kecamatan", ""),
        status=data.get("status", ""),
        item=data.get("butir", ""),
        year=year,
    )
    page = paginate(request, queries.areas(lg, filters))
    done = queries.items_done(lg, [r.code for r in page], year)
    share = queries.shares(lg, year)
    texts = queries.indicator_2_questions()
    user = request.user
    labels = dict(Status.choices)
    return render(
        request,
        "villages/overview.html",
        {
            "lg": lg,
            "year": year,
            "years": sorted({year, timezone.localdate().year, *queries.checklist_years(lg)}),
            "ov": ov,
            "share": share,
            "questions": [
                (code, texts.get(code, ""), value) for code, value in queries.question_values(share)
            ],
            "form": form,
            "filtered": any(data.get(k) for k in ("kecamatan", "status", "butir")),
            "page": page,
            "rows": [(r, labels[r.st], len(done[r.code]), can_manage(user, r.code)) for r in page],
            "items": _items(),
            "item_count": len(ChecklistItem.values),
            "may_manage": has_role_perm(user, Perm.MANAGE_VILLAGES),
        },
    )


@require_GET
def export(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_villages_lg_for_user(request.user, code)
    year = _year(request)
    response = HttpResponse(exports.workbook(lg, year), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(lg, year)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def area(request: HttpRequest, code: str, region_code: str) -> HttpResponse:
    lg, region = get_area_for_user(request.user, code, region_code)
    status = queries.status_of(lg, region)
    checklists = queries.checklists_of(status)
    this_year = timezone.localdate().year
    context = {
        "lg": lg,
        "region": region,
        "is_district": region.level == Level.DISTRICT,
        "status": status,
        "status_label": status.get_status_display() if status else Status.NOT_STARTED.label,
        "checklists": [(c, {a.item: a for a in c.answers.all()}) for c in checklists],
        "items": _items(),
        "edit_years": sorted(
            {this_year, this_year - 1, *(c.year for c in checklists)}, reverse=True
        ),
        "history": queries.status_history(status)[:50],
        "checklist_log": [
            (
                event,
                history.action_label(event.action),
                history.change_lines("villages.checklist", event.changes),
            )
            for event in queries.checklist_history(lg, status)[:50]
        ],
        "can_edit": can_manage(request.user, region.code),
    }
    if region.level == Level.DISTRICT:
        year = this_year
        villages = list(queries.villages_of_district(lg, region))
        done = queries.items_done(lg, [v.code for v in villages], year)
        labels = dict(Status.choices)
        context["villages"] = [(v, labels[v.st], len(done[v.code])) for v in villages]
        context["declared_count"] = sum(v.st in DECLARED_STATUSES for v in villages)
        context["year"] = year
        context["item_count"] = len(ChecklistItem.values)
    return render(request, "villages/area.html", context)


@require_http_methods(["GET", "POST"])
def status_edit(request: HttpRequest, code: str, region_code: str) -> HttpResponse:
    lg, region = get_area_for_user(request.user, code, region_code, write=True)
    status = queries.status_of(lg, region)
    initial = (
        {
            "status": status.status,
            "declared_on": status.declared_on,
            "decree_number": status.decree_number,
            "task_force_decree": status.task_force_decree,
            "task_force_chair": status.task_force_chair,
            "task_force_members": status.task_force_members,
        }
        if status
        else {"status": Status.NOT_STARTED}
    )
    form = StatusForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_status(
                actor=request.user, local_government=lg, region=region, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Status %(name)s disimpan.") % {"name": region.name})
            return redirect("villages:area", lg.code, region.code)
    return render(
        request,
        "villages/status_form.html",
        {"lg": lg, "region": region, "form": form, "status": status},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, code: str, region_code: str, year: int) -> HttpResponse:
    lg, region = get_area_for_user(request.user, code, region_code, write=True)
    if not actions.FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    status = queries.status_of(lg, region)
    checklist = next((c for c in queries.checklists_of(status) if c.year == year), None)
    form = ChecklistForm(
        request.POST or None, request.FILES or None, initial=checklist_initial(checklist)
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_checklist(
                actor=request.user,
                local_government=lg,
                region=region,
                year=year,
                answers=form.answers(),
                files=form.files_in(),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Daftar periksa %(name)s tahun %(y)s disimpan.")
                % {"name": region.name, "y": year},
            )
            return redirect("villages:area", lg.code, region.code)
    answers = {a.item: a for a in checklist.answers.all()} if checklist else {}
    return render(
        request,
        "villages/checklist_form.html",
        {
            "lg": lg,
            "region": region,
            "year": year,
            "form": form,
            "rows": [
                (*row, answers.get(item))
                for row, item in zip(form.rows(), ChecklistItem.values, strict=True)
            ],
        },
        status=422 if form.errors else 200,
    )


@require_GET
def evidence(request: HttpRequest, code: str, region_code: str, uid) -> FileResponse:
    """Download (or, with ?lihat=1, view inline) through the scope check; never a public URL."""
    answer = get_evidence_for_user(request.user, code, region_code, uid)
    response = FileResponse(
        answer.evidence.open("rb"),
        content_type=answer.evidence_mime,
        as_attachment=request.GET.get("lihat") != "1",
        filename=f"bukti-{region_code}-{answer.checklist.year}-{answer.item}.{answer.evidence_ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
