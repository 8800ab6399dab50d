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
from functools import cached_property

from django.db.models import Case, OuterRef, Subquery, When
from django.utils.safestring import mark_safe

from sikla.accounts.rules import scope_q
from sikla.core import numbers

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
    scores: dict  # the stage result's own: indicator number (text) → points
    points: tuple[Decimal | None, ...]  # per indicator of `maxima`, in catalog order
    maxima: tuple[tuple[int, Decimal], ...]  # (indicator number, its maximum), shared by the rows

    @cached_property
    def total(self) -> Decimal:
        """Every score of the stage, as its total is (an indicator the catalog has since lost
        included)."""
        given = (_points(value) for value in self.scores.values())
        return sum((points for points in given if points is not None), Decimal(0))

    @cached_property
    def shares(self) -> dict[int, Decimal | None]:
        """Indicator number → share of its maximum (worked out when a page or export asks)."""
        return {
            number: _share(points, top)
            for (number, top), points in zip(self.maxima, self.points, strict=True)
        }


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


def _points(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _share(points: Decimal | None, maximum: Decimal) -> Decimal | None:
    return None if points is None or not maximum else points / maximum


def where_points_are_lost(user, year: int, province: str = "") -> Losses:
    """Per indicator and cluster, from each kab/kota's furthest finished stage."""
    from sikla.indicators.models import Cluster, Indicator
    from sikla.indicators.queries import active_catalog

    catalog = active_catalog()
    if catalog is None:
        return Losses(year, province)
    catalog_rows = list(
        Indicator.objects.filter(version=catalog)
        .order_by("number")
        .values_list("number", "name", "cluster__number", "max_points")
    )
    clusters = list(
        Cluster.objects.filter(version=catalog).order_by("number").values_list("number", "name")
    )
    return summarise(
        Losses(year, province), catalog_rows, clusters, latest_scores(user, year, province)
    )


def kept(user, year: int, province: str = "") -> Losses:
    """`where_points_are_lost` for the user's scope, kept by the process until any change
    anywhere (`core.public_cache.kept_in_process`): the page and the monitoring API read it."""
    from sikla.core import public_cache

    return public_cache.kept_in_process(
        f"evaluation-losses:{user.scope}:{year}:{province}",
        "",
        lambda: where_points_are_lost(user, year, province),
    )


def summarise(losses: Losses, catalog_rows, clusters, score_rows) -> Losses:
    """`losses` filled from the catalog's (number, name, cluster, maximum) and (number, name) of
    its clusters, and the (code, name, stage, {number: points}) of each kab/kota. The shares are
    worked out from sums, not cell by cell: a national year is 514 × 24 scores, and the heat
    map's shares only for the rows a page shows (`HeatRow.shares`). The scores are read a column
    (an indicator) at a time: a year's column repeats a few dozen texts, so each text is read
    once and the sums, spreads and lowest are worked out per distinct score, times how often it
    occurs. Every average is one division of exact sums, so it rounds as the exact fraction
    does."""
    maxima = tuple((number, top) for number, _n, _c, top in catalog_rows)
    codes = [row[0] for row in score_rows]
    all_scores = [row[3] for row in score_rows]
    read: dict = {None: None, "": None}
    raw_columns, point_columns = [], []
    for number, _top in maxima:
        key = str(number)
        raw = [scores.get(key) for scores in all_scores]
        for value in set(raw) - read.keys():
            read[value] = _points(value)
        raw_columns.append(raw)
        point_columns.append(list(map(read.__getitem__, raw)))
    # per kab/kota, its points in catalog order (no indicators: one empty tuple per row)
    points_by_row = list(zip(*point_columns, strict=True)) if maxima else [()] * len(score_rows)

    scorable = [(i, number, top) for i, (number, top) in enumerate(maxima) if top]
    held_back: Counter[int] = Counter()
    for (code, name, stage, scores), points in zip(score_rows, points_by_row, strict=True):
        losses.rows.append(HeatRow(code, name, stage, scores, points, maxima))
        # the indicators losing this kab/kota the most points (ties: the lower number first)
        lost = sorted(
            (p - top, number)
            for i, number, top in scorable
            if (p := points[i]) is not None and p < top
        )
        held_back.update(number for _lost, number in lost[:HOLDING_BACK])

    for i, (number, name, cluster, top) in enumerate(catalog_rows):
        # a quarter of the maximum is the number of quarter marks the score reaches
        q1, q2, q3 = top / 4, top / 2, top * 3 / 4  # exact: a decimal over 4 ends
        spread = [0, 0, 0, 0]
        total, count, lowest = Decimal(0), 0, None
        for value, n in Counter(raw_columns[i]).items() if top else ():
            p = read[value]
            if p is None:
                continue
            spread[(p >= q1) + (p >= q2) + (p >= q3)] += n
            total += p * n
            count += n
            if lowest is None or p < lowest:
                lowest = p
        behind = None
        if lowest is not None:
            # the lowest score, then the lowest code
            code, name_of = min(
                (codes[r], score_rows[r][1])
                for r, p in enumerate(point_columns[i])
                if p is not None and p == lowest
            )
            behind = Behind(code, name_of, (lowest / top).quantize(PLACES))
        losses.indicators.append(
            IndicatorShare(
                number=number,
                name=name,
                cluster=cluster,
                max_points=top,
                evaluations=count,
                average_share=_quantized(total / (count * top) if count else None),
                distribution=spread,
                furthest_behind=behind,
                holding_back=held_back.get(number, 0),
            )
        )

    for number, name in clusters:
        # its indicators that can be scored (a maximum of 0 has no share)
        members = [i for i, (_n, _name, c, top) in enumerate(catalog_rows) if c == number and top]
        top = sum((catalog_rows[i][3] for i in members), Decimal(0))
        total, count = Decimal(0), 0
        for points in points_by_row if top else ():
            scored = [p for i in members if (p := points[i]) is not None]
            if scored:
                total += sum(scored)
                count += 1
        # the average of each kab/kota's share of the cluster's maximum
        average = total / (count * top) if count else None
        losses.clusters.append(ClusterShare(number, name, top, _quantized(average)))
    return losses


def _quantized(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PLACES)


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
        code: _share(_points(scores.get(str(number))), maximum)
        for code, _name, _stage, scores in latest_scores(user, year, province)
    }
    return OneIndicator(number, name, shares)


def heat_class(share: Decimal | None) -> str:
    """The heat map's colour of a cell: its quarter of the maximum, "" when there is no score."""
    return "" if share is None else f"q{min(3, int(share * 4))}"


def heat_cells(row: HeatRow, indicators: list[int]) -> str:
    """A heat map row's cells for the indicators numbered `indicators`: one string per row, not a template
    loop per cell (50 rows × 24 indicators were most of the page's time)."""
    shares = row.shares
    # Nothing to escape: a colour class of our own and a number written by `numbers.share`.
    return mark_safe(  # noqa: S308
        "".join(
            f'<td class="num {heat_class(shares[n])}">{numbers.share(shares[n])}</td>'
            for n in indicators
        )
    )


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
