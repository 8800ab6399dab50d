"""Reads of the evaluation: the instrument as scoring data, a period's assessment (answers, data
values, evidence, flags, scores), stage comparisons, gaps, category history and roll-ups. Each
read starts from an object already fetched through `access.py` or from the user's scope, and
runs a fixed number of queries however many indicators, answers or local governments there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Case, Count, F, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from sikla.accounts.rules import scope_q
from sikla.collection.models import DataValue, Evidence, Period, Submission, SubmissionStatus
from sikla.indicators.models import CatalogVersion, Indicator, Question

from . import scoring
from .models import Answer, Evaluation, Review, Stage, StageResult

# --- the instrument -----------------------------------------------------------------------


def instrument_for(catalog: CatalogVersion) -> scoring.Instrument:
    # Catalog rows change only when a file is re-loaded, which changes the checksum.
    return _instrument(catalog.pk, catalog.checksum)


@lru_cache(maxsize=8)
def _instrument(catalog_id: int, checksum: str) -> scoring.Instrument:
    catalog = CatalogVersion.objects.get(pk=catalog_id)
    indicators = tuple(
        scoring.IndicatorRule(number, cluster, max_points)
        for number, cluster, max_points in Indicator.objects.filter(version=catalog)
        .order_by("number")
        .values_list("number", "cluster__number", "max_points")
    )
    questions = tuple(
        scoring.QuestionRule(
            code=q.code,
            indicator=q.indicator.number,
            answer_type=q.answer_type,
            rubric=q.rubric,
            max_points=q.max_points,
            evidence_required=bool(q.evidence),
            from_data=q.from_data,
        )
        for q in Question.objects.filter(indicator__version=catalog)
        .select_related("indicator")
        .order_by("indicator__number", "order")
    )
    categories = tuple(
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
        for c in catalog.categories.order_by("order")
    )
    return scoring.Instrument(indicators, questions, categories)


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


def assessment(period: Period) -> Assessment:
    """Everything the self-assessment page, the gap analysis and the reports show."""
    instrument = instrument_for(period.catalog)
    evaluation = evaluation_of(period)
    answers = {}
    if evaluation is not None:
        answers = {
            a.question_id: a for a in evaluation.answers.select_related("answered_by").order_by()
        }
    submissions = {
        s.indicator_id: s for s in period.submissions.select_related("lead_agency").order_by()
    }
    data = data_values(period)
    per_question, per_indicator, untagged = evidence_counts(period)
    indicators = list(
        Indicator.objects.filter(version=period.catalog)
        .select_related("cluster")
        .prefetch_related("questions")
        .order_by("number")
    )
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
                    answered_by=str(answer.answered_by or "") if answer else "",
                )
            )
        pending.append((indicator, rows))
    result = scoring.score_answers(instrument, values)
    last_year = previous_indicator_scores(period)
    stage_results = list(evaluation.stage_results.order_by("completed_at")) if evaluation else []
    live = None
    if evaluation is not None and evaluation.stage in {s.value for s in _VERIFYING}:
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


_VERIFYING = [Stage.ADMINISTRATIVE, Stage.RECHECK, Stage.FIELD, Stage.FINAL]


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


# --- history and roll-ups -----------------------------------------------------------------


def category_history(lg) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.filter(local_government=lg, stage=Stage.DETERMINED)
        .select_related("determined_by")
        .order_by("-year")
    )


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(scope_q(user, "local_government__region__code"))


@dataclass
class RollupRow:
    """One row of the roll-up, from the columns `rollup` reads (no model instances)."""

    code: str
    name: str
    stage: str  # "" when the year's evaluation has not started
    self_total: Decimal | None
    verified_total: Decimal | None
    verified_stage: str
    category: str
    previous: Decimal | None
    determined: str  # the latest determined category up to this year, "" if none
    determined_year: int | None

    @property
    def has_evaluation(self) -> bool:
        return bool(self.stage)

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage else ""

    @property
    def verified_stage_label(self) -> str:
        return str(Stage(self.verified_stage).label) if self.verified_stage else ""

    @property
    def change(self) -> Decimal | None:
        current = self.verified_total if self.verified_total is not None else self.self_total
        if current is None or self.previous is None:
            return None
        return current - self.previous

    @classmethod
    def of(cls, values: dict) -> RollupRow:
        return cls(**{f.name: values[f.name] for f in fields(cls)})


ROLLUP_COLUMNS = [f.name for f in fields(RollupRow)]


def _first(queryset, column: str):
    return Subquery(queryset.values(column)[:1])


def rollup(user, *, year: int, province: str = "", category: str = "", stage: str = ""):
    """Every local government in the user's scope for one year — stage, self and verified score,
    category, last year's score — as one SQL query of plain columns (`RollupRow.of` each). The
    caller pages it, counts its categories (`distribution`) or streams it, all in SQL.

    The verified score is that of the furthest verification stage completed (its latest result);
    the category shown is the determined one, else the furthest verification's, else the
    self-assessment's."""
    from sikla.organisations.queries import local_governments_visible_to

    evaluation = Evaluation.objects.filter(local_government=OuterRef("pk"), year=year)
    results = StageResult.objects.filter(
        evaluation__local_government=OuterRef("pk"), evaluation__year=year
    )
    furthest = results.filter(stage__in=_VERIFYING).order_by(
        Case(*(When(stage=s, then=i) for i, s in enumerate(_VERIFYING))).desc(),
        "-completed_at",
    )
    self_result = results.filter(stage=Stage.SELF).order_by("-completed_at")
    decided = Evaluation.objects.filter(
        local_government=OuterRef("pk"), stage=Stage.DETERMINED, year__lte=year
    ).order_by("-year")
    rows = (
        local_governments_visible_to(user)
        .select_related(None)
        .annotate(
            code=F("pk"),
            name=F("region__name"),
            stage=Coalesce(_first(evaluation, "stage"), Value("")),
            determined_category=_first(
                evaluation.filter(stage=Stage.DETERMINED), "final_category_name"
            ),
            current_category=_first(evaluation, "current_category"),
            self_total=Coalesce(_first(self_result, "total"), _first(evaluation, "current_total")),
            verified_total=_first(furthest, "total"),
            verified_stage=Coalesce(_first(furthest, "stage"), Value("")),
            verified_category=_first(furthest, "category_name"),
            previous=_first(
                Evaluation.objects.filter(local_government=OuterRef("pk"), year=year - 1),
                "final_score",
            ),
            determined=Coalesce(_first(decided, "final_category_name"), Value("")),
            determined_year=_first(decided, "year"),
        )
        .annotate(
            category=Coalesce(
                "determined_category", "verified_category", "current_category", Value("")
            )
        )
        .order_by("region_id")
    )
    if province:
        rows = rows.filter(region__code__startswith=province + ".")
    if category == "-":
        rows = rows.filter(category="")
    elif category:
        rows = rows.filter(category__iexact=category)
    if stage:
        rows = rows.filter(stage=stage)
    return rows.values(*ROLLUP_COLUMNS)


