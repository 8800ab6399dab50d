from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can
from sikla.core import public_cache
from sikla.core.views_util import add_action_errors
from sikla.indicators.models import MeasureType
from sikla.lib import filecheck
from sikla.organisations.access import get_local_government_for_user
from sikla.protection.feeds import feed_for_submission
from sikla.regions.models import Region

from . import actions, imports, spreadsheets
from .access import can_enter_data, get_period_for_user, get_submission_for_user
from .entry import ValuesForm, grid_rows, initial_for
from .forms import AssignmentForm, DeadlinesForm, EvidenceForm, PeriodForm
from .grid import district_code, field_name, totals
from .models import Evidence, PeriodStatus
from .queries import (
    entry_rows,
    periods_of,
    previous_submission,
    progress_overview,
    submission_history,
    submissions_for_agency,
    submissions_of,
    values_map,
)


@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_COLLECTION)
    can_manage = can(request.user, Perm.MANAGE_PERIODS, lg.code)
    form = PeriodForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                period = actions.open_period(
                    actor=request.user, local_government=lg, **form.cleaned_data
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, _("Periode %(year)s dibuka.") % {"year": period.year})
                return redirect("collection:period", lg.code, period.year)
    return render(
        request,
        "collection/periods.html",
        {"lg": lg, "periods": periods_of(lg), "form": form, "can_manage": can_manage},
        status=422 if form is not None and form.errors else 200,
    )


def _period_page(request, period, *, deadlines_form=None, status=200) -> HttpResponse:
    can_manage = can(request.user, Perm.MANAGE_PERIODS, period.local_government_id)
    rows = list(submissions_of(period))
    if deadlines_form is None and can_manage:
        deadlines_form = DeadlinesForm(
            initial={
                "input_deadline": period.input_deadline,
                "review_deadline": period.review_deadline,
            }
        )
    return render(
        request,
        "collection/period.html",
        {
            "lg": period.local_government,
            "period": period,
            "rows": rows,
            "unassigned": sum(1 for r in rows if r.lead_agency_id is None),
            "unconfirmed": sum(1 for r in rows if not r.is_assignment_confirmed),
            "can_manage": can_manage and not period.is_locked,
            "deadlines_form": deadlines_form,
            "transitions": sorted(actions.PERIOD_TRANSITIONS[period.status]) if can_manage else [],
            "statuses": PeriodStatus,
        },
        status=status,
    )


