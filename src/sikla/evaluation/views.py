"""Evaluation pages: access → form → action → redirect or render."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikla.accounts.rules import Perm, can
from sikla.core import public_cache
from sikla.core.views_util import add_action_errors
from sikla.organisations.access import get_local_government_for_user

from . import actions, jobs, queries
from .access import can_answer, can_verify, get_evaluation_period, get_scenario_for_user
from .forms import (
    AnswersForm,
    CompleteStageForm,
    CorrectionEvidenceForm,
    CorrectionWindowForm,
    DeterminationForm,
    NoteForm,
    ReviewForm,
    ScenarioForm,
)
from .models import JobStatus, ReportJob, Stage
from .system_values import system_values


def _stage_columns(a: queries.Assessment) -> list[tuple[str, str]]:
    """(stage, label) of every stage with a score so far, self first: the side-by-side view."""
    shown = [r.stage for r in a.stage_results]
    if a.live_stage is not None:
        shown.append(a.stage)
    if Stage.SELF not in shown:
        shown.insert(0, Stage.SELF)
    return [(s, Stage(s).label) for s in dict.fromkeys(shown)]


def _stage_totals(a: queries.Assessment) -> dict[str, Decimal]:
    totals = {r.stage: r.total for r in a.stage_results}
    totals.setdefault(Stage.SELF, a.result.total)
    if a.live_stage is not None:
        totals[a.stage] = a.live_stage.total
    return totals


@require_GET
def overview(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    a = queries.kept_assessment(period)
    user, lg = request.user, period.local_government_id
    stage = a.stage
    clusters = {row.indicator.cluster.number: row.indicator.cluster for row in a.rows}
    shown = a.current.clusters
    chart = {
        "labels": [clusters[n].label for n in shown],
        "datasets": [
            {"label": _("Nilai"), "data": [float(c.score) for c in shown.values()]},
            {"label": _("Maksimum"), "data": [float(c.max_points) for c in shown.values()]},
        ],
    }
    return render(
        request,
        "evaluation/overview.html",
        {
            "lg": period.local_government,
            "period": period,
            "a": a,
            "result": a.current,
            "self_result": a.result,
            "clusters": [(clusters[n], c) for n, c in shown.items()],
            "columns": _stage_columns(a),
            "stage_totals": _stage_totals(a),
            "chart": chart,
            "stage": stage,
            "stages": [(s.value, s.label) for s in Stage],
            "can_submit": stage == Stage.SELF and can(user, Perm.SUBMIT_SELF_ASSESSMENT, lg),
            "can_verify": can_verify(user, stage, lg),
            "can_determine": stage == Stage.FINAL and can(user, Perm.DETERMINE_CATEGORY, lg),
            "submit_form": NoteForm(),
            "complete_form": CompleteStageForm(),
            "determination_form": DeterminationForm(),
            "windows": queries.open_windows(a.evaluation, timezone.now()),
            "flagged": sum(row.flagged for row in a.rows),
            # The clusters and indicators, rendered once and kept until anything of the kab/kota
            # or the catalog changes.
            "tables": public_cache.key(f"evaluation-overview:{period.pk}", lg),
        },
    )


def _stage_action(request, code, year, run, done: str, form_class=NoteForm) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(period, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("evaluation:overview", code, year)


@require_POST
def submit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _stage_action(
        request,
        code,
        year,
        lambda p, d: actions.submit_self_assessment(p, actor=request.user, note=d["note"]),
        _("Penilaian mandiri diajukan ke provinsi untuk verifikasi administrasi."),
    )


@require_POST
def complete(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _stage_action(
        request,
        code,
        year,
        lambda p, d: actions.complete_stage(
            p, actor=request.user, note=d["note"], field_mode=d.get("field_mode", "")
        ),
        _("Tahap verifikasi diselesaikan; hasilnya disimpan."),
        CompleteStageForm,
    )


@require_POST
def determine(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _stage_action(
        request,
        code,
        year,
        lambda p, d: actions.determine_category(
            p,
            actor=request.user,
            decree_number=d["decree_number"],
            decree_date=d["decree_date"],
            note=d["note"],
        ),
        _("Kategori ditetapkan."),
        DeterminationForm,
    )


@require_http_methods(["GET", "POST"])
def indicator(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    a = queries.assessment(period)
    try:
        row = a.row(number)
    except StopIteration:
        raise Http404 from None
    lg = period.local_government_id
    editable = (
        a.stage == Stage.SELF
        and not period.is_locked
        and can_answer(request.user, row.submission, lg)
    )
    questions = [q.question for q in row.questions]
    initial = {"version": a.evaluation.version if a.evaluation else 1}
    for q in row.questions:
        initial[f"a__{q.question.code}"] = "" if q.value is None else str(q.value)
        initial[f"n__{q.question.code}"] = q.note
    status = 200
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = AnswersForm(request.POST, questions=questions, initial=initial)
        if form.is_valid():
            try:
                changes = actions.save_answers(
                    period,
                    actor=request.user,
                    answers=form.answers(),
                    expected_version=form.cleaned_data["version"],
                )
            except actions.StaleEvaluation as exc:
                form.add_error(None, exc)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_answer_errors(exc.message_dict)
                else:
                    form.add_error(None, exc)
            else:
                if changes:
                    messages.success(request, _("%(n)s jawaban disimpan.") % {"n": len(changes)})
                else:
                    messages.info(request, _("Tidak ada jawaban yang berubah."))
                return redirect("evaluation:indicator", code, year, number)
        status = 422
    else:
        form = AnswersForm(questions=questions, initial=initial)
    verifying = can_verify(request.user, a.stage, lg)
    reviews = queries.reviews_of(a.evaluation, a.stage) if a.live_stage is not None else {}
    stage_points = a.live_stage.points if a.live_stage is not None else {}
    computed = system_values(period, number)
    items = []
    for q in row.questions:
        review = reviews.get(q.question.code)
        items.append(
            {
                "row": q,
                "system": computed.get(q.question.code),
                "answer_field": form[f"a__{q.question.code}"] if not q.from_data else None,
                "note_field": form[f"n__{q.question.code}"] if not q.from_data else None,
                "stage_points": stage_points.get(q.question.code),
                "review": review,
                "review_form": ReviewForm(
                    initial={
                        "code": q.question.code,
                        "points": review.points if review else stage_points.get(q.question.code),
                        "note": review.note if review else "",
                    },
                    auto_id=f"id_review_{q.question.code}_%s",
                )
                if verifying
                else None,
            }
        )
    evidence = []
    if row.submission is not None:
        evidence = list(
            row.submission.evidence.filter(deleted_at__isnull=True).select_related("question")
        )
    return render(
        request,
        "evaluation/indicator.html",
        {
            "lg": period.local_government,
            "period": period,
            "a": a,
            "row": row,
            "items": items,
            "form": form,
            "editable": editable,
            "verifying": verifying,
            "stage_label": Stage(a.stage).label,
            "stage_cards": [
                (Stage(code).label, value)
                for code, value in row.stage_scores.items()
                if code != Stage.SELF
            ],
            "evidence": evidence,
        },
        status=status,
    )


@require_POST
def review(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("evaluation:indicator", code, year, number)
    data = form.cleaned_data
    try:
        actions.review_question(
            period, actor=request.user, code=data["code"], points=data["points"], note=data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Nilai terverifikasi %(code)s disimpan.") % {"code": data["code"]}
        )
    return redirect(f"{request.path.rsplit('verifikasi/', 1)[0]}#q-{data['code']}")


@require_GET
def gaps(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    a = queries.kept_assessment(period)
    lg = period.local_government_id
    return render(
        request,
        "evaluation/gaps.html",
        {
            "lg": period.local_government,
            "period": period,
            "a": a,
            # The tables, rendered once and kept until anything of the kab/kota or the catalog
            # changes (and for the day: overdue follow-ups); what they show is read only then.
            "tables": public_cache.key(f"evaluation-gaps:{period.pk}", lg),
            "gaps": SimpleLazyObject(lambda: queries.gaps(a)),
            "missing": SimpleLazyObject(lambda: queries.missing_evidence(a)),
            "nearest": SimpleLazyObject(lambda: queries.nearest_indicators(a)),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def simulation(request: HttpRequest, code: str, year: int, uid=None) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    a = queries.assessment(period)
    questions = [q.question for row in a.rows for q in row.questions]
    scenario = get_scenario_for_user(request.user, period, uid) if uid else None
    current = {c: ("" if v is None else str(v)) for c, v in a.answers.items()}
    initial = {f"a__{c}": v for c, v in current.items()}
    if scenario is not None:
        initial.update({f"a__{c}": v for c, v in scenario.answers.items()})
    can_save = can(request.user, Perm.SAVE_SCENARIOS, period.local_government_id)
    form = AnswersForm(request.POST or None, questions=questions, notes=False, initial=initial)
    # A change that htmx posts for the projection may carry the last clicked button: only a
    # real submit saves.
    saving = "save" in request.POST and not request.htmx
    scenario_form = ScenarioForm(request.POST if saving else None)
    projected, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            changed = {c: v for c, (v, _note) in form.answers().items() if v != current.get(c, "")}
            if saving:
                if not can_save:
                    raise PermissionDenied
                if scenario_form.is_valid():
                    try:
                        saved = actions.save_scenario(
                            period,
                            actor=request.user,
                            name=scenario_form.cleaned_data["name"],
                            changed=changed,
                        )
                    except ValidationError as exc:
                        if hasattr(exc, "error_dict") and "name" not in exc.error_dict:
                            form.add_answer_errors(exc.message_dict)
                        else:
                            add_action_errors(scenario_form, exc)
                    else:
                        messages.success(
                            request, _("Skenario “%(n)s” disimpan.") % {"n": saved.name}
                        )
                        return redirect("evaluation:scenario", code, year, saved.uid)
            else:
                projected, errors = actions.simulate(period, changed)
                form.add_answer_errors(errors)
        if form.errors or scenario_form.errors:
            status = 422
    if projected is None and not form.errors:
        changed = {c: v for c, v in initial.items() if c.startswith("a__")}
        projected, _errors = actions.simulate(
            period, {c[3:]: v for c, v in changed.items() if v != current.get(c[3:], "")}
        )
    context = {
        "lg": period.local_government,
        "period": period,
        "a": a,
        "form": form,
        "groups": [
            (row, [form[f"a__{q.question.code}"] for q in row.questions if not q.from_data])
            for row in a.rows
        ],
        "projected": projected,
        "current": a.result,
        "scenario": scenario,
        "scenarios": queries.scenarios_of(a.evaluation),
        "scenario_form": scenario_form,
        "can_save": can_save,
    }
    if request.htmx:
        return render(request, "evaluation/simulation.html#projection", context, status=status)
    return render(request, "evaluation/simulation.html", context, status=status)


@require_POST
def scenario_delete(request: HttpRequest, code: str, year: int, uid) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    scenario = get_scenario_for_user(request.user, period, uid)
    actions.delete_scenario(scenario, actor=request.user)
    messages.success(request, _("Skenario “%(n)s” dihapus.") % {"n": scenario.name})
    return redirect("evaluation:simulation", code, year)


@require_http_methods(["GET", "POST"])
def corrections(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    a = queries.assessment(period)
    lg = period.local_government_id
    verifying = can_verify(request.user, a.stage, lg)
    choices = [
        (q.question.code, f"{q.question.code} {q.question.text[:80]}")
        for row in a.rows
        for q in row.questions
    ]
    window_form = CorrectionWindowForm(
        request.POST if request.method == "POST" else None, choices=choices
    )
    status = 200
    if request.method == "POST":
        if not verifying:
            raise PermissionDenied
        if window_form.is_valid():
            d = window_form.cleaned_data
            try:
                actions.open_correction_window(
                    period,
                    actor=request.user,
                    codes=d["questions"],
                    note=d["note"],
                    hours=d["hours"],
                )
            except ValidationError as exc:
                add_action_errors(window_form, exc)
            else:
                messages.success(request, _("Jendela perbaikan dibuka."))
                return redirect("evaluation:corrections", code, year)
        status = 422
    now = timezone.now()
    windows = list(a.evaluation.correction_windows.all()) if a.evaluation else []
    open_codes = sorted(
        {c for w in windows if w.is_open_at(now) for c in w.questions},
        key=lambda c: [int(p) for p in c.split(".")],
    )
    may_upload = bool(open_codes) and can(request.user, Perm.ANSWER_QUESTIONS, lg)
    return render(
        request,
        "evaluation/corrections.html",
        {
            "lg": period.local_government,
            "period": period,
            "a": a,
            "windows": windows,
            "now": now,
            "verifying": verifying,
            "window_form": window_form if verifying else None,
            "upload_form": CorrectionEvidenceForm(codes=open_codes) if may_upload else None,
        },
        status=status,
    )


@require_POST
def correction_upload(request: HttpRequest, code: str, year: int) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    a = queries.assessment(period)
    now = timezone.now()
    codes = sorted({c for w in queries.open_windows(a.evaluation, now) for c in w.questions})
    form = CorrectionEvidenceForm(request.POST, request.FILES, codes=codes)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.upload_correction_evidence(
                period,
                actor=request.user,
                code=d["code"],
                upload=d["file"],
                title=d["title"],
                kind=d["kind"],
                document_date=d["document_date"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Bukti dukung perbaikan diunggah."))
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("evaluation:corrections", code, year)


@require_GET
def report(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    period = get_evaluation_period(request.user, code, year)
    if fmt not in jobs.CONTENT_TYPES:
        raise Http404
    if jobs.is_large(period):
        job = actions.request_report(period, actor=request.user, fmt=fmt)
        return redirect("evaluation:report_job", code, year, job.uid)
    body = jobs.render(period, fmt)
    response = HttpResponse(body, content_type=jobs.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{jobs.file_name(period, fmt)}"'
    return response


def _job_for_user(request, code, year, uid) -> tuple:
    period = get_evaluation_period(request.user, code, year)
    try:
        job = period.report_jobs.get(uid=uid)
    except (ReportJob.DoesNotExist, ValueError):
        raise Http404 from None
    return period, job


@require_GET
def report_job(request: HttpRequest, code: str, year: int, uid) -> HttpResponse:
    period, job = _job_for_user(request, code, year, uid)
    context = {"lg": period.local_government, "period": period, "job": job}
    if request.htmx:
        return render(request, "evaluation/report_job.html#job", context)
    return render(request, "evaluation/report_job.html", context)


@require_GET
def report_job_file(request: HttpRequest, code: str, year: int, uid) -> FileResponse:
    period, job = _job_for_user(request, code, year, uid)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=jobs.file_name(period, job.fmt),
        content_type=jobs.CONTENT_TYPES[job.fmt],
    )


@require_GET
def categories(request: HttpRequest, code: str) -> HttpResponse:
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_EVALUATION)
    return render(
        request,
        "evaluation/categories.html",
        {"lg": lg, "history": queries.category_history(lg)},
    )
