"""Where a province or the nation loses points (issue "monitoring", point 3): per indicator and
per cluster the average share of the maximum, how the kab/kota spread over it and who is furthest
behind; a heat map of kab/kota × indicators; and the indicators that most often hold a kab/kota
back from its next category (its gap analysis, added up).

Each kab/kota counts with its furthest finished stage's scores (`StageResult.indicator_scores`):
the self-assessment once submitted, the verifiers' scores once a verification stage is done. An
evaluation still being filled in has no scores here yet. One query of stage results, one of the
catalog, whatever the number of kab/kota.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, OuterRef, Subquery, When

from sikla.accounts.rules import scope_q

from .models import Stage, StageResult

PLACES = Decimal("0.0001")
HOLDING_BACK = 3  # the indicators losing a kab/kota the most points, counted per kab/kota


@dataclass(frozen=True)
class Behind:
    code: str
    name: str
    share: Decimal  # of the indicator's maximum, 0–1


@dataclass(frozen=True)
class IndicatorShare:
    number: int
    name: str
    cluster: int
    max_points: Decimal
    evaluations: int  # kab/kota with a score for it
    average_share: Decimal | None  # 0–1, four places
    distribution: list[int]  # kab/kota per quarter of the maximum: <25 %, <50 %, <75 %, ≥75 %
    furthest_behind: Behind | None
    holding_back: int = 0  # kab/kota for which it is among the HOLDING_BACK biggest losses


@dataclass(frozen=True)
class ClusterShare:
    number: int
    name: str
    max_points: Decimal
    average_share: Decimal | None


@dataclass(frozen=True)
class HeatRow:
    code: str
    name: str
    stage: str
    total: Decimal
    shares: dict[int, Decimal | None]  # indicator number → share of its maximum


@dataclass
class Losses:
    year: int
    province: str
    indicators: list[IndicatorShare] = field(default_factory=list)
    clusters: list[ClusterShare] = field(default_factory=list)
    rows: list[HeatRow] = field(default_factory=list)

    @property
    def most_holding_back(self) -> list[IndicatorShare]:
        found = [i for i in self.indicators if i.holding_back]
        return sorted(found, key=lambda i: (-i.holding_back, i.number))


def latest_scores(user, year: int, province: str = "") -> list[tuple[str, str, str, dict]]:
    """(code, name, stage, {indicator number: score}) of every evaluation of `year` in the scope
    with a finished stage: the furthest stage's indicator scores."""
    rank = Case(*(When(stage=s.value, then=i) for i, s in enumerate(Stage)))
    furthest = (
        StageResult.objects.filter(evaluation=OuterRef("evaluation"))
        .order_by(rank.desc(), "-completed_at", "-pk")
        .values("pk")[:1]
    )
    rows = StageResult.objects.filter(
        scope_q(user, "evaluation__local_government__region__code"),
        evaluation__year=year,
        pk=Subquery(furthest),
    )
    if province:
        rows = rows.filter(evaluation__local_government__region__code__startswith=province + ".")
    return list(
        rows.order_by("evaluation__local_government_id").values_list(
            "evaluation__local_government_id",
            "evaluation__local_government__region__name",
            "stage",
            "indicator_scores",
        )
    )


def _share(points, maximum: Decimal) -> Decimal | None:
    if points in (None, "") or not maximum:
        return None
    return Decimal(str(points)) / maximum


def _average(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(PLACES) if values else None


def where_points_are_lost(user, year: int, province: str = "") -> Losses:
    from sikla.indicators.models import Cluster, Indicator
    from sikla.indicators.queries import active_catalog

    losses = Losses(year, province)
    catalog = active_catalog()
    if catalog is None:
        return losses
    catalog_rows = list(
        Indicator.objects.filter(version=catalog)
        .order_by("number")
        .values_list("number", "name", "cluster__number", "max_points")
    )
    maximum = {number: m for number, _n, _c, m in catalog_rows}
    for code, name, stage, scores in latest_scores(user, year, province):
        shares = {n: _share(scores.get(str(n)), m) for n, m in maximum.items()}
        total = sum((Decimal(str(v)) for v in scores.values() if v not in (None, "")), Decimal(0))
        losses.rows.append(HeatRow(code, name, stage, total, shares))

    held_back: Counter[int] = Counter()
    for row in losses.rows:
        lost = sorted(
            (
                (maximum[n] - share * maximum[n], n)
                for n, share in row.shares.items()
                if share is not None and share < 1
            ),
            key=lambda x: (-x[0], x[1]),
        )
        held_back.update(n for _points, n in lost[:HOLDING_BACK])

    for number, name, cluster, top in catalog_rows:
        shares = [(r.code, r.name, r.shares[number]) for r in losses.rows]
        shares = [x for x in shares if x[2] is not None]
        spread = [0, 0, 0, 0]
        for _code, _name, share in shares:
            spread[min(3, int(share * 4))] += 1
        low = min(shares, key=lambda x: (x[2], x[0]), default=None)
        losses.indicators.append(
            IndicatorShare(
                number=number,
                name=name,
                cluster=cluster,
                max_points=top,
                evaluations=len(shares),
                average_share=_average([x[2] for x in shares]),
                distribution=spread,
                furthest_behind=Behind(low[0], low[1], low[2].quantize(PLACES)) if low else None,
                holding_back=held_back.get(number, 0),
            )
        )

    for number, name in (
        Cluster.objects.filter(version=catalog).order_by("number").values_list("number", "name")
    ):
        members = [n for n, _name, c, _m in catalog_rows if c == number]
        top = sum((maximum[n] for n in members), Decimal(0))
        per_lg = [
            sum((r.shares[n] * maximum[n] for n in members if r.shares[n] is not None), Decimal(0))
            / top
            for r in losses.rows
            if top and any(r.shares[n] is not None for n in members)
        ]
        losses.clusters.append(ClusterShare(number, name, top, _average(per_lg)))
    return losses


@dataclass(frozen=True)
class OneIndicator:
    """One indicator's score per kab/kota, as a share of its maximum: the map's "by one
    indicator" mode and the table column under it."""

    number: int
    name: str
    shares: dict[str, Decimal | None]  # kab/kota code → share 0–1, None without a score


def one_indicator(user, year: int, province: str, number: int) -> OneIndicator | None:
    """`number`'s share per kab/kota from the same furthest finished stage as the heat map;
    None when the active catalog has no such indicator."""
    from sikla.indicators.models import Indicator
    from sikla.indicators.queries import active_catalog

    catalog = active_catalog()
    found = (
        Indicator.objects.filter(version=catalog, number=number).values_list("name", "max_points")
        if catalog
        else []
    )
    if not found:
        return None
    name, maximum = found[0]
    shares = {
        code: _share(scores.get(str(number)), maximum)
        for code, _name, _stage, scores in latest_scores(user, year, province)
    }
    return OneIndicator(number, name, shares)


def heat_class(share: Decimal | None) -> str:
    """The heat map's colour of a cell: its quarter of the maximum, "" when there is no score."""
    return "" if share is None else f"q{min(3, int(share * 4))}"


SORTS = {"nama": "name", "total": "total"}


def sorted_rows(rows: list[HeatRow], key: str) -> list[HeatRow]:
    """By name, by total (lowest first), or by one indicator's share (lowest first, no score
    last): `key` is "nama", "total" or an indicator number."""
    if key == "total":
        return sorted(rows, key=lambda r: (r.total, r.code))
    if key.isdigit():
        n = int(key)
        return sorted(rows, key=lambda r: (r.shares.get(n) is None, r.shares.get(n) or 0, r.code))
    return sorted(rows, key=lambda r: (r.name, r.code))