@require_GET
def period(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _period_page(request, get_period_for_user(request.user, code, year))


@require_POST
def period_deadlines(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year, perm=Perm.MANAGE_PERIODS)
    form = DeadlinesForm(request.POST)
    if form.is_valid():
        try:
            actions.update_period_deadlines(period, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Batas waktu disimpan."))
            return redirect("collection:period", code, year)
    return _period_page(request, period, deadlines_form=form, status=422)


@require_POST
def period_status(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year, perm=Perm.MANAGE_PERIODS)
    try:
        actions.set_period_status(
            period,
            actor=request.user,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", "")[:500],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status periode diperbarui."))
    return redirect("collection:period", code, year)


@require_POST
def confirm_assignments(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year, perm=Perm.MANAGE_PERIODS)
    try:
        count = actions.confirm_assignments(period, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s penugasan dikonfirmasi.") % {"n": count})
    return redirect("collection:period", code, year)


@require_http_methods(["GET", "POST"])
def assignment(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year, perm=Perm.MANAGE_PERIODS)
    submission = get_submission_for_user(request.user, period, number, perm=Perm.MANAGE_PERIODS)
    lg = period.local_government
    initial = {
        "lead_agency": submission.lead_agency,
        "supporting_agencies": list(submission.supporting_agencies.all()),
    }
    form = AssignmentForm(request.POST or None, initial=initial, local_government=lg)
    if form.is_valid():
        try:
            actions.assign_submission(
                submission,
                actor=request.user,
                lead_agency=form.cleaned_data["lead_agency"],
                supporting_agencies=list(form.cleaned_data["supporting_agencies"]),
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                _("Penugasan indikator %(n)s disimpan.") % {"n": submission.indicator.number},
            )
            return redirect("collection:period", code, year)
    return render(
        request,
        "collection/assignment.html",
        {"lg": lg, "period": period, "submission": submission, "form": form},
        status=422 if form.errors else 200,
    )


@require_GET
def my_indicators(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role != Role.AGENCY_OPERATOR or user.agency is None:
        raise Http404
    return render(
        request,
        "collection/my_indicators.html",
        {
            "agency": user.agency,
            "rows": list(submissions_for_agency(user.agency)),
            "today": timezone.localdate(),
        },
    )


def _totals_context(entered: dict, submission) -> dict:
    """Totals per kecamatan (with names) and for the kab/kota of the given cells."""
    per_district, overall = totals(entered, district_code, submission.local_government_id)
    names = dict(Region.objects.filter(code__in=per_district).values_list("code", "name"))
    return {
        "per_district": [
            (names.get(code, code), total) for code, total in sorted(per_district.items())
        ],
        "overall": overall,
        "is_percentage": submission.indicator.measure_type == MeasureType.PERCENTAGE,
    }


def _submission_context(
    request, period, submission, form, *, stale=None, evidence_form=None
) -> dict:
    lg = period.local_government
    # last year's values, read-only beside the grid: kept until the kab/kota changes anything
    previous = public_cache.kept_in_process(
        f"collection-previous-values:{submission.pk}",
        lg.code,
        lambda: values_map(previous_submission(submission)),
    )
    return {
        "lg": lg,
        "period": period,
        "submission": submission,
        "indicator": submission.indicator,
        "form": form,
        "grid_rows": grid_rows(form, form.rows, previous, editable=form.editable),
        "page": form.page,
        "headers": form.headers(),
        "editable": form.editable,
        **_totals_context(_entered(form), submission),
        "has_previous": bool(previous),
        "history": submission_history(submission),
        "stale": stale,
        **_workflow_flags(request.user, submission, form.editable),
        "evidence": list(submission.evidence.filter(deleted_at__isnull=True)),
        "evidence_form": evidence_form or EvidenceForm(indicator=submission.indicator),
        "protection_feed": feed_for_submission(request.user, submission),
    }


def _workflow_flags(user, submission, editable: bool) -> dict:
    reviewer = (
        can(user, Perm.REVIEW_DATA, submission.local_government_id)
        and submission.period.status == PeriodStatus.OPEN
    )
    return {
        "can_submit": editable,
        "can_review": reviewer and submission.status == "submitted",
        "is_own_submission": submission.submitted_by_id == user.pk,
        "can_reopen": reviewer and submission.status == "approved",
    }


GRID_PAGE_ROWS = 120  # a longer grid is entered one kecamatan at a time


@dataclass
class GridPage:
    """The rows of the grid a page shows: all of them, or one kecamatan's of a long grid."""

    all_rows: list
    rows: list
    districts: list  # every kecamatan, when the grid is split; [] otherwise
    current: object = None

    def codes(self) -> set[str]:
        return {r.code for r in self.rows}


def _grid_page(indicator, lg, chosen: str) -> GridPage:
    # The grid's regions (850 kelurahan/desa of the largest kab/kota) and its kecamatan, kept by
    # the process until the kab/kota or the regions change (`sikla import-regions` moves the
    # global version on); a save still checks its cells against the regions as they are.
    rows = public_cache.kept_in_process(
        f"collection-entry-rows:{indicator.pk}", lg.code, lambda: entry_rows(indicator, lg)
    )
    if len(rows) <= GRID_PAGE_ROWS:
        return GridPage(rows, rows, [])
    districts = public_cache.kept_in_process(
        f"collection-districts:{lg.code}",
        lg.code,
        lambda: list(
            Region.objects.filter(code__startswith=lg.code + ".", level="district", is_active=True)
            .order_by("code")
            .only("code", "name")
        ),
    )
    current = next((d for d in districts if d.code == chosen), districts[0])
    shown = [r for r in rows if district_code(r.code) == current.code]
    return GridPage(rows, shown, districts, current)


def _entered(form) -> dict:
    """Every cell of the submission as the page stands: the stored values, with what was typed
    (when it is valid) in place of the rows on this page."""
    if not (form.is_bound and form.is_valid()):
        return form.stored
    shown = form.page.codes()
    return {**{c: v for c, v in form.stored.items() if c[0] not in shown}, **form.values()}


def _values_form(request, period, submission, *, data=None):
    stored = values_map(submission)
    page = _grid_page(
        submission.indicator,
        period.local_government,
        (data if data is not None else request.GET).get("kecamatan", ""),
    )
    shown = page.codes()
    form = ValuesForm(
        data,
        indicator=submission.indicator,
        rows=page.rows,
        initial={
            **initial_for({c: v for c, v in stored.items() if c[0] in shown}),
            "narrative": submission.narrative,
            "version": submission.version,
        },
    )
    form.rows, form.page, form.stored = page.rows, page, stored
    form.editable = (
        period.status == PeriodStatus.OPEN
        and submission.status in actions.EDITABLE_STATUSES
        and can_enter_data(request.user, submission)
    )
    return form


@require_http_methods(["GET", "POST"])
def submission(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year)
    item = get_submission_for_user(request.user, period, number, perm=Perm.VIEW_COLLECTION)
    if request.method == "GET":
        form = _values_form(request, period, item)
        return render(
            request, "collection/submission.html", _submission_context(request, period, item, form)
        )
    form = _values_form(request, period, item, data=request.POST)
    if not form.editable:
        raise PermissionDenied
    stale = None
    status = 422
    if form.is_valid():
        try:
            changed = actions.save_values(
                item,
                actor=request.user,
                values=_entered(form),
                narrative=form.cleaned_data["narrative"],
                expected_version=form.cleaned_data["version"],
            )
        except actions.StaleSubmission as exc:
            stale = exc
            status = 409
            # Keep what the user typed; the next save goes over the version they have now seen.
            form.data = form.data.copy()
            form.data["version"] = exc.current_version
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, _("Data disimpan.") if changed else _("Tidak ada perubahan."))
            url = reverse("collection:submission", args=[code, year, number])
            if form.page.current is not None:
                url += "?" + urlencode({"kecamatan": form.page.current.code})
            return redirect(url)
    return render(
        request,
        "collection/submission.html",
        _submission_context(request, period, item, form, stale=stale),
        status=status,
    )


@require_POST
def submission_totals(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    """Totals of what is typed, unsaved (HTMX, as the user types)."""
    period = get_period_for_user(request.user, code, year)
    item = get_submission_for_user(request.user, period, number, perm=Perm.VIEW_COLLECTION)
    form = _values_form(request, period, item, data=request.POST)
    form.is_valid()
    shown = form.page.codes()
    typed = {c: v for c, v in form.stored.items() if c[0] not in shown}
    for cell in form.cells:
        numbers = []
        for kind in ("n", "d", "v"):
            name = field_name(kind, cell)
            numbers.append(form.cleaned_data.get(name) if name not in form.errors else None)
        if any(n is not None for n in numbers):
            typed[cell] = tuple(numbers)
    return render(request, "collection/submission.html#totals", _totals_context(typed, item))


# URL word → (action, the form field it reads as its note, its success message)
TRANSITIONS = {
    "ajukan": (actions.submit_submission, "note", gettext_lazy("Diajukan ke sekretariat.")),
    "kembalikan": (
        actions.return_submission,
        "comment",
        gettext_lazy("Dikembalikan ke perangkat daerah."),
    ),
    "setujui": (actions.approve_submission, "note", gettext_lazy("Disetujui; data dikunci.")),
    "buka-kembali": (actions.reopen_submission, "reason", gettext_lazy("Dibuka kembali.")),
}


@require_POST
def transition(request: HttpRequest, code: str, year: int, number: int, step: str) -> HttpResponse:
    if step not in TRANSITIONS:
        raise Http404
    period = get_period_for_user(request.user, code, year)
    item = get_submission_for_user(request.user, period, number, perm=Perm.VIEW_COLLECTION)
    action, field, done = TRANSITIONS[step]
    text = request.POST.get("comment", "")[:2000]
    try:
        action(item, actor=request.user, **{field: text})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("collection:submission", code, year, number)


@require_POST
def evidence_upload(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year)
    item = get_submission_for_user(request.user, period, number, perm=Perm.VIEW_COLLECTION)
    upload_form = EvidenceForm(request.POST, request.FILES, indicator=item.indicator)
    if upload_form.is_valid():
        data = upload_form.cleaned_data
        try:
            evidence = actions.upload_evidence(
                item,
                actor=request.user,
                upload=data["file"],
                title=data["title"],
                kind=data["kind"],
                document_date=data["document_date"],
                question=data["question"],
            )
        except ValidationError as exc:
            add_action_errors(upload_form, exc)
        else:
            messages.success(request, _("Bukti dukung “%(t)s” diunggah.") % {"t": evidence.title})
            return redirect("collection:submission", code, year, number)
    form = _values_form(request, period, item)
    context = _submission_context(request, period, item, form, evidence_form=upload_form)
    return render(request, "collection/submission.html", context, status=422)


def _evidence_for_user(request, code, year, number, uid):
    period = get_period_for_user(request.user, code, year)
    item = get_submission_for_user(request.user, period, number, perm=Perm.VIEW_COLLECTION)
    try:
        return item.evidence.select_related("submission__period").get(
            uid=uid, deleted_at__isnull=True
        )
    except (Evidence.DoesNotExist, ValueError):
        raise Http404 from None


@require_GET
def evidence_file(request: HttpRequest, code: str, year: int, number: int, uid) -> HttpResponse:
    """Download (or, with ?lihat=1, view inline) through the scope check; never a public URL."""
    evidence = _evidence_for_user(request, code, year, number, uid)
    inline = request.GET.get("lihat") == "1"
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.mime,
        as_attachment=not inline,
        filename=evidence.file_name(year, number),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def evidence_delete(request: HttpRequest, code: str, year: int, number: int, uid) -> HttpResponse:
    evidence = _evidence_for_user(request, code, year, number, uid)
    try:
        actions.delete_evidence(evidence, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Bukti dukung dihapus."))
    return redirect("collection:submission", code, year, number)


@require_GET
def progress(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Where the period stands: status per indicator, per agency, evidence, what is overdue."""
    period = get_period_for_user(request.user, code, year)
    today = timezone.localdate()
    return render(
        request,
        "collection/progress.html",
        {
            "lg": period.local_government,
            "period": period,
            # The content, rendered once and kept until anything of the kab/kota changes (or the
            # day: what is overdue); the overview is worked out only then.
            "content": public_cache.key(
                f"collection-progress:{period.pk}", period.local_government_id
            ),
            "overview": SimpleLazyObject(lambda: progress_overview(period, today=today)),
        },
    )


@require_GET
def spreadsheet_template(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    period = get_period_for_user(request.user, code, year)
    item = get_submission_for_user(request.user, period, number, perm=Perm.VIEW_COLLECTION)
    rows = entry_rows(item.indicator, period.local_government)
    return _download(
        spreadsheets.template_workbook(item, rows),
        spreadsheets.template_filename(item),
        filecheck.MIME[filecheck.XLSX],
    )


@require_POST
def spreadsheet_import(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    """Every row checked, then a preview of what the file would change; nothing is stored until
    the user confirms it (`spreadsheet_import_confirm`)."""
    period = get_period_for_user(request.user, code, year)
    item = get_submission_for_user(request.user, period, number, perm=Perm.VIEW_COLLECTION)
    form = _values_form(request, period, item)
    if not form.editable:
        raise PermissionDenied
    upload = request.FILES.get("workbook")
    problems = []
    if upload is None:
        problems = [_("Pilih berkas Excel (.xlsx) hasil templat.")]
    else:
        try:
            values = spreadsheets.read_workbook(upload, item, form.page.all_rows)
        except spreadsheets.SpreadsheetError as exc:
            problems = [str(problem) for problem in exc.errors]
        else:
            clear_missing = request.POST.get("kosongkan") == "ya"
            changes = imports.merge(form.stored, values, clear_missing=clear_missing)
            if not changes.any:
                messages.info(
                    request,
                    _("Isian di berkas sama dengan yang tersimpan; tidak ada yang diubah."),
                )
                return redirect("collection:submission", code, year, number)
            names = {r.code: r.name for r in form.page.all_rows}
            return render(
                request,
                "collection/import_preview.html",
                {
                    "lg": period.local_government,
                    "period": period,
                    "submission": item,
                    "indicator": item.indicator,
                    "changes": changes,
                    "clear_missing": clear_missing,
                    "lists": _preview_lists(changes, names),
                    "token": imports.seal(item, request.user, changes.final, version=item.version),
                },
            )
    context = _submission_context(request, period, item, form)
    return render(
        request, "collection/submission.html", context | {"import_problems": problems}, status=422
    )


def _preview_lists(changes: imports.Changes, names: dict[str, str]) -> list[dict]:
    """The preview's lists, each with its heading, count and first cells (label, old, new)."""
    kinds = [
        ("added", _("Ditambah"), changes.added),
        ("changed", _("Diubah"), changes.changed),
        ("cleared", _("Dikosongkan"), changes.cleared),
        ("kept", _("Tidak ada di berkas; nilai tersimpan dibiarkan"), changes.kept),
    ]
    return [
        {
            "key": key,
            "heading": heading,
            "count": len(cells),
            "cells": [
                (imports.cell_label(c, names), imports.cell_text(old), imports.cell_text(new))
                for c, old, new in cells[: imports.SHOWN]
            ],
        }
        for key, heading, cells in kinds
        if cells
    ]


@require_POST
def spreadsheet_import_confirm(
    request: HttpRequest, code: str, year: int, number: int
) -> HttpResponse:
    """Store the values of a previewed import, if nobody saved the submission in between."""
    period = get_period_for_user(request.user, code, year)
    item = get_submission_for_user(request.user, period, number, perm=Perm.VIEW_COLLECTION)
    try:
        version, values = imports.unseal(request.POST.get("pratinjau", ""), item, request.user)
    except signing.BadSignature:
        messages.error(
            request,
            _("Pratinjau impor ini sudah kedaluwarsa atau tidak sah; unggah berkasnya lagi."),
        )
        return redirect("collection:submission", code, year, number)
    try:
        changes = imports.merge(values_map(item), values, clear_missing=True)
        actions.save_values(
            item,
            actor=request.user,
            values=values,
            narrative=item.narrative,
            expected_version=version,
        )
    except actions.StaleSubmission:
        messages.error(
            request,
            _(
                "Data indikator ini diubah orang lain setelah pratinjau dibuat; tidak ada yang "
                "disimpan. Unggah berkasnya lagi untuk melihat perubahan terhadap data terbaru."
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Isian dari Excel disimpan: %(added)s sel ditambah, %(changed)s diubah, "
                "%(cleared)s dikosongkan."
            )
            % {
                "added": len(changes.added),
                "changed": len(changes.changed),
                "cleared": len(changes.cleared),
            },
        )
    return redirect("collection:submission", code, year, number)


@require_GET
def period_export(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in {"xlsx", "csv"}:
        raise Http404
    period = get_period_for_user(request.user, code, year)
    if fmt == "csv":
        body = spreadsheets.export_csv(period).encode("utf-8")
        content_type = "text/csv; charset=utf-8"
    else:
        body, content_type = spreadsheets.export_xlsx(period), filecheck.MIME[filecheck.XLSX]
    return _download(body, spreadsheets.export_filename(period, fmt), content_type)


def _download(body: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
