"""Every change to an evaluation. Each action checks the rule, the allowed stage, writes, leaves
its audit row and tells the next person after commit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sikla.accounts.rules import Perm, has_role_perm, require
from sikla.collection.models import Period, PeriodStatus
from sikla.core.audit import diff, record
from sikla.core.localtime import zone_of
from sikla.core.notify import notify
from sikla.indicators.models import Question

from . import queries, scoring
from .access import STAGE_PERMS, can_answer
from .models import (
    Answer,
    CorrectionWindow,
    Evaluation,
    FieldMode,
    ReportJob,
    Review,
    Scenario,
    Season,
    Stage,
    StageResult,
)

CORRECTION_HOURS = 48  # "2 × 24 jam" before field verification


class StaleEvaluation(ValidationError):
    """Someone saved answers after the form was opened."""


def _link(period: Period, name: str = "evaluation:overview") -> str:
    return reverse(name, args=[period.local_government_id, period.year])


def _locked(period: Period) -> Evaluation:
    """The period's evaluation, created on first use, locked for this transaction."""
    Evaluation.objects.get_or_create(
        period=period,
        defaults={"local_government_id": period.local_government_id, "year": period.year},
    )
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("period")
        .get(period=period)
    )


def _refresh(evaluation: Evaluation) -> scoring.Result:
    """Keep the figures roll-ups read in step with the stage being worked on."""
    current = queries.assessment(evaluation.period).current
    if evaluation.is_determined and evaluation.final_score is not None:
        evaluation.current_total = evaluation.final_score
        evaluation.current_category = evaluation.final_category_name
    else:
        evaluation.current_total = current.total
        evaluation.current_category = current.category_name
    evaluation.save(update_fields=["current_total", "current_category", "updated_at"])
    return current


def _people(role: str, scope: str):
    from sikla.accounts.models import User

    return list(User.objects.filter(role=role, scope=scope, is_active=True))


# --- answers ------------------------------------------------------------------------------


@transaction.atomic
def save_answers(
    period: Period,
    *,
    actor,
    answers: dict[str, tuple[str, str]],
    expected_version: int | None = None,
) -> dict[str, list]:
    """Save typed-in answers {question code: (value, note)}. Each is checked against its rubric;
    one bad answer refuses them all, with the message under its question."""
    require(actor, Perm.ANSWER_QUESTIONS, period.local_government_id)
    if period.status == PeriodStatus.LOCKED:
        raise ValidationError(_("Periode sudah dikunci; jawaban tidak dapat diubah."))
    evaluation = _locked(period)
    if evaluation.stage != Stage.SELF:
        raise ValidationError(
            _("Penilaian mandiri sudah diajukan; jawaban tidak dapat diubah lagi.")
        )
    if expected_version is not None and evaluation.version != expected_version:
        raise StaleEvaluation(
            _(
                "Jawaban telah diubah orang lain sejak halaman ini dibuka. "
                "Muat ulang halaman, lalu isi kembali perubahan Anda."
            )
        )
    instrument = queries.instrument_for(period.catalog)
    questions = {
        q.code: q
        for q in Question.objects.filter(
            indicator__version=period.catalog, code__in=list(answers)
        ).select_related("indicator")
    }
    submissions = {s.indicator_id: s for s in period.submissions.all()}
    errors, cleaned = {}, {}
    for code, (value, note) in answers.items():
        question = questions.get(code)
        if question is None:
            errors[code] = _("Pertanyaan tidak dikenal.")
            continue
        if question.from_data:
            errors[code] = _("Jawaban ini diambil dari data yang disetujui; ubah datanya.")
            continue
        if not can_answer(
            actor, submissions.get(question.indicator_id), period.local_government_id
        ):
            raise PermissionDenied(
                _(
                    "Anda hanya dapat menjawab pertanyaan indikator yang diampu perangkat daerah Anda."
                )
            )
        try:
            clean = scoring.clean_value(instrument.question(code), value)
        except scoring.InvalidAnswer as exc:
            errors[code] = str(exc)
            continue
        cleaned[code] = ("" if clean is None else str(clean), note.strip())
    if errors:
        raise ValidationError(errors)
    existing = {
        a.question.code: a
        for a in evaluation.answers.filter(question__code__in=list(cleaned)).select_related(
            "question"
        )
    }
    changes: dict[str, list] = {}
    for code, (value, note) in cleaned.items():
        answer = existing.get(code)
        if answer is None:
            if value == "" and note == "":
                continue
            Answer.objects.create(
                evaluation=evaluation,
                question=questions[code],
                value=value,
                note=note,
                answered_by=actor,
            )
            changes[code] = [None, value]
        elif (answer.value, answer.note) != (value, note):
            changes[code] = [answer.value, value]
            answer.value, answer.note, answer.answered_by = value, note, actor
            answer.save(update_fields=["value", "note", "answered_by", "updated_at"])
    if not changes:
        return {}
    evaluation.version += 1
    evaluation.save(update_fields=["version", "updated_at"])
    record(
        actor=actor,
        action="evaluation.answer",
        target=evaluation,
        region_code=period.local_government_id,
        changes=changes,
    )
    _refresh(evaluation)
    return changes


