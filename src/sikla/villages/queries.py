"""Named reads: the kab/kota overview, the village list, one area, and the shares that answer
indicator 2's questions 2.4–2.6.

Every read starts from a local government the caller has already fetched through
`organisations.access.get_local_government_for_user` (so from what the user may see).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from sikla.core.models import AuditEvent
from sikla.regions.models import Level, Region

from .models import (
    DECLARED_STATUSES,
    DISTRICT_CODE_LENGTH,
    Checklist,
    ChecklistAnswer,
    ChecklistItem,
    Status,
    StatusChange,
    VillageStatus,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Which questions of indicator 2 (catalog PermenPPPA-12-2022) each share answers.
QUESTION_SHARES = {
    "2.4": "pct_districts_declared",
    "2.5": "pct_villages_declared",
    "2.6": "pct_patbm",
}


def percent(part: int, whole: int) -> Decimal:
    """part / whole as a percentage with two places; 0 when there is nothing to divide by."""
    if not whole:
        return ZERO
    return (Decimal(100) * part / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def year_end(year: int) -> date:
    return date(year, 12, 31)


def _regions(lg, level: str) -> QuerySet[Region]:
    return Region.objects.filter(code__startswith=lg.code + ".", level=level, is_active=True)


def declared_q(year: int) -> Q:
    """Status rows that stood declared at the end of `year` (a later declaration does not count
    for an earlier data year)."""
    return Q(status__in=sorted(DECLARED_STATUSES), declared_on__lte=year_end(year))


def shares(local_government, year: int) -> dict:
    """The DeKeLA / KELANA shares of a local government for data year `year`.

    - `declared_villages` / `total_villages` → `pct_villages_declared` (question 2.5);
    - `villages_with_patbm`: declared villages whose checklist of `year` says PATBM, over the
      declared villages → `pct_patbm` (question 2.6: "persentase DeKeLA yang memiliki PATBM");
    - `declared_districts` / `total_districts` → `pct_districts_declared` (question 2.4).

    Totals count the active kelurahan/desa and kecamatan of the kab/kota in the region list.
    Percentages are Decimals with two places; a zero denominator gives 0.
    """
    lg = local_government
    total_villages = _regions(lg, Level.VILLAGE).count()
    total_districts = _regions(lg, Level.DISTRICT).count()
    declared = VillageStatus.objects.filter(
        declared_q(year), local_government=lg, region__is_active=True
    )
    counts = declared.aggregate(
        villages=Count("pk", filter=Q(region__level=Level.VILLAGE)),
        districts=Count("pk", filter=Q(region__level=Level.DISTRICT)),
    )
    with_patbm = (
        declared.filter(
            region__level=Level.VILLAGE,
            checklists__year=year,
            checklists__answers__item=ChecklistItem.PATBM,
            checklists__answers__done=True,
        )
        .distinct()
        .count()
    )
    return {
        "declared_villages": counts["villages"],
        "total_villages": total_villages,
        "pct_villages_declared": percent(counts["villages"], total_villages),
        "villages_with_patbm": with_patbm,
        "pct_patbm": percent(with_patbm, counts["villages"]),
        "declared_districts": counts["districts"],
        "total_districts": total_districts,
        "pct_districts_declared": percent(counts["districts"], total_districts),
    }


def question_values(share: dict) -> list[tuple[str, Decimal]]:
    return [(code, share[key]) for code, key in QUESTION_SHARES.items()]


def indicator_2_questions() -> dict[str, str]:
    """The texts of questions 2.4–2.6 in the active catalog ({} when none is loaded)."""
    from sikla.indicators.models import Question

    return dict(
        Question.objects.filter(
            indicator__version__is_active=True,
            indicator__number=2,
            code__in=list(QUESTION_SHARES),
        ).values_list("code", "text")
    )


# --- the kab/kota overview ------------------------------------------------------------------


@dataclass
class DistrictRow:
    code: str
    name: str
    status: str = Status.NOT_STARTED
    status_label: str = ""
    declared_on: date | None = None
    kelana: bool = False  # the kecamatan stood declared at the end of the year
    villages: int = 0
    declared: int = 0
    with_patbm: int = 0
    items: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ChecklistItem.values, 0))

    @property
    def is_declared(self) -> bool:
        return self.status in DECLARED_STATUSES


@dataclass
class Overview:
    year: int
    districts: list[DistrictRow]
    totals: DistrictRow
    village_word: str  # "kelurahan", "desa" or "desa/kelurahan", as the kab/kota has them
    done: dict[str, set[str]] = field(default_factory=dict)  # region code → items met in year

    @property
    def chart(self) -> dict:
        return {
            "labels": [d.name for d in self.districts],
            "datasets": [
                {"label": _("Desa/kelurahan"), "data": [d.villages for d in self.districts]},
                {"label": _("Dideklarasikan"), "data": [d.declared for d in self.districts]},
                {"label": _("Dengan PATBM"), "data": [d.with_patbm for d in self.districts]},
            ],
        }


def village_word(codes: list[str]) -> str:
    """Kelurahan codes have a fourth part starting with 1, desa with 2."""
    kinds = {code.rsplit(".", 1)[1][:1] for code in codes}
    if kinds == {"1"}:
        return _("kelurahan")
    if kinds == {"2"}:
        return _("desa")
    return _("desa/kelurahan")


def overview(lg, year: int) -> Overview:
    """Per kecamatan: villages, declared (at the end of `year`), declared with PATBM, and how
    many villages meet each checklist item in `year`. Three queries whatever the size."""
    regions = list(
        Region.objects.filter(
            code__startswith=lg.code + ".",
            level__in=[Level.DISTRICT, Level.VILLAGE],
            is_active=True,
        )
        .order_by("code")
        .values_list("code", "name", "level")
    )
    statuses = {
        row["region_id"]: row
        for row in VillageStatus.objects.filter(local_government=lg).values(
            "region_id", "status", "declared_on"
        )
    }
    done = defaultdict(set)  # region code -> items done in `year`
    for code, item in ChecklistAnswer.objects.filter(
        checklist__village_status__local_government=lg, checklist__year=year, done=True
    ).values_list("checklist__village_status__region_id", "item"):
        done[code].add(item)

    def declared(code: str) -> bool:
        row = statuses.get(code)
        return bool(
            row
            and row["status"] in DECLARED_STATUSES
            and row["declared_on"] is not None
            and row["declared_on"] <= year_end(year)
        )

    labels = dict(Status.choices)
    districts: dict[str, DistrictRow] = {}
    villages: list[str] = []
    for code, name, level in regions:
        if level == Level.DISTRICT:
            row = statuses.get(code, {})
            status = row.get("status", Status.NOT_STARTED)
            districts[code] = DistrictRow(
                code=code,
                name=name,
                status=status,
                status_label=str(labels[status]),
                declared_on=row.get("declared_on"),
                kelana=declared(code),
            )
            continue
        district = districts.get(code[:DISTRICT_CODE_LENGTH])
        if district is None:
            continue
        villages.append(code)
        district.villages += 1
        if declared(code):
            district.declared += 1
            if ChecklistItem.PATBM in done[code]:
                district.with_patbm += 1
        for item in done[code]:
            district.items[item] += 1
    totals = DistrictRow(code=lg.code, name=_("Jumlah"))
    for d in districts.values():
        totals.villages += d.villages
        totals.declared += d.declared
        totals.with_patbm += d.with_patbm
        for item, n in d.items.items():
            totals.items[item] += n
    totals.status = ""
    return Overview(
        year=year,
        districts=list(districts.values()),
        totals=totals,
        village_word=village_word(villages),
        done=done,
    )


# --- lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaFilter:
    level: str = Level.VILLAGE  # village or district
    district: str = ""  # a kecamatan code
    status: str = ""  # one of Status, "" for all
    item: str = ""  # only areas meeting this checklist item in `year`
    year: int | None = None


def areas(lg, filters: AreaFilter = AreaFilter()) -> QuerySet[Region]:
    """Kelurahan/desa (or kecamatan) of the kab/kota with their status (regions without a status
    row are "not started"), annotated with `st`, `declared_on`, `decree_number`, `status_uid`
    and the task force fields."""
    qs = (
        _regions(lg, filters.level)
        .annotate(
            vs=FilteredRelation(
                "village_statuses", condition=Q(village_statuses__local_government=lg)
            )
        )
        .annotate(
            st=Coalesce(F("vs__status"), Value(Status.NOT_STARTED)),
            declared_on=F("vs__declared_on"),
            decree_number=F("vs__decree_number"),
            status_id=F("vs__id"),
            status_uid=F("vs__uid"),
            task_force_decree=F("vs__task_force_decree"),
            task_force_chair=F("vs__task_force_chair"),
            task_force_members=F("vs__task_force_members"),
        )
        .order_by("code")
    )
    if filters.district:
        qs = qs.filter(code__startswith=filters.district + ".")
    if filters.status:
        qs = qs.filter(st=filters.status)
    if filters.item and filters.year:
        qs = qs.filter(
            code__in=ChecklistAnswer.objects.filter(
                checklist__village_status__local_government=lg,
                checklist__year=filters.year,
                item=filters.item,
                done=True,
            ).values("checklist__village_status__region_id")
        )
    return qs


def items_done(lg, codes: list[str], year: int) -> dict[str, set[str]]:
    """{region code: the checklist items met in `year`} for a page of areas (one query)."""
    done: dict[str, set[str]] = defaultdict(set)
    for code, item in ChecklistAnswer.objects.filter(
        checklist__village_status__local_government=lg,
        checklist__village_status__region_id__in=codes,
        checklist__year=year,
        done=True,
    ).values_list("checklist__village_status__region_id", "item"):
        done[code].add(item)
    return done


def latest_checklists(status_ids: list[int]) -> dict[int, Checklist]:
    """The most recent checklist of each status row, with its answers (two queries)."""
    latest: dict[int, Checklist] = {}
    for checklist in (
        Checklist.objects.filter(village_status_id__in=status_ids)
        .order_by("village_status_id", "-year")
        .prefetch_related("answers")
    ):
        latest.setdefault(checklist.village_status_id, checklist)
    return latest


def checklist_years(lg) -> list[int]:
    return sorted(
        Checklist.objects.filter(village_status__local_government=lg)
        .values_list("year", flat=True)
        .distinct(),
        reverse=True,
    )


# --- one area -------------------------------------------------------------------------------


def status_of(lg, region: Region) -> VillageStatus | None:
    return (
        VillageStatus.objects.filter(local_government=lg, region=region)
        .select_related("region")
        .first()
    )


def checklists_of(status: VillageStatus | None) -> list[Checklist]:
    if status is None:
        return []
    return list(
        status.checklists.select_related("saved_by").prefetch_related("answers").order_by("-year")
    )


def status_history(status: VillageStatus | None) -> QuerySet[StatusChange]:
    if status is None:
        return StatusChange.objects.none()
    return status.changes.select_related("actor")


def checklist_history(lg, status: VillageStatus | None) -> QuerySet[AuditEvent]:
    """Audit rows of the area's checklists and evidence (who saved what, when)."""
    if status is None:
        return AuditEvent.objects.none()
    ids = [str(pk) for pk in status.checklists.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        region_code=lg.code, target_type="villages.checklist", target_id__in=ids
    ).select_related("actor")


def villages_of_district(lg, district: Region) -> QuerySet[Region]:
    return areas(lg, AreaFilter(district=district.code))
