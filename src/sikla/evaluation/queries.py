"""Reads of the evaluation: the instrument as scoring data, a period's assessment (answers, data
values, evidence, flags, scores), stage comparisons, gaps, category history and roll-ups. Each
read starts from an object already fetched through `access.py` or from the user's scope, and
runs a fixed number of queries however many indicators, answers or local governments there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from sikla.collection.models import DataValue, Evidence, Period, Submission, SubmissionStatus
from sikla.core import public_cache
from sikla.indicators.models import CatalogVersion, Indicator, Question
from sikla.indicators.queries import catalog_categories, catalog_indicators

from . import scoring
from .models import VERIFICATION_STAGES, Evaluation, Review, Stage, StageResult

# --- the instrument -----------------------------------------------------------------------


def instrument_for(catalog: CatalogVersion) -> scoring.Instrument:
    # Catalog rows change only when a file is re-loaded, which changes the checksum; the
    # instrument is built from the same per-process copy of the catalog every page reads.
    return _instrument(catalog.pk, catalog.checksum)


@lru_cache(maxsize=8)
def _instrument(catalog_id: int, checksum: str) -> scoring.Instrument:
    catalog = CatalogVersion(pk=catalog_id, checksum=checksum)
    indicators = catalog_indicators(catalog)
    return scoring.Instrument(
        tuple(scoring.IndicatorRule(i.number, i.cluster.number, i.max_points) for i in indicators),
        tuple(
            scoring.QuestionRule(
                code=q.code,
                indicator=i.number,
                answer_type=q.answer_type,
                rubric=q.rubric,
                max_points=q.max_points,
                evidence_required=bool(q.evidence),
                from_data=q.from_data,
            )
            for i in indicators
            for q in i.questions.all()
        ),
        tuple(
            scoring.CategoryRule(
                code=c.code,
                name=c.name,
                min_score=c.min_score,
                inclusive=c.inclusive,
                prerequisites=tuple(
                    scoring.Prerequisite(p["question"], Decimal(p["min_points"]), p["reason"])
                    for p in c.prerequisites
                ),
            )
            for c in catalog_categories(catalog)
        ),
    )


# --- one period's assessment --------------------------------------------------------------


@dataclass
class QuestionRow:
    question: Question
    value: scoring.Value
    from_data: bool
    points: Decimal
    evidence_count: int
    note: str = ""
    flags: list[str] = field(default_factory=list)
    answered_by: str = ""

    @property
    def missing_evidence(self) -> bool:
        return _("Bukti dukung belum ada") in self.flags


@dataclass
class IndicatorRow:
    indicator: Indicator
    submission: Submission | None
    questions: list[QuestionRow]
    score: scoring.IndicatorScore
    evidence_count: int
    last_year: Decimal | None
    stage_scores: dict[str, Decimal] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.value is not None)

    @property
    def flagged(self) -> int:
        return sum(1 for q in self.questions if q.flags)


@dataclass
class Assessment:
    period: Period
    evaluation: Evaluation | None
    instrument: scoring.Instrument
    result: scoring.Result  # of the self-assessment answers
    rows: list[IndicatorRow]
    stage_results: list[StageResult]
    live_stage: scoring.Result | None  # the stage under verification, with its reviews so far

    @property
    def current(self) -> scoring.Result:
        """What the evaluation stands at: the stage under verification, the final result once
        determined, else the self-assessment."""
        if self.live_stage is not None:
            return self.live_stage
        final = next((r for r in self.stage_results if r.stage == Stage.FINAL), None)
        if final is not None:
            points = {k: Decimal(v) for k, v in final.points.items()}
            return scoring.score_points(self.instrument, points)
        return self.result

    @property
    def stage(self) -> str:
        return self.evaluation.stage if self.evaluation else Stage.SELF

    @property
    def answers(self) -> dict[str, scoring.Value]:
        return {q.question.code: q.value for row in self.rows for q in row.questions}

    def row(self, number: int) -> IndicatorRow:
        return next(r for r in self.rows if r.indicator.number == number)


def data_values(period: Period) -> dict[int, Decimal | None]:
    """The kab/kota headline percentage per indicator, from all of a submission's cells."""
    totals = (
        DataValue.objects.filter(submission__period=period, numerator__isnull=False)
        .values("submission__indicator__number")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    )
    return {
        t["submission__indicator__number"]: (
            scoring.cents(t["n"] / t["d"] * 100) if t["d"] else None
        )
        for t in totals
    }