# --- stages -------------------------------------------------------------------------------


def _snapshot(evaluation: Evaluation, stage: str, result: scoring.Result, actor, note: str):
    StageResult.objects.create(
        evaluation=evaluation,
        stage=stage,
        total=result.total,
        category=result.category_code,
        category_name=result.category_name,
        points={k: str(v) for k, v in result.points.items()},
        indicator_scores={str(k): str(v.score) for k, v in result.indicators.items()},
        cluster_scores={str(k): str(v.score) for k, v in result.clusters.items()},
        completed_at=timezone.now(),
        completed_by=actor,
        note=note,
    )


def _advance(evaluation: Evaluation, to: str, *, actor, note: str, **fields) -> None:
    before = evaluation.stage
    evaluation.stage = to
    for name, value in fields.items():
        setattr(evaluation, name, value)
    evaluation.save(update_fields=["stage", *fields, "updated_at"])
    record(
        actor=actor,
        action="evaluation.stage",
        target=evaluation,
        region_code=evaluation.local_government_id,
        changes={"stage": [before, to], **{k: [None, str(v)] for k, v in fields.items()}},
        note=note,
    )


@transaction.atomic
def submit_self_assessment(period: Period, *, actor, note: str = "") -> None:
    """The secretariat hands the self-assessment to the province; answers freeze."""
    require(actor, Perm.SUBMIT_SELF_ASSESSMENT, period.local_government_id)
    evaluation = _locked(period)
    if evaluation.stage != Stage.SELF:
        raise ValidationError(_("Penilaian mandiri sudah diajukan."))
    a = queries.assessment(period)
    if not any(q.value is not None for row in a.rows for q in row.questions):
        raise ValidationError(_("Belum ada satu pun jawaban; isi penilaian mandiri dulu."))
    _snapshot(evaluation, Stage.SELF, a.result, actor, note)
    _advance(evaluation, Stage.ADMINISTRATIVE, actor=actor, note=note)
    _refresh(evaluation)
    notify(
        _people("provincial_evaluator", period.local_government_id[:2]),
        text=_("Penilaian mandiri KLA %(lg)s %(year)s siap diverifikasi")
        % {"lg": period.local_government.region.name, "year": period.year},
        link=_link(period),
    )


def _require_verifier(evaluation: Evaluation, actor) -> None:
    if evaluation.stage not in STAGE_PERMS:
        raise ValidationError(_("Evaluasi ini tidak sedang dalam tahap verifikasi."))
    require(actor, STAGE_PERMS[evaluation.stage], evaluation.local_government_id)


