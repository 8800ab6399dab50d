"""Evaluation API: scores, stage scores, the what-if, answers, and the category history. The same
access rule and actions as the pages."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from sikla.accounts.rules import Perm
from sikla.core.api_schemas import (
    ERROR_CODES,
    Category,
    DecimalText,
    ErrorOut,
    invalid,
    page_of,
    paged,
    responses,
)
from sikla.core.validation import ObjectIn, PageIn
from sikla.organisations.access import get_local_government_for_user

from . import actions, queries, scoring
from .access import get_evaluation_period
from .models import Stage

router = Router(tags=["evaluasi"])

YEAR = Path(..., ge=2000, le=2100)


class NextCategoryOut(Schema):
    code: str
    name: str
    needed: DecimalText = Field(..., description="Poin yang masih kurang untuk kategori ini")


class IndicatorScoreOut(Schema):
    number: int
    name: str
    cluster: int
    score: DecimalText
    max_points: DecimalText
    last_year: DecimalText | None
    stage_scores: dict[str, DecimalText] = Field(
        ..., description="Nilai per tahap yang sudah ada: self, administrative, recheck, …"
    )


class ScoreOut(Schema):
    number: int
    score: DecimalText
    max_points: DecimalText


class StageScoreOut(Schema):
    stage: Stage
    label: str
    total: DecimalText
    category: Category
    finished: bool


class DeterminationOut(Schema):
    score: DecimalText
    category: Category
    decree_number: str
    decree_date: date | None


class EvaluationOut(Schema):
    local_government: str
    year: int
    stage: Stage
    total: DecimalText = Field(..., description="Nilai tahap yang sedang berjalan (dua desimal)")
    max_total: DecimalText
    category: Category = Field(..., description='Nama kategori; "" bila di bawah Pratama')
    score_category: Category = Field(..., description="Kategori menurut nilai saja")
    capped_by: list[str] = Field(..., description="Alasan prasyarat yang membatasi kategori")
    next_category: NextCategoryOut | None
    indicators: list[IndicatorScoreOut]
    clusters: list[ScoreOut]
    stages: list[StageScoreOut]
    determination: DeterminationOut | None


class SimulateIn(ObjectIn):
    answers: dict[str, str] = Field(
        default_factory=dict,
        description='Jawaban yang diubah: {"1.2": "yes", "2.4": "75", "1.1": "ditetapkan"}',
    )


class SimulationOut(Schema):
    total: DecimalText
    category: Category
    capped_by: list[str]
    next_category: NextCategoryOut | None
    indicators: list[ScoreOut]
    current_total: DecimalText


class AnswerOut(Schema):
    code: str
    indicator: int
    answer_type: str
    value: str | None
    from_data: bool
    points: DecimalText
    max_points: DecimalText
    note: str
    evidence_count: int
    flags: list[str]


class AnswersOut(Schema):
    version: int
    stage: Stage
    answers: list[AnswerOut]


class AnswerIn(Schema):
    code: str = Field(..., max_length=12)
    value: str = Field("", max_length=40, description='"" mengosongkan jawaban')
    note: str = Field("", max_length=2000)


class AnswersIn(Schema):
    version: int | None = Field(None, description="Versi yang dibaca; berbeda → 409")
    answers: list[AnswerIn] = Field(..., max_length=200)


class CategoryHistoryOut(Schema):
    year: int
    category: Category
    score: DecimalText | None
    decree_number: str
    decree_date: date | None


def _next(result: scoring.Result):
    if result.next is None:
        return None
    return {"code": result.next.code, "name": result.next.name, "needed": result.next.needed}


@router.get(
    "/local-governments/{code}/periods/{year}/evaluation",
    response=responses(EvaluationOut),
    url_name="evaluation",
    summary="Nilai evaluasi: per indikator, klaster, total, kategori dan nilai tiap tahap",
)
def evaluation(request, code: str, year: int = YEAR):
    period = get_evaluation_period(request.user, code, year)
    a = queries.assessment(period)
    result = a.current
    finished = {r.stage: r for r in a.stage_results}
    stages = [
        {
            "stage": r.stage,
            "label": str(Stage(r.stage).label),
            "total": r.total,
            "category": r.category_name,
            "finished": True,
        }
        for r in a.stage_results
    ]
    if Stage.SELF not in finished:
        stages.insert(
            0,
            {
                "stage": Stage.SELF,
                "label": str(Stage.SELF.label),
                "total": a.result.total,
                "category": a.result.category_name,
                "finished": False,
            },
        )
    if a.live_stage is not None:
        stages.append(
            {
                "stage": a.stage,
                "label": str(Stage(a.stage).label),
                "total": a.live_stage.total,
                "category": a.live_stage.category_name,
                "finished": False,
            }
        )
    e = a.evaluation
    return {
        "local_government": period.local_government_id,
        "year": period.year,
        "stage": a.stage,
        "total": result.total,
        "max_total": result.max_total,
        "category": e.final_category_name if e and e.is_determined else result.category_name,
        "score_category": result.score_category.name if result.score_category else "",
        "capped_by": result.capped_by,
        "next_category": _next(result),
        "indicators": [
            {
                "number": row.indicator.number,
                "name": row.indicator.name,
                "cluster": row.indicator.cluster.number,
                "score": result.indicators[row.indicator.number].score,
                "max_points": row.score.max_points,
                "last_year": row.last_year,
                "stage_scores": {Stage.SELF.value: row.score.score, **row.stage_scores},
            }
            for row in a.rows
        ],
        "clusters": [
            {"number": n, "score": c.score, "max_points": c.max_points}
            for n, c in result.clusters.items()
        ],
        "stages": stages,
        "determination": {
            "score": e.final_score,
            "category": e.final_category_name,
            "decree_number": e.decree_number,
            "decree_date": e.decree_date,
        }
        if e and e.is_determined
        else None,
    }


def _unprocessable(exc: ValidationError, prefix: str):
    if not hasattr(exc, "error_dict"):
        raise HttpError(422, " ".join(exc.messages)) from exc
    errors = {f"{prefix}.{k}": v for k, v in exc.message_dict.items()}
    return invalid(errors)


@router.post(
    "/local-governments/{code}/periods/{year}/evaluation/simulate",
    response=responses(SimulationOut),
    url_name="evaluation_simulate",
    summary="Simulasi: nilai dan kategori bila jawaban diubah (tidak disimpan)",
)
def simulate(request, code: str, payload: SimulateIn, year: int = YEAR):
    period = get_evaluation_period(request.user, code, year)
    result, errors = actions.simulate(period, payload.answers)
    if errors:
        return _unprocessable(ValidationError(errors), "answers")
    current = queries.assessment(period).result
    return {
        "total": result.total,
        "category": result.category_name,
        "capped_by": result.capped_by,
        "next_category": _next(result),
        "indicators": [
            {"number": n, "score": s.score, "max_points": s.max_points}
            for n, s in result.indicators.items()
        ],
        "current_total": current.total,
    }


def _answers_out(period) -> dict:
    a = queries.assessment(period)
    return {
        "version": a.evaluation.version if a.evaluation else 1,
        "stage": a.stage,
        "answers": [
            {
                "code": q.question.code,
                "indicator": row.indicator.number,
                "answer_type": q.question.answer_type,
                "value": None if q.value is None else str(q.value),
                "from_data": q.from_data,
                "points": q.points,
                "max_points": q.question.max_points,
                "note": q.note,
                "evidence_count": q.evidence_count,
                "flags": q.flags,
            }
            for row in a.rows
            for q in row.questions
        ],
    }


@router.get(
    "/local-governments/{code}/periods/{year}/evaluation/answers",
    response=responses(AnswersOut),
    url_name="evaluation_answers",
    summary="Jawaban penilaian mandiri, nilai dan tandanya",
)
def answers(request, code: str, year: int = YEAR):
    return _answers_out(get_evaluation_period(request.user, code, year))


@router.put(
    "/local-governments/{code}/periods/{year}/evaluation/answers",
    response={200: AnswersOut, 409: ErrorOut, ERROR_CODES: ErrorOut},
    url_name="evaluation_answers_put",
    summary="Simpan jawaban penilaian mandiri (yang dikirim saja)",
)
def save_answers(request, code: str, payload: AnswersIn, year: int = YEAR):
    period = get_evaluation_period(request.user, code, year)
    given = {a.code: (a.value, a.note) for a in payload.answers}
    try:
        actions.save_answers(
            period, actor=request.user, answers=given, expected_version=payload.version
        )
    except actions.StaleEvaluation as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("Anda tidak berhak melakukan ini.")) from exc
    except ValidationError as exc:
        return _unprocessable(exc, "answers")
    return _answers_out(period)


@router.get(
    "/local-governments/{code}/categories",
    response=responses(page_of(CategoryHistoryOut)),
    url_name="category_history",
    summary="Riwayat kategori KLA yang ditetapkan",
)
def categories(request, code: str, page: Query[PageIn]):
    lg = get_local_government_for_user(request.user, code, perm=Perm.VIEW_EVALUATION)
    return paged(list(queries.category_history(lg)), page, _category_out)


def _category_out(e) -> dict:
    return {
        "year": e.year,
        "category": e.final_category_name,
        "score": e.final_score,
        "decree_number": e.decree_number,
        "decree_date": e.decree_date,
    }
