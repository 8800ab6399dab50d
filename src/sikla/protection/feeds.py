"""What the unit's own records say about the cluster V indicators 21–24 (DESIGN.md §1: "de-identified
stats → cluster V indicators").

For a submission of indicator 21, 22, 23 or 24, over the period's data year (1 January –
31 December, cases by the day they were received): the *denominator* is the number of child
victims whose case has at least one type that feeds the indicator (`TYPE_INDICATOR`); the
*numerator* is how many of them were served (`statistics` module: at least one service for the
child, or one for the whole case). Per sex × age group, and for the whole kab/kota. Victims whose
sex or age was not recorded count only in the kab/kota total.

The values are offered, never written silently: the panel's "Gunakan nilai ini" posts them
through the collection module's own form and `save_values` action, for users who may enter data.

The UPTD PPA see the exact values; everyone else the published values of the year once it has
ended (`disclosure/`: a hidden value is "x", and a panel with a hidden value offers no button).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from sikla.accounts.rules import Perm, can
from sikla.collection.grid import column_label, columns, field_name

from . import disclosure
from . import statistics as stats
from .models import TYPE_INDICATOR, ProtectionType, VictimFact

FED_INDICATORS = frozenset(TYPE_INDICATOR.values())
SEXES = ("L", "P")
AGES = ("0-5", "6-12", "13-17")


def indicator_types(number: int) -> frozenset[str]:
    return frozenset(str(t) for t, n in TYPE_INDICATOR.items() if n == number)


@dataclass
class FeedCell:
    label: str
    numerator: int | str = 0  # "x": hidden
    denominator: int | str = 0
    sex: str = ""
    age_group: str = ""

    @property
    def hidden(self) -> bool:
        return not (isinstance(self.numerator, int) and isinstance(self.denominator, int))

    @property
    def percentage(self) -> float | None:
        if self.hidden or not self.denominator:
            return None
        return self.numerator * 100 / self.denominator


@dataclass
class Feed:
    indicator: int
    year: int
    start: date
    end: date
    type_labels: list[str]
    cells: list[FeedCell]  # sex × age group, both known
    incomplete: FeedCell  # sex or age group not recorded
    total: FeedCell
    statistics_url: str
    apply_fields: list[tuple[str, int]]  # hidden inputs of the collection form; [] → no button
    published: bool = True  # False: a year still running, outside the UPTD PPA (nothing shown)

    @property
    def hidden(self) -> bool:
        return any(c.hidden for c in (*self.cells, self.incomplete, self.total))


def compute(local_government, number: int, year: int, *, exact: bool = True) -> Feed:
    """The feed of indicator `number` for data year `year`: exact (one query, on the facts) or,
    with `exact=False`, the published values (`disclosure.published`)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    wanted = indicator_types(number)
    cells = {
        (sex, age): FeedCell(label=column_label(sex, age), sex=sex, age_group=age)
        for sex in SEXES
        for age in AGES
    }
    incomplete = FeedCell(label="")
    total = FeedCell(label="")
    url = reverse("protection:statistics", args=[local_government.pk])
    feed = Feed(
        indicator=number,
        year=year,
        start=start,
        end=end,
        type_labels=[str(ProtectionType(t).label) for t in sorted(wanted)],
        cells=list(cells.values()),
        incomplete=incomplete,
        total=total,
        statistics_url=f"{url}?from={start.isoformat()}&to={end.isoformat()}",
        apply_fields=[],
    )
    if not exact:
        period, today = disclosure.Period(year), timezone.localdate()
        feed.statistics_url = f"{url}?periode={period.token}"
        feed.published = period.ended(today)
        if feed.published:
            values = disclosure.published(local_government, period, today).feeds[number]
            for cell in (*cells.values(), incomplete, total):
                key = (
                    f"{cell.sex}:{cell.age_group}" if cell.sex else ("" if cell is total else "inc")
                )
                cell.numerator, cell.denominator = values[key]
        return feed
    victims = stats.victims_with_types(
        stats.facts_in(VictimFact, local_government, start, end), wanted
    )
    for sex, age, n, served in (
        victims.values("sex", "age_group")
        .annotate(n=Count("pk"), served_n=Count("pk", filter=Q(served=True)))
        .values_list("sex", "age_group", "n", "served_n")
    ):
        for cell in (total, cells.get((sex, age), incomplete)):
            cell.denominator += n
            cell.numerator += served
    return feed


def _apply_fields(feed: Feed, submission) -> list[tuple[str, int]]:
    """The collection form's inputs for these values, when the indicator's grid is exactly one
    kab/kota row by sex × age group; cells without victims stay empty (0/0 is not a value)."""
    indicator = submission.indicator
    if not feed.published or feed.hidden:
        return []
    if indicator.data_level != "regency" or set(columns(indicator.disaggregations)) != {
        (c.sex, c.age_group) for c in feed.cells
    }:
        return []
    fields = []
    for cell in feed.cells:
        if cell.denominator:
            key = (submission.local_government_id, cell.sex, cell.age_group)
            fields += [
                (field_name("n", key), cell.numerator),
                (field_name("d", key), cell.denominator),
            ]
    return fields


def feed_for_submission(user, submission) -> Feed | None:
    """The panel of a collection submission page: None for indicators other than 21–24, or for
    a user who may not see the protection statistics of this local government."""
    number = submission.indicator.number
    if number not in FED_INDICATORS or not can(
        user, Perm.VIEW_PROTECTION_STATS, submission.local_government_id
    ):
        return None
    lg = submission.local_government
    feed = compute(lg, number, submission.period.data_year, exact=disclosure.sees_exact(user, lg))
    feed.apply_fields = _apply_fields(feed, submission)
    return feed