@transaction.atomic
def review_question(period: Period, *, actor, code: str, points: Decimal, note: str = "") -> Review:
    """A verifier sets the points one question keeps at the current stage, and why."""
    evaluation = _locked(period)
    _require_verifier(evaluation, actor)
    question = Question.objects.filter(indicator__version=period.catalog, code=code).first()
    if question is None:
        raise ValidationError({"question": _("Pertanyaan tidak dikenal.")})
    if points is None or not Decimal(0) <= points <= question.max_points:
        raise ValidationError(
            {"points": _("Nilai harus di antara 0 dan %(max)s.") % {"max": question.max_points}}
        )
    note = note.strip()
    review = Review.objects.filter(evaluation=evaluation, stage=evaluation.stage, question=question)
    review = review.first()
    before = [str(review.points), review.note] if review else [None, ""]
    if review is None:
        review = Review(evaluation=evaluation, stage=evaluation.stage, question=question)
    review.points, review.note, review.reviewer = scoring.cents(points), note, actor
    review.save()
    record(
        actor=actor,
        action="evaluation.review",
        target=evaluation,
        region_code=evaluation.local_government_id,
        changes={code: [before[0], str(review.points)]},
        note=note,
    )
    _refresh(evaluation)
    return review


NEXT_STAGE = {
    Stage.ADMINISTRATIVE: Stage.RECHECK,
    Stage.RECHECK: Stage.FIELD,
    Stage.FIELD: Stage.FINAL,
}


@transaction.atomic
def complete_stage(period: Period, *, actor, note: str = "", field_mode: str = "") -> None:
    """Freeze this stage's result and hand the evaluation to the next verifier."""
    evaluation = _locked(period)
    _require_verifier(evaluation, actor)
    if evaluation.stage == Stage.FINAL:
        raise ValidationError(_("Tahap akhir diselesaikan dengan penetapan kategori."))
    fields = {}
    if evaluation.stage == Stage.FIELD:
        if field_mode not in FieldMode.values:
            raise ValidationError({"field_mode": _("Pilih cara verifikasi lapangan.")})
        fields["field_mode"] = field_mode
    a = queries.assessment(period)
    _snapshot(evaluation, evaluation.stage, a.live_stage, actor, note)
    _advance(evaluation, NEXT_STAGE[evaluation.stage], actor=actor, note=note, **fields)
    _refresh(evaluation)
    notify(
        _people("secretariat", period.local_government_id),
        text=_("Evaluasi KLA %(year)s masuk tahap %(stage)s")
        % {"year": period.year, "stage": Stage(evaluation.stage).label},
        link=_link(period),
    )


@transaction.atomic
def determine_category(
    period: Period, *, actor, decree_number: str, decree_date, note: str = ""
) -> Evaluation:
    """The ministry's decree: the final score and category, recorded once."""
    require(actor, Perm.DETERMINE_CATEGORY, period.local_government_id)
    evaluation = _locked(period)
    if evaluation.stage != Stage.FINAL:
        raise ValidationError(_("Penetapan hanya setelah verifikasi akhir."))
    decree_number = decree_number.strip()
    errors = {}
    if not decree_number:
        errors["decree_number"] = _("Nomor keputusan wajib diisi.")
    if decree_date is None:
        errors["decree_date"] = _("Tanggal keputusan wajib diisi.")
    elif decree_date > timezone.localdate():
        errors["decree_date"] = _("Tanggal keputusan tidak boleh di masa depan.")
    if errors:
        raise ValidationError(errors)
    final = queries.assessment(period).live_stage
    _snapshot(evaluation, Stage.FINAL, final, actor, note)
    _advance(
        evaluation,
        Stage.DETERMINED,
        actor=actor,
        note=note,
        final_score=final.total,
        final_category=final.category_code,
        final_category_name=final.category_name,
        decree_number=decree_number,
        decree_date=decree_date,
        determined_at=timezone.now(),
        determined_by=actor,
    )
    _refresh(evaluation)
    notify(
        _people("secretariat", period.local_government_id),
        text=_("Kategori KLA %(year)s ditetapkan: %(category)s")
        % {"year": period.year, "category": final.category_name or _("tidak berkategori")},
        link=_link(period),
    )
    return evaluation