def evidence_counts(period: Period) -> tuple[dict[str, int], dict[int, int], dict[int, int]]:
    """Live evidence per question code, per indicator (all), and per indicator untagged."""
    rows = (
        Evidence.objects.filter(submission__period=period, deleted_at__isnull=True)
        .values("submission__indicator__number", "question__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_question: dict[str, int] = {}
    per_indicator: dict[int, int] = {}
    untagged: dict[int, int] = {}
    for r in rows:
        number, code, n = r["submission__indicator__number"], r["question__code"], r["n"]
        per_indicator[number] = per_indicator.get(number, 0) + n
        if code:
            per_question[code] = per_question.get(code, 0) + n
        else:
            untagged[number] = untagged.get(number, 0) + n
    return per_question, per_indicator, untagged


def evaluation_of(period: Period) -> Evaluation | None:
    return Evaluation.objects.filter(period=period).first()


def previous_indicator_scores(period: Period) -> dict[int, Decimal]:
    """Last year's indicator scores: from its latest finished stage."""
    last = (
        StageResult.objects.filter(
            evaluation__local_government_id=period.local_government_id,
            evaluation__year=period.year - 1,
        )
        .order_by("-completed_at")
        .first()
    )
    if last is None:
        return {}
    return {int(k): Decimal(v) for k, v in last.indicator_scores.items()}


class _Answer(NamedTuple):
    value: scoring.Value
    note: str
    answered_by: str  # who answered, as the page names them


def assessment(period: Period) -> Assessment:
    """Everything the self-assessment page, the gap analysis and the reports show."""
    instrument = instrument_for(period.catalog)
    evaluation = evaluation_of(period)
    answers: dict[int, _Answer] = {}
    if evaluation is not None:
        answers = {
            pk: _Answer(value, note, full_name or username or "")
            for pk, value, note, full_name, username in evaluation.answers.order_by().values_list(
                "question_id", "value", "note", "answered_by__full_name", "answered_by__username"
            )
        }
    submissions = {
        s.indicator_id: s for s in period.submissions.select_related("lead_agency").order_by()
    }
    data = data_values(period)
    per_question, per_indicator, untagged = evidence_counts(period)
    indicators = catalog_indicators(period.catalog)
    values: dict[str, scoring.Value] = {}
    pending: list[tuple[Indicator, list[QuestionRow]]] = []
    for indicator in indicators:
        submission = submissions.get(indicator.pk)
        rows = []
        for q in indicator.questions.all():
            rule = instrument.question(q.code)
            answer = answers.get(q.pk)
            flags = []
            if q.from_data:
                value = data.get(indicator.number)
                evidence = per_question.get(q.code, 0) + untagged.get(indicator.number, 0)
                if value is not None and (
                    submission is None or submission.status != SubmissionStatus.APPROVED
                ):
                    flags.append(_("Data belum disetujui sekretariat"))
                if value is None:
                    flags.append(_("Data belum diisi"))
            else:
                value = answer.value if answer and answer.value != "" else None
                evidence = per_question.get(q.code, 0)
            points = scoring.question_points(rule, value)
            if rule.evidence_required and evidence == 0 and points > 0:
                flags.append(_("Bukti dukung belum ada"))
            values[q.code] = value
            rows.append(
                QuestionRow(
                    question=q,
                    value=value,
                    from_data=q.from_data,
                    points=points,
                    evidence_count=evidence,
                    note=answer.note if answer else "",
                    flags=flags,
                    answered_by=answer.answered_by if answer else "",
                )
            )
        pending.append((indicator, rows))
    result = scoring.score_answers(instrument, values)
    last_year = previous_indicator_scores(period)
    stage_results = list(evaluation.stage_results.order_by("completed_at")) if evaluation else []
    live = None
    if evaluation is not None and evaluation.stage in {s.value for s in VERIFICATION_STAGES}:
        live = stage_result(evaluation, evaluation.stage, instrument, result, stage_results)
    rows = []
    for indicator, question_rows in pending:
        stage_scores = {
            r.stage: Decimal(r.indicator_scores.get(str(indicator.number), "0"))
            for r in stage_results
        }
        if live is not None:
            stage_scores[evaluation.stage] = live.indicators[indicator.number].score
        rows.append(
            IndicatorRow(
                indicator=indicator,
                submission=submissions.get(indicator.pk),
                questions=question_rows,
                score=result.indicators[indicator.number],
                evidence_count=per_indicator.get(indicator.number, 0),
                last_year=last_year.get(indicator.number),
                stage_scores=stage_scores,
            )
        )
    return Assessment(period, evaluation, instrument, result, rows, stage_results, live)


def kept_assessment(period: Period) -> Assessment:
    """`assessment` for the pages that only show it (the overview, the gap analysis), kept by the
    process until anything of the kab/kota or the catalog changes: every change writes its
    audit row, and that moves the versions on (`core.public_cache.kept_in_process`). Actions
    read `assessment` itself, never this copy; the names of who answered, which an account's
    own changes would not refresh, are on neither page."""
    return public_cache.kept_in_process(
        f"evaluation-assessment:{period.pk}",
        period.local_government_id,
        lambda: assessment(period),
    )


def stage_points(
    evaluation: Evaluation, stage: str, self_result: scoring.Result, stage_results: list
) -> dict[str, Decimal]:
    """A verification stage starts from the points the stage before it kept, and changes only
    what its verifiers reviewed."""
    order = [s.value for s in Stage]
    earlier = [r for r in stage_results if order.index(r.stage) < order.index(stage)]
    if earlier:
        base = {k: Decimal(v) for k, v in earlier[-1].points.items()}
    else:
        base = dict(self_result.points)
    reviewed = dict(
        Review.objects.filter(evaluation=evaluation, stage=stage).values_list(
            "question__code", "points"
        )
    )
    return {**base, **reviewed}


def stage_result(evaluation, stage, instrument, self_result, stage_results) -> scoring.Result:
    points = stage_points(evaluation, stage, self_result, stage_results)
    return scoring.score_points(instrument, points)


def reviews_of(evaluation: Evaluation | None, stage: str) -> dict[str, Review]:
    if evaluation is None:
        return {}
    return {
        r.question.code: r
        for r in evaluation.reviews.filter(stage=stage).select_related("question", "reviewer")
    }


# --- gaps ---------------------------------------------------------------------------------


@dataclass
class Gap:
    row: IndicatorRow
    lost: Decimal
    nearest: Decimal  # the smallest step up among its questions
    programmes: list = field(default_factory=list)  # of the adopted RAD KLA (issue 6)
    follow_ups: list = field(default_factory=list)  # open task-force follow-ups (issue 6)


def gaps(a: Assessment, *, programmes: bool = True) -> list[Gap]:
    """Indicators that lose points, most lost first; with `programmes`, each with the programmes
    of the adopted action plan in force that address it and the task force's open follow-ups for
    it (two more queries)."""
    out = []
    for row in a.rows:
        if row.score.lost <= 0:
            continue
        steps = [
            scoring.next_gain(a.instrument.question(q.question.code), q.value)
            for q in row.questions
        ]
        nearest = min((s for s in steps if s > 0), default=row.score.lost)
        out.append(Gap(row, row.score.lost, min(nearest, row.score.lost)))
    if programmes and out:
        from sikla.planning.queries import programmes_addressing

        found = programmes_addressing(
            a.period.local_government_id, a.period.year, [g.row.indicator.number for g in out]
        )
        from sikla.planning.queries import open_follow_ups_by_indicator

        tasks = open_follow_ups_by_indicator(
            a.period.local_government_id, [g.row.indicator.number for g in out]
        )
        for g in out:
            g.programmes = found.get(g.row.indicator.number, [])
            g.follow_ups = tasks.get(g.row.indicator.number, [])
    return sorted(out, key=lambda g: (-g.lost, g.row.indicator.number))


def missing_evidence(a: Assessment) -> list[tuple[IndicatorRow, QuestionRow]]:
    """Questions that earn points without evidence: points verification will cut, most first."""
    found = [(row, q) for row in a.rows for q in row.questions if q.missing_evidence]
    return sorted(found, key=lambda pair: -pair[1].points)


def nearest_indicators(a: Assessment) -> list[Gap]:
    """Where the points to the next category are nearest: indicators ordered by the size of
    their smallest step up, taken until the steps cover the points still needed."""
    if a.result.next is None or a.result.next.needed <= 0:
        return []
    needed = a.result.next.needed
    chosen, covered = [], Decimal(0)
    for gap in sorted(gaps(a, programmes=False), key=lambda g: (g.nearest, -g.lost)):
        chosen.append(gap)
        covered += gap.lost
        if covered >= needed:
            break
    return chosen


# --- history -----------------------------------------------------------------


def category_history(lg) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(local_government=lg, stage=Stage.DETERMINED)
        .select_related("determined_by")
        .order_by("-year")
    )


def scenarios_of(evaluation: Evaluation | None) -> QuerySet:
    if evaluation is None:
        from .models import Scenario

        return Scenario.objects.none()
    return evaluation.scenarios.select_related("created_by")


def open_windows(evaluation: Evaluation | None, moment) -> list:
    if evaluation is None:
        return []
    return list(evaluation.correction_windows.filter(opens_at__lte=moment, closes_at__gt=moment))


def answer_label(question: Question, value) -> str:
    """An answer as people read it: "Ya", the option's label, "87,5%", "12"; "—" if empty."""
    from django.utils.formats import number_format

    from sikla.core import numbers

    if value is None or value == "":
        return "—"
    if question.answer_type == "yes_no":
        return _("Ya") if value == "yes" else _("Tidak")
    if question.answer_type == "choice":
        return next((o["label"] for o in question.rubric["options"] if o["value"] == value), "—")
    if question.answer_type == "percentage":
        return numbers.percent(value)
    number = Decimal(str(value)).normalize()
    return number_format(number, decimal_pos=max(0, -number.as_tuple().exponent))


def report_data(period: Period):
    """The report of one period as plain data (see `report_data.py`)."""
    from django.utils.formats import number_format

    from .report_data import (
        ReportCluster,
        ReportData,
        ReportEvidence,
        ReportGap,
        ReportIndicator,
        ReportQuestion,
        ReportSignature,
        ReportStage,
    )

    a = assessment(period)
    lg = period.local_government
    result = a.current
    evidence: dict[int, dict[str | None, list]] = {}
    for e in (
        Evidence.objects.filter(submission__period=period, deleted_at__isnull=True)
        .select_related("submission__indicator", "question")
        .order_by("submission__indicator__number", "created_at")
    ):
        number = e.submission.indicator.number
        evidence.setdefault(number, {}).setdefault(
            e.question.code if e.question else None, []
        ).append(ReportEvidence(e.title, e.file_name(period.year, number), e.reference))

    def question_of(row, q) -> ReportQuestion:
        files = evidence.get(row.indicator.number, {})
        own = files.get(q.question.code, [])
        if q.from_data:
            own = own + files.get(None, [])
        return ReportQuestion(
            code=q.question.code,
            text=q.question.text,
            answer=answer_label(q.question, q.value),
            points=q.points,
            max_points=q.question.max_points,
            evidence=own,
            flags=list(q.flags),
        )

    indicators = [
        ReportIndicator(
            number=row.indicator.number,
            name=row.indicator.name,
            cluster=row.indicator.cluster.number,
            lead_agency=row.submission.lead_agency.abbreviation
            if row.submission and row.submission.lead_agency
            else "",
            score=row.score.score,
            max_points=row.score.max_points,
            last_year=row.last_year,
            questions=[question_of(row, q) for q in row.questions],
        )
        for row in a.rows
    ]
    by_code = {q.code: q for i in indicators for q in i.questions}
    clusters = {row.indicator.cluster.number: row.indicator.cluster for row in a.rows}
    task_force = lg.task_forces.filter(is_active=True).first()
    signatures = [
        ReportSignature(
            _("Ketua Gugus Tugas KLA"),
            task_force.chair_name if task_force else "",
            task_force.chair_position if task_force else "",
        ),
        ReportSignature(
            _("Mengetahui, %(office)s") % {"office": lg.head_office},
            lg.head_name,
            lg.head_title,
        ),
    ]
    next_text = ""
    if result.next is not None and not result.next.needed:
        next_text = _("Nilai sudah cukup untuk %(name)s; penuhi dulu prasyaratnya.") % {
            "name": result.next.name
        }
    elif result.next is not None:
        next_text = _("Untuk mencapai %(name)s diperlukan %(points)s poin lagi.") % {
            "name": result.next.name,
            "points": number_format(result.next.needed, decimal_pos=2),
        }
    logo = None
    if lg.logo:
        try:
            with lg.logo.open("rb") as f:
                logo = f.read()
        except OSError:
            logo = None
    totals = {r.stage: r for r in a.stage_results}
    stages = [ReportStage(str(Stage(s).label), r.total, r.category_name) for s, r in totals.items()]
    if a.live_stage is not None:
        stages.append(
            ReportStage(str(Stage(a.stage).label), a.live_stage.total, a.live_stage.category_name)
        )
    return ReportData(
        local_government=lg.region.name,
        code=lg.pk,
        province=lg.region.parent.name if lg.region.parent else "",
        year=period.year,
        data_year=period.data_year,
        stage=str(Stage(a.stage).label),
        total=result.total,
        max_total=result.max_total,
        category=result.category_name,
        next_category=next_text,
        capped_by=list(result.capped_by),
        generated_at=timezone_now(lg),
        letterhead=[x for x in [lg.address, lg.phone, lg.email, lg.website] if x],
        logo=logo,
        clusters=[
            ReportCluster(n, clusters[n].label, clusters[n].name, c.score, c.max_points)
            for n, c in result.clusters.items()
        ],
        indicators=indicators,
        gaps=[
            ReportGap(
                g.row.indicator.number,
                g.row.indicator.name,
                g.lost,
                g.row.submission.lead_agency.abbreviation
                if g.row.submission and g.row.submission.lead_agency
                else "",
            )
            for g in gaps(a, programmes=False)
        ],
        missing_evidence=[by_code[q.question.code] for _row, q in missing_evidence(a)],
        stages=stages,
        signatures=signatures,
    )


def timezone_now(lg):
    """Now, in the local government's time zone."""
    from django.utils import timezone

    from sikla.core.localtime import zone_of

    return timezone.localtime(timezone=zone_of(lg))
