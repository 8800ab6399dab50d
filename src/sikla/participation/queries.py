"""Named reads of the participation app, and the counts that feed indicators 3 and 6.

Every list starts from one local government the caller has already checked (access.py); the
public reads start from what is published. Each page needs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from sikla.accounts.rules import Perm, can, scope_q
from sikla.organisations.models import LocalGovernment
from sikla.regions.models import Level, Region

from .models import (
    CHILDREN_SOURCES,
    ActivityKind,
    ChildForum,
    ChildForumActivity,
    ConsultationInput,
    ConsultationRecord,
    Contribution,
    ForumLevel,
    ForumStatus,
    ModerationStatus,
    Partner,
    PartnerComponent,
    PublicComment,
    PublicConsultation,
    SourceKind,
)

# -- Forum Anak ----------------------------------------------------------------------------------


def forums_of(
    lg: LocalGovernment, user=None, *, level: str = "", status: str = "", search: str = ""
) -> QuerySet[ChildForum]:
    """The forums of `lg`; a user whose scope lies below the kab/kota (a kecamatan officer)
    sees the forums of their own area only."""
    qs = lg.child_forums.select_related("region")
    if user is not None and not can(user, Perm.VIEW_PLANNING, lg.code):
        qs = qs.filter(scope_q(user, "region__code"))
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(region__name__icontains=search))
    return qs.annotate(activity_count=Count("activities")).order_by("region_id")


def forum_activities(forum: ChildForum) -> QuerySet[ChildForumActivity]:
    return forum.activities.order_by("-date", "-id")


def _year_end(year: int | None) -> date | None:
    return date(year, 12, 31) if year else None


def _existing_forums(lg: LocalGovernment, year: int | None) -> QuerySet[ChildForum]:
    """Active forums; for a data year, those formed by its end (or with no decree date)."""
    qs = ChildForum.objects.filter(local_government=lg, status=ForumStatus.ACTIVE)
    if year:
        qs = qs.filter(Q(decree_date__isnull=True) | Q(decree_date__lte=_year_end(year)))
    return qs


@dataclass
class ForumSummary:
    districts_total: int
    districts_with_forum: int
    villages_total: int
    villages_with_forum: int
    regency_forum: ChildForum | None
    members: dict[str, int]  # male_10_13 … female_14_17, male, female, total (active forums)
    village_word: str  # "kelurahan" in a kota, "desa/kelurahan" in a kabupaten

    @staticmethod
    def _pct(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"))

    @property
    def districts_pct(self) -> Decimal | None:
        return self._pct(self.districts_with_forum, self.districts_total)

    @property
    def villages_pct(self) -> Decimal | None:
        return self._pct(self.villages_with_forum, self.villages_total)


MEMBER_FIELDS = ("male_10_13", "female_10_13", "male_14_17", "female_14_17")


def forum_summary(lg: LocalGovernment, year: int | None = None) -> ForumSummary:
    """Forum Anak in X of Y kecamatan and Z of W desa/kelurahan, and member totals (3 queries)."""
    regions = Region.objects.filter(code__startswith=lg.code + ".", is_active=True).aggregate(
        districts=Count("code", filter=Q(level=Level.DISTRICT)),
        villages=Count("code", filter=Q(level=Level.VILLAGE)),
    )
    existing = _existing_forums(lg, year)
    counts = existing.aggregate(
        districts=Count("id", filter=Q(level=ForumLevel.DISTRICT)),
        villages=Count("id", filter=Q(level=ForumLevel.VILLAGE)),
        **{name: Sum(name) for name in MEMBER_FIELDS},
    )
    members = {name: counts[name] or 0 for name in MEMBER_FIELDS}
    members["male"] = members["male_10_13"] + members["male_14_17"]
    members["female"] = members["female_10_13"] + members["female_14_17"]
    members["total"] = members["male"] + members["female"]
    regency = (
        ChildForum.objects.filter(local_government=lg, level=ForumLevel.REGENCY)
        .select_related("region")
        .first()
    )
    return ForumSummary(
        districts_total=regions["districts"],
        districts_with_forum=counts["districts"],
        villages_total=regions["villages"],
        villages_with_forum=counts["villages"],
        regency_forum=regency,
        members=members,
        village_word="kelurahan" if lg.region.is_city else "desa/kelurahan",
    )


def region_choices(lg: LocalGovernment) -> list:
    """The kab/kota itself, then each kecamatan with its desa/kelurahan, for a <select>."""
    rows = list(
        Region.objects.filter(
            Q(code=lg.code) | Q(code__startswith=lg.code + "."), is_active=True
        ).values_list("code", "name", "level")
    )
    districts = {code: name for code, name, level in rows if level == Level.DISTRICT}
    groups: dict[str, list] = {
        code: [(code, f"Kecamatan {name}")] for code, name in districts.items()
    }
    for code, name, level in rows:
        if level == Level.VILLAGE and code[:8] in groups:
            groups[code[:8]].append((code, f"— {name}"))
    own = [(code, name) for code, name, level in rows if level == Level.REGENCY]
    return [
        ("", "—"),
        *own,
        *[(districts[code], options) for code, options in sorted(groups.items())],
    ]


# -- consultation records ------------------------------------------------------------------------


def _children_input():
    return ConsultationInput.objects.filter(record=OuterRef("pk"), source_kind__in=CHILDREN_SOURCES)


def records_of(
    lg: LocalGovernment,
    *,
    kind: str = "",
    source: str = "",
    year: int | None = None,
    search: str = "",
) -> QuerySet[ConsultationRecord]:
    qs = lg.consultation_records.select_related("indicator")
    if kind:
        qs = qs.filter(kind=kind)
    if source:
        qs = qs.filter(
            Exists(ConsultationInput.objects.filter(record=OuterRef("pk"), source_kind=source))
        )
    if year:
        qs = qs.filter(date__year=year)
    if search:
        qs = qs.filter(title__icontains=search)
    return qs.annotate(
        input_count=Count("inputs"),
        children_count=Count("inputs", filter=Q(inputs__source_kind__in=CHILDREN_SOURCES)),
    ).order_by("-date", "-id")


def record_inputs(entry: ConsultationRecord) -> QuerySet[ConsultationInput]:
    return entry.inputs.select_related("child_forum").order_by("date", "id")


# -- public consultation -------------------------------------------------------------------------


def consultations_of(lg: LocalGovernment) -> QuerySet[PublicConsultation]:
    return (
        lg.public_consultations.select_related("record")
        .annotate(
            pending_count=Count("comments", filter=Q(comments__status=ModerationStatus.PENDING)),
            approved_count=Count("comments", filter=Q(comments__status=ModerationStatus.APPROVED)),
        )
        .order_by("-opens_on", "-id")
    )


def published_consultations(*, today: date | None = None) -> QuerySet[PublicConsultation]:
    """Published (opened) consultations of the local governments taking part: the public view."""
    today = today or timezone.localdate()
    return PublicConsultation.objects.filter(
        opens_on__lte=today, local_government__is_active=True
    ).select_related("local_government__region")


def open_consultations(
    *, code: str = "", today: date | None = None
) -> QuerySet[PublicConsultation]:
    today = today or timezone.localdate()
    qs = published_consultations(today=today).filter(closes_on__gte=today)
    if code:
        qs = qs.filter(local_government_id=code)
    return qs.annotate(
        approved_count=Count("comments", filter=Q(comments__status=ModerationStatus.APPROVED))
    ).order_by("closes_on", "title")


def closed_consultations(*, code: str = "", today: date | None = None):
    today = today or timezone.localdate()
    qs = published_consultations(today=today).filter(closes_on__lt=today)
    if code:
        qs = qs.filter(local_government_id=code)
    return qs.annotate(
        approved_count=Count("comments", filter=Q(comments__status=ModerationStatus.APPROVED))
    ).order_by("-closes_on", "title")


def approved_comments(consultation: PublicConsultation) -> QuerySet[PublicComment]:
    return consultation.comments.filter(status=ModerationStatus.APPROVED).order_by(
        "created_at", "id"
    )


def comments_for_moderation(
    consultation: PublicConsultation, status: str = ModerationStatus.PENDING
) -> QuerySet[PublicComment]:
    qs = consultation.comments.select_related("moderated_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def comment_counts(consultation: PublicConsultation) -> dict[str, int]:
    rows = consultation.comments.values_list("status").annotate(n=Count("id"))
    counts = {status: 0 for status in ModerationStatus.values}
    counts.update(dict(rows))
    return counts


# -- partners ----------------------------------------------------------------------------------


def partners_of(
    lg: LocalGovernment,
    *,
    component: str = "",
    year: int | None = None,
    search: str = "",
    active: bool | None = True,
) -> QuerySet[Partner]:
    qs = lg.partners.select_related("agency")
    if active is not None:
        qs = qs.filter(is_active=active)
    if component:
        qs = qs.filter(component=component)
    if search:
        qs = qs.filter(name__icontains=search)
    in_year = Q(contributions__year=year) if year else Q()
    return qs.annotate(
        contribution_count=Count("contributions", filter=in_year),
        contribution_value=Sum("contributions__value", filter=in_year),
    ).order_by("component", "name")


def partner_contributions(partner: Partner) -> QuerySet[Contribution]:
    return partner.contributions.select_related("indicator").order_by("-year", "id")


@dataclass
class PartnerTotals:
    years: list[int]
    # component -> year -> (contributions, partners contributing, value in Rupiah)
    cells: dict[str, dict[int, tuple[int, int, int]]] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str, list[tuple[int, int, int]]]]:
        return [
            (
                component.value,
                component.label,
                [self.cells.get(component.value, {}).get(y, (0, 0, 0)) for y in self.years],
            )
            for component in PartnerComponent
        ]

    def year_totals(self) -> list[tuple[int, int, int]]:
        out = []
        for y in self.years:
            cells = [c.get(y, (0, 0, 0)) for c in self.cells.values()]
            out.append(tuple(sum(cell[i] for cell in cells) for i in range(3)))
        return out


def partner_totals(lg: LocalGovernment, *, last_years: int = 5) -> PartnerTotals:
    """Contributions per component and year (the latest `last_years` years that have any)."""
    rows = (
        Contribution.objects.filter(partner__local_government=lg)
        .values("partner__component", "year")
        .annotate(n=Count("id"), partners=Count("partner", distinct=True), value=Sum("value"))
        .order_by()
    )
    cells: dict[str, dict[int, tuple[int, int, int]]] = {}
    years: set[int] = set()
    for row in rows:
        years.add(row["year"])
        cells.setdefault(row["partner__component"], {})[row["year"]] = (
            row["n"],
            row["partners"],
            row["value"] or 0,
        )
    return PartnerTotals(years=sorted(years)[-last_years:], cells=cells)


# -- indicators 3 and 6 --------------------------------------------------------------------------


@dataclass
class ParticipationCounts:
    """What the registers say about indicators 3 and 6 for one data year.

    Question codes are those of `indicators/catalogs/permenpppa-12-2022.yaml`; `answers()` gives
    the value each one would take (the secretariat still answers in the evaluation).
    """

    year: int
    regency_forum_status: str  # 6.1: "belum" | "sk" | "aktif"
    forums: ForumSummary  # 6.2, 6.3
    musrenbang: bool  # 6.4: a Forum Anak activity of kind Musrenbang in the year
    policies_with_children_input: int  # 6.5
    records: int  # consultation records dated in the year
    inputs_by_source: dict[str, int]  # SourceKind -> inputs dated in the year
    partners_by_component: dict[str, int]  # PartnerComponent -> partners contributing that year
    contributions: int
    contributions_value: int
    coordination_forum: bool  # 3.4: an active partner of component "coordination"

    def answers(self) -> dict[str, object]:
        return {
            "3.1": self.partners_by_component[PartnerComponent.COMMUNITY],
            "3.2": self.partners_by_component[PartnerComponent.BUSINESS],
            "3.3": self.partners_by_component[PartnerComponent.MEDIA],
            "3.4": "yes" if self.coordination_forum else "no",
            "6.1": self.regency_forum_status,
            "6.2": self.forums.districts_pct,
            "6.3": self.forums.villages_pct,
            "6.4": "yes" if self.musrenbang else "no",
            "6.5": self.policies_with_children_input,
        }


def participation_counts(lg: LocalGovernment, year: int) -> ParticipationCounts:
    """Counts for indicators 3 and 6 of data year `year` (11 queries however many rows)."""
    forums = forum_summary(lg, year)
    activities = ChildForumActivity.objects.filter(
        forum__in=_existing_forums(lg, year), date__year=year
    )
    regency = forums.regency_forum
    status = "belum"
    if (
        regency is not None
        and regency.status == ForumStatus.ACTIVE
        and regency.decree_number
        and regency.decree_date
        and regency.decree_date <= date(year, 12, 31)
    ):
        status = "aktif" if activities.filter(forum=regency).exists() else "sk"
    records = lg.consultation_records.filter(date__year=year)
    inputs = {kind: 0 for kind in SourceKind.values}
    inputs.update(
        dict(
            ConsultationInput.objects.filter(record__local_government=lg, date__year=year)
            .values_list("source_kind")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    contributing = {component: 0 for component in PartnerComponent.values}
    contributing.update(
        dict(
            Partner.objects.filter(local_government=lg, contributions__year=year)
            .values_list("component")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
    )
    money = Contribution.objects.filter(partner__local_government=lg, year=year).aggregate(
        n=Count("id"), value=Sum("value")
    )
    return ParticipationCounts(
        year=year,
        regency_forum_status=status,
        forums=forums,
        musrenbang=activities.filter(kind=ActivityKind.MUSRENBANG).exists(),
        policies_with_children_input=records.filter(Exists(_children_input())).count(),
        records=records.count(),
        inputs_by_source=inputs,
        partners_by_component=contributing,
        contributions=money["n"],
        contributions_value=money["value"] or 0,
        coordination_forum=lg.partners.filter(
            component=PartnerComponent.COORDINATION, is_active=True
        ).exists(),
    )