# --- correction windows -------------------------------------------------------------------


@transaction.atomic
def open_correction_window(
    period: Period, *, actor, codes: list[str], note: str, hours: int = CORRECTION_HOURS
) -> CorrectionWindow:
    """Ask for missing evidence: for `hours` the local government may upload evidence for these
    questions, and nothing else."""
    evaluation = _locked(period)
    _require_verifier(evaluation, actor)
    known = set(
        Question.objects.filter(indicator__version=period.catalog, code__in=codes).values_list(
            "code", flat=True
        )
    )
    errors = {}
    if not codes or set(codes) - known:
        errors["questions"] = _("Pilih sedikitnya satu pertanyaan yang dikenal.")
    if not note.strip():
        errors["note"] = _("Tuliskan bukti dukung apa yang diminta.")
    if not 1 <= hours <= 24 * 14:
        errors["hours"] = _("Lama jendela perbaikan antara 1 jam dan 14 hari.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    window = CorrectionWindow.objects.create(
        evaluation=evaluation,
        stage=evaluation.stage,
        questions=sorted(known, key=lambda c: [int(p) for p in c.split(".")]),
        note=note.strip(),
        opens_at=now,
        closes_at=now + timedelta(hours=hours),
        opened_by=actor,
    )
    record(
        actor=actor,
        action="evaluation.correction_window",
        target=evaluation,
        region_code=evaluation.local_government_id,
        changes={"questions": [None, window.questions], "closes_at": [None, str(window.closes_at)]},
        note=window.note,
    )
    notify(
        _people("secretariat", period.local_government_id),
        text=_("Verifikator meminta bukti dukung tambahan untuk %(n)s pertanyaan (batas %(at)s)")
        % {
            "n": len(window.questions),
            "at": timezone.localtime(
                window.closes_at, zone_of(period.local_government_id)
            ).strftime("%d-%m-%Y %H:%M %Z"),
        },
        link=_link(period, "evaluation:corrections"),
    )
    return window


@transaction.atomic
def upload_correction_evidence(
    period: Period, *, actor, code: str, upload, title: str, kind: str, document_date=None
):
    """During an open correction window, evidence for the requested questions only."""
    from sikla.collection.actions import store_evidence

    evaluation = _locked(period)
    question = (
        Question.objects.filter(indicator__version=period.catalog, code=code)
        .select_related("indicator")
        .first()
    )
    if question is None:
        raise ValidationError({"question": _("Pertanyaan tidak dikenal.")})
    submission = period.submissions.get(indicator=question.indicator)
    if not can_answer(actor, submission, period.local_government_id):
        raise PermissionDenied
    now = timezone.now()
    if not any(code in w.questions for w in queries.open_windows(evaluation, now)):
        raise ValidationError(
            _("Tidak ada jendela perbaikan yang terbuka untuk pertanyaan %(code)s.")
            % {"code": code}
        )
    return store_evidence(
        submission,
        actor=actor,
        upload=upload,
        title=title,
        kind=kind,
        document_date=document_date,
        question=question,
        action="evidence.correction",
    )


# --- scenarios ----------------------------------------------------------------------------


def simulate(period: Period, changed: dict[str, str]) -> tuple[scoring.Result, dict[str, str]]:
    """The projected result of the current answers with `changed` applied; nothing is saved.
    Returns the result and the per-question errors of answers the rubric refuses."""
    a = queries.assessment(period)
    answers = dict(a.answers)
    errors = {}
    for code, value in changed.items():
        try:
            rule = a.instrument.question(code)
        except KeyError:
            errors[code] = _("Pertanyaan tidak dikenal.")
            continue
        try:
            answers[code] = scoring.clean_value(rule, value)
        except scoring.InvalidAnswer as exc:
            errors[code] = str(exc)
    return scoring.score_answers(a.instrument, answers), errors