def distribution(rows: list[RollupRow], names: list[str]) -> dict[str, int]:
    """How many roll-up rows per category name, "" for none or an unknown name."""
    counts = {name: 0 for name in [*names, ""]}
    for row in rows:
        counts[row.category if row.category in counts else ""] += 1
    return counts


def stage_labels() -> dict[str, str]:
    """Each stage's name in the active language, "" for none: looked up once per export rather
    than once per row."""
    return {"": ""} | {s.value: str(s.label) for s in Stage}


def _numbers(points: dict) -> dict[str, float]:
    """A stage's points {question code: "12.50"} as numbers, the empty ones left out (floats:
    a spreadsheet cell holds nothing finer, and 100,000 of them are read for the nation)."""
    return {code: float(v) for code, v in points.items() if v not in (None, "")}


class QuestionBlock(NamedTuple):
    """One kab/kota's evaluation of the per-question export: its answers by question id, the
    points of its (latest) self-assessment and of its furthest verification stage by question
    code, and that stage's name."""

    code: str
    name: str
    stage_label: str
    answers: dict[int, str]
    own: dict[str, float]
    verified: dict[str, float]


def question_blocks(
    names: dict[str, str], year: int
) -> tuple[list[tuple[int, str, int]], list[QuestionBlock]]:
    """The catalog's questions in order (id, code, indicator number) and a block for each of
    these kab/kota ({code: name}) with an evaluation of `year`: the rows of the per-question
    export, a question of a kab/kota each. Four queries for any number of kab/kota."""
    evaluations = dict(
        Evaluation.objects.filter(local_government_id__in=names, year=year).values_list(
            "local_government_id", "pk"
        )
    )
    if not evaluations:
        return [], []
    catalog_id = (
        Evaluation.objects.filter(pk__in=evaluations.values())
        .values_list("period__catalog_id", flat=True)
        .first()
    )
    questions = list(
        Question.objects.filter(indicator__version_id=catalog_id)
        .order_by("indicator__number", "order")
        .values_list("pk", "code", "indicator__number")
    )
    answers: dict[int, dict[int, str]] = {e: {} for e in evaluations.values()}
    for e, q, value in Answer.objects.filter(evaluation__in=evaluations.values()).values_list(
        "evaluation_id", "question_id", "value"
    ):
        answers[e][q] = value
    own: dict[int, dict] = {}
    furthest: dict[int, tuple[int, str, dict]] = {}
    rank = {s: i for i, s in enumerate(_VERIFYING)}
    for e, stage, points in (
        StageResult.objects.filter(evaluation__in=evaluations.values())
        .order_by("completed_at", "pk")
        .values_list("evaluation_id", "stage", "points")
    ):
        if stage == Stage.SELF:
            own[e] = points
        elif stage in rank and rank[stage] >= furthest.get(e, (-1, "", {}))[0]:
            furthest[e] = (rank[stage], stage, points)
    labels = stage_labels()
    blocks = []
    for code, name in names.items():
        e = evaluations.get(code)
        if e is None:
            continue
        _rank, stage, verified = furthest.get(e, (-1, "", {}))
        blocks.append(
            QuestionBlock(
                code,
                name,
                labels.get(stage, ""),
                answers[e],
                _numbers(own.get(e, {})),
                _numbers(verified),
            )
        )
    return questions, blocks


def scenarios_of(evaluation: Evaluation | None) -> QuerySet:
    if evaluation is None:
        from .models import Scenario

        return Scenario.objects.none()
    return evaluation.scenarios.select_related("created_by")


def open_windows(evaluation: Evaluation | None, moment) -> list:
    if evaluation is None:
        return []
    return list(evaluation.correction_windows.filter(opens_at__lte=moment, closes_at__gt=moment))


def category_names() -> list[str]:
    from sikla.indicators.queries import active_catalog

    catalog = active_catalog()
    if catalog is None:
        return []
    return list(catalog.categories.order_by("order").values_list("name", flat=True))


def provinces_for(user):
    from sikla.regions.models import Region

    regions = Region.objects.filter(level="province", is_active=True).order_by("code")
    if user.scope:
        regions = regions.filter(code=user.scope[:2])
    return regions


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
