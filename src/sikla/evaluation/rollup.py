"""Reads across local governments: the provincial and national roll-up (one SQL query of plain
columns, paged and counted in SQL), the rows of its per-question export, and the provinces and
category names its filters offer. Every read is limited to the user's scope (`scope_q`) and runs a
fixed number of queries however many local governments it covers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from sikla.accounts.rules import scope_q
from sikla.core.choice_labels import labels_of
from sikla.indicators.models import Question

from .models import VERIFICATION_STAGES, Answer, Evaluation, Stage, StageResult


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
    furthest = results.filter(stage__in=VERIFICATION_STAGES).order_by(
        Case(*(When(stage=s, then=i) for i, s in enumerate(VERIFICATION_STAGES))).desc(),
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
    return {"": ""} | labels_of(Stage)


class QuestionBlock(NamedTuple):
    """One kab/kota's evaluation of the per-question export: its answers by question id, the
    points of its (latest) self-assessment and of its furthest verification stage by question
    code, and that stage's name."""

    code: str
    name: str
    stage_label: str
    answers: dict[int, str]
    own: dict[str, str]  # points as stored: {question code: "12.50"}
    verified: dict[str, str]


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
    rank = {s: i for i, s in enumerate(VERIFICATION_STAGES)}
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
                own.get(e, {}),
                verified,
            )
        )
    return questions, blocks


def category_names(catalog=None) -> list[str]:
    """The category names of `catalog` (the active one when not given), lowest first."""
    from sikla.indicators.queries import active_catalog, catalog_categories

    catalog = catalog or active_catalog()
    return [c.name for c in catalog_categories(catalog)] if catalog else []


def provinces_for(user):
    from sikla.regions.models import Region

    regions = Region.objects.filter(level="province", is_active=True).order_by("code")
    if user.scope:
        regions = regions.filter(code=user.scope[:2])
    return regions