@transaction.atomic
def save_scenario(period: Period, *, actor, name: str, changed: dict[str, str]) -> Scenario:
    require(actor, Perm.SAVE_SCENARIOS, period.local_government_id)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Beri nama skenario.")})
    result, errors = simulate(period, changed)
    if errors:
        raise ValidationError(errors)
    a = queries.assessment(period)
    kept = {}
    for code, value in changed.items():
        rule = a.instrument.question(code)
        clean = scoring.clean_value(rule, value)
        if clean != scoring.clean_value(rule, a.answers.get(code)):
            kept[code] = "" if clean is None else str(clean)
    evaluation = _locked(period)
    scenario = Scenario.objects.create(
        evaluation=evaluation,
        name=name,
        answers=kept,
        total=result.total,
        category=result.category_name,
        created_by=actor,
    )
    record(
        actor=actor,
        action="evaluation.scenario",
        target=evaluation,
        region_code=evaluation.local_government_id,
        changes={"scenario": [None, name], "total": [None, str(result.total)]},
    )
    return scenario


@transaction.atomic
def delete_scenario(scenario: Scenario, *, actor) -> None:
    evaluation = scenario.evaluation
    require(actor, Perm.SAVE_SCENARIOS, evaluation.local_government_id)
    record(
        actor=actor,
        action="evaluation.scenario_delete",
        target=evaluation,
        region_code=evaluation.local_government_id,
        changes={"scenario": [scenario.name, None]},
    )
    scenario.delete()


# --- reports ------------------------------------------------------------------------------


@transaction.atomic
def request_report(period: Period, *, actor, fmt: str) -> ReportJob:
    """Queue a large report; the worker makes it after this transaction commits."""
    from . import jobs

    require(actor, Perm.VIEW_EVALUATION, period.local_government_id)
    if fmt not in jobs.CONTENT_TYPES:
        raise ValidationError({"fmt": _("Format laporan tidak dikenal.")})
    job = ReportJob.objects.create(
        period=period,
        local_government_id=period.local_government_id,
        fmt=fmt,
        requested_by=actor,
    )
    record(
        actor=actor,
        action="evaluation.report",
        target=job,
        region_code=period.local_government_id,
        changes={"fmt": [None, fmt]},
    )
    jobs.start(job)
    return job


SEASON_FIELDS = ("self_due", "administrative_due", "recheck_due", "field_due", "final_due")


@transaction.atomic
def set_season(year: int, *, actor, **dues) -> Season:
    """The ministry's timetable of a year, made or changed by the national admin (the national
    calendar's keeper): each stage's date on or after the one before."""
    if not has_role_perm(actor, Perm.MANAGE_CALENDAR) or actor.scope != "":
        raise PermissionDenied
    missing = [f for f in SEASON_FIELDS if not dues.get(f)]
    if missing:
        raise ValidationError({f: _("Isi tanggal ini.") for f in missing})
    errors = {}
    for before, after in zip(SEASON_FIELDS, SEASON_FIELDS[1:], strict=False):
        if dues[after] < dues[before]:
            errors[after] = _("Tanggal ini tidak boleh sebelum batas tahap sebelumnya.")
    if errors:
        raise ValidationError(errors)
    season = Season.objects.select_for_update().filter(year=year).first()
    old = {f: getattr(season, f).isoformat() for f in SEASON_FIELDS} if season else {}
    if season is None:
        season = Season(year=year)
    for f in SEASON_FIELDS:
        setattr(season, f, dues[f])
    season.save()
    changes = diff(old, {f: dues[f].isoformat() for f in SEASON_FIELDS})
    if changes:
        record(actor=actor, action="season.set", target=season, changes=changes)
    return season
