"""Trends for provinces and the nation (issue "monitoring", point 4): how many kab/kota were named
Pratama … KLA each year, who moved up or down between the last two determinations, and each
kab/kota's score path across the stages of one year (self → province → ministry), so that a
drop like Kab. Malinau's 550 → 467 is found rather than stumbled upon.

Reads determined evaluations and stage results in the user's scope (the access rule), a few
queries whatever the number of kab/kota.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from sikla.accounts.rules import scope_q

from .models import Evaluation, Stage, StageResult

DROPS_SHOWN = 20


@dataclass(frozen=True)
class YearCounts:
    year: int
    counts: dict[str, int]  # category name → kab/kota named it that year
    total: int


@dataclass(frozen=True)
class Move:
    code: str
    name: str
    before: str
    before_year: int
    after: str
    after_year: int
    steps: int  # categories moved: +1 up one, -2 down two


@dataclass(frozen=True)
class Path:
    code: str
    name: str
    self_total: Decimal | None
    province_total: Decimal | None
    ministry_total: Decimal | None
    ministry_stage: str
    category: str  # the determined one, "" if not yet

    @property
    def drop(self) -> Decimal | None:
        """Points lost from the self-assessment to the furthest verification."""
        last = self.ministry_total if self.ministry_total is not None else self.province_total
        if self.self_total is None or last is None:
            return None
        return self.self_total - last


def _scoped(user, province: str):
    rows = Evaluation.objects.filter(scope_q(user, "local_government__region__code"))
    if province:
        rows = rows.filter(local_government__region__code__startswith=province + ".")
    return rows


def categories_by_year(user, province: str, names: list[str]) -> list[YearCounts]:
    """Determined categories per year, one GROUP BY; names in the catalog's order."""
    found: dict[int, dict[str, int]] = {}
    for year, name, n in (
        _scoped(user, province)
        .filter(stage=Stage.DETERMINED)
        .values_list("year", "final_category_name")
        .annotate(n=Count("pk"))
        .order_by("year")
    ):
        found.setdefault(year, {})[name] = n
    return [
        YearCounts(
            year,
            {name: counts.get(name, 0) for name in names}
            | {k: v for k, v in counts.items() if k not in names},
            sum(counts.values()),
        )
        for year, counts in sorted(found.items())
    ]


def movers(user, province: str, names: list[str]) -> tuple[list[Move], list[Move]]:
    """Between each kab/kota's last two determinations: who went up, who went down (the biggest
    moves first). A name outside the catalog ("not awarded") ranks below the lowest."""
    order = {name: i for i, name in enumerate(names)}
    latest: dict[str, list[tuple[int, str, str]]] = {}
    for code, name, year, category in (
        _scoped(user, province)
        .filter(stage=Stage.DETERMINED)
        .order_by("local_government_id", "-year")
        .values_list(
            "local_government_id", "local_government__region__name", "year", "final_category_name"
        )
    ):
        mine = latest.setdefault(code, [])
        if len(mine) < 2:
            mine.append((year, category, name))
    up, down = [], []
    for code, found in latest.items():
        if len(found) < 2:
            continue
        (after_year, after, name), (before_year, before, _n) = found
        steps = order.get(after, -1) - order.get(before, -1)
        move = Move(code, name, before, before_year, after, after_year, steps)
        if steps > 0:
            up.append(move)
        elif steps < 0:
            down.append(move)
    up.sort(key=lambda m: (-m.steps, m.code))
    down.sort(key=lambda m: (m.steps, m.code))
    return up, down


def score_paths(user, year: int, province: str) -> list[Path]:
    """Each kab/kota's score at the self-assessment, the province's check and the ministry's
    furthest stage in `year`, the biggest drops first."""
    ministry = [Stage.RECHECK, Stage.FIELD, Stage.FINAL]
    evaluations = {
        pk: (code, name, category)
        for pk, code, name, category in _scoped(user, province)
        .filter(year=year)
        .values_list(
            "pk", "local_government_id", "local_government__region__name", "final_category_name"
        )
    }
    totals: dict[int, dict[str, Decimal]] = {}
    for evaluation, stage, total in (
        StageResult.objects.filter(evaluation__in=list(evaluations))
        .order_by("completed_at", "pk")
        .values_list("evaluation_id", "stage", "total")
    ):
        totals.setdefault(evaluation, {})[stage] = total  # the latest result of each stage
    paths = []
    for pk, stages in totals.items():
        code, name, category = evaluations[pk]
        furthest = next((s for s in reversed(ministry) if s in stages), "")
        paths.append(
            Path(
                code=code,
                name=name,
                self_total=stages.get(Stage.SELF),
                province_total=stages.get(Stage.ADMINISTRATIVE),
                ministry_total=stages.get(furthest) if furthest else None,
                ministry_stage=furthest,
                category=category,
            )
        )
    paths.sort(key=lambda p: (p.drop is None, -(p.drop or 0), p.code))
    return paths
