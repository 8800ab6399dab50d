"""Reads of the public portal (`/kla/`, `/kla/<code>/` and its API): what any visitor may see of a
local government taking part in KLA. Nothing here carries an identity: category history,
headline percentages of approved data, the published protection counts of the last ended
quarter at kab/kota level (`protection.disclosure`), child-friendly villages, open public
consultations.

Each function runs a fixed number of queries however many cases, villages or evaluations there
are; `portal()` runs about fifteen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikla.collection.models import DataValue, PeriodStatus, SubmissionStatus
from sikla.core.choice_labels import labels_of
from sikla.core.hotlines import SAPA_PHONE, SAPA_WHATSAPP, SAPA_WHATSAPP_URL  # noqa: F401
from sikla.evaluation.models import Evaluation, Stage
from sikla.evaluation.queries import category_history
from sikla.organisations.models import LocalGovernment
from sikla.participation.models import PublicConsultation
from sikla.participation.queries import open_consultations
from sikla.protection import disclosure, statistics
from sikla.protection.models import ProtectionType
from sikla.regions.models import Level
from sikla.villages.models import VillageStatus
from sikla.villages.queries import declared_q, shares

THRESHOLD = disclosure.THRESHOLD  # counts (and denominators) from 1 to 4 are never published
CENT = Decimal("0.01")

# The headline indicators of the catalog (PermenPPPA 12/2022), in plain words for the public.
HEADLINES: dict[int, tuple[str, str]] = {
    4: (gettext_lazy("Anak yang memiliki kutipan akta kelahiran"), "higher_is_better"),
    7: (gettext_lazy("Perkawinan anak"), "lower_is_better"),
    12: (gettext_lazy("Balita dengan masalah gizi (stunting)"), "lower_is_better"),
    18: (gettext_lazy("Anak yang menempuh wajib belajar 12 tahun"), "higher_is_better"),
}


def active_local_government(code: str) -> LocalGovernment:
    """The participating local government with this code; 404 when unknown or inactive."""
    lg = LocalGovernment.objects.filter(pk=code, is_active=True).select_related("region").first()
    if lg is None:
        raise Http404(_("Kabupaten/kota ini tidak ditemukan di portal KLA."))
    return lg


def participating() -> QuerySet[LocalGovernment]:
    """Active local governments with their latest determined category and its year (one
    query): `latest_category`, `latest_year` (None when never determined)."""
    latest = Evaluation.objects.filter(
        local_government=OuterRef("pk"), stage=Stage.DETERMINED
    ).order_by("-year")
    return (
        LocalGovernment.objects.filter(is_active=True)
        .select_related("region")
        .annotate(
            latest_category=Subquery(latest.values("final_category_name")[:1]),
            latest_year=Subquery(latest.values("year")[:1]),
        )
        .order_by("region_id")
    )


# --- category history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    year: int
    category: str
    score: Decimal | None
    decree_number: str
    decree_date: date | None


def categories(lg: LocalGovernment) -> list[CategoryRow]:
    """The determined evaluations, newest first (who determined them is not public)."""
    return [
        CategoryRow(
            year=e.year,
            category=e.final_category_name or _("Tidak berkategori"),
            score=e.final_score,
            decree_number=e.decree_number,
            decree_date=e.decree_date,
        )
        for e in category_history(lg)
    ]


# --- headline indicators ------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    number: int
    name: str
    direction: str
    year: int | None  # the evaluation year the value comes from
    value: Decimal | None  # kab/kota percentage; None when no data or suppressed
    suppressed: bool = False

    @property
    def data_year(self) -> int | None:
        return self.year - 1 if self.year else None


def headlines(lg: LocalGovernment) -> list[Headline]:
    """The kab/kota headline percentage of each headline indicator: all cells of its latest
    approved submission in a closed or locked period (numerators over denominators, as the
    evaluation reads data). A denominator from 1 to 4 is too few children to publish. One query.
    """
    totals = (
        DataValue.objects.filter(
            submission__local_government=lg,
            submission__status=SubmissionStatus.APPROVED,
            submission__period__status__in=[PeriodStatus.CLOSED, PeriodStatus.LOCKED],
            submission__indicator__number__in=list(HEADLINES),
            numerator__isnull=False,
            denominator__isnull=False,
        )
        .values("submission__indicator__number", "submission__period__year")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    )
    latest: dict[int, dict] = {}
    for row in totals:
        number = row["submission__indicator__number"]
        if number not in latest or row["submission__period__year"] > latest[number]["year"]:
            latest[number] = {"year": row["submission__period__year"], "n": row["n"], "d": row["d"]}
    result = []
    for number, (name, direction) in HEADLINES.items():
        row = latest.get(number)
        if row is None or not row["d"]:
            result.append(Headline(number, str(name), direction, None, None))
            continue
        suppressed = row["d"] < THRESHOLD
        value = None if suppressed else (row["n"] / row["d"] * 100).quantize(CENT)
        result.append(Headline(number, str(name), direction, row["year"], value, suppressed))
    return result


# --- protection ---------------------------------------------------------------------------------


@dataclass
class Protection:
    start: date
    end: date
    label: str  # "Triwulan III 2026"
    token: str  # "2026-T3"
    victims: int | str  # child victims of the cases received in the period; "x" hidden
    served: int | str  # of whom served (at least one service)
    by_type: list[tuple[str, str, int | str]] = field(default_factory=list)  # (code, label, n)

    @property
    def shown(self) -> dict[str, str]:
        """The counts as Indonesians read them: 1.234, or "x"."""
        return {
            "victims": statistics.display(self.victims),
            "served": statistics.display(self.served),
        }

    @property
    def shown_by_type(self) -> list[tuple[str, str]]:
        return [(label, statistics.display(n)) for _code, label, n in self.by_type]


def protection(lg: LocalGovernment, today: date) -> Protection:
    """The published counts (`protection.disclosure`) of the last quarter that has ended, kab/kota
    level only (no kecamatan or kelurahan): the types that occurred or are hidden."""
    period = disclosure.latest_ended(today, "quarter")
    data = disclosure.published(lg, period, today)
    tables = data.tables
    labels = labels_of(ProtectionType)
    labels[statistics.UNKNOWN] = _("Jenis belum dicatat")
    return Protection(
        start=period.start,
        end=period.end,
        label=period.label,
        token=period.token,
        victims=data.total_victims,
        served=tables["served"]["served"],
        by_type=[
            (code, labels.get(code, code), n) for code, n in tables["by_type"].items() if n != 0
        ],
    )


# --- villages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclaredVillage:
    code: str
    name: str
    district: str
    declared_on: date | None


def villages(lg: LocalGovernment, today: date) -> tuple[dict, list[DeclaredVillage]]:
    """The DeKeLA/KELANA shares of this year and the declared kelurahan/desa (five queries)."""
    declared = [
        DeclaredVillage(
            code=s.region_id,
            name=s.region.name,
            district=s.region.parent.name if s.region.parent else "",
            declared_on=s.declared_on,
        )
        for s in VillageStatus.objects.filter(
            declared_q(today.year),
            local_government=lg,
            region__level=Level.VILLAGE,
            region__is_active=True,
            declared_on__lte=today,
        )
        .select_related("region__parent")
        .order_by("region_id")
    ]
    return shares(lg, today.year), declared


# --- consultations ------------------------------------------------------------------------------


def consultations(lg: LocalGovernment, today: date) -> list[PublicConsultation]:
    return list(open_consultations(code=lg.code, today=today))


# --- the whole page -----------------------------------------------------------------------------


@dataclass
class Portal:
    lg: LocalGovernment
    today: date
    categories: list[CategoryRow]
    headlines: list[Headline]
    protection: Protection
    shares: dict
    declared_villages: list[DeclaredVillage]
    consultations: list[PublicConsultation]

    @property
    def latest_category(self) -> CategoryRow | None:
        return self.categories[0] if self.categories else None

    @property
    def headline_chart(self) -> dict:
        shown = [h for h in self.headlines if h.value is not None]
        return {
            "labels": [f"{h.number}. {h.name}" for h in shown],
            "datasets": [{"label": _("Persentase"), "data": [float(h.value) for h in shown]}],
        }

    @property
    def protection_chart(self) -> dict:
        """Only the counts from 5 up: a hidden count gets no bar."""
        shown = [(label, n) for _code, label, n in self.protection.by_type if isinstance(n, int)]
        return {
            "labels": [label for label, _n in shown],
            "datasets": [{"label": _("Anak korban"), "data": [n for _label, n in shown]}],
        }


def portal(lg: LocalGovernment, today: date | None = None) -> Portal:
    today = today or timezone.localdate()
    share, declared = villages(lg, today)
    return Portal(
        lg=lg,
        today=today,
        categories=categories(lg),
        headlines=headlines(lg),
        protection=protection(lg, today),
        shares=share,
        declared_villages=declared,
        consultations=consultations(lg, today),
    )
