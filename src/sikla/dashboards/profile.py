"""The yearly children's profile (Profil Anak) of a kab/kota, built from what SIKLA holds.

`build_profile(lg, year)` gathers, for data year `year`, each section with the source it was
read from:

- children by sex, age group and kecamatan: the figures the secretariat entered (models.py);
- birth certificates (indicator 4), 12-year schooling (18) and under-five nutrition (12): the
  kab/kota headline of the data-collection submission of evaluation year `year + 1` (the data
  year is the year before the evaluation year), Σ numerator / Σ denominator over its cells,
  exactly as the evaluation computes it — only once the submission is *approved*; otherwise
  the value is "belum tersedia";
- child victims of violence: de-identified counts of the cases received from 1 January to
  31 December (`protection.statistics`): by type, sex × age group and kecamatan — never a name,
  and no kelurahan counts;
- child-friendly villages and districts at the end of the year (`villages.queries.shares`);
- Forum Anak at the end of the year (`participation.queries.forum_summary`).

No section carries an identity. The number of queries does not grow with the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikla.collection.models import DataValue, Submission, SubmissionStatus
from sikla.regions.models import Level, Region

from .models import AGE_GROUPS, SEXES, ChildPopulation, ChildPopulationFigure

CENT = Decimal("0.01")
# indicator number -> the short heading of its section
INDICATORS = {
    4: gettext_lazy("Akta kelahiran"),
    18: gettext_lazy("Pendidikan (wajib belajar 12 tahun)"),
    12: gettext_lazy("Gizi balita (stunting/wasting)"),
}


def districts_of(lg) -> list[tuple[str, str]]:
    """(code, name) of the active kecamatan of the kab/kota, in code order."""
    return list(
        Region.objects.filter(code__startswith=lg.code + ".", level=Level.DISTRICT, is_active=True)
        .order_by("code")
        .values_list("code", "name")
    )


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- population -------------------------------------------------------------------------------


@dataclass
class DistrictPopulation:
    code: str
    name: str
    cells: dict[tuple[str, str], int]  # (sex, age group) -> children
    total: int


@dataclass
class PopulationSection:
    entered: bool
    source: str
    saved_at: datetime | None
    districts: list[DistrictPopulation]
    by_sex: dict[str, int]
    by_age: dict[str, int]
    by_sex_age: dict[tuple[str, str], int]
    total: int


def population_section(lg, year: int, districts: list[tuple[str, str]]) -> PopulationSection:
    population = ChildPopulation.objects.filter(local_government=lg, year=year).first()
    counts: dict[str, dict[tuple[str, str], int]] = {}
    if population is not None:
        for code, sex, age, n in ChildPopulationFigure.objects.filter(
            population=population
        ).values_list("region_id", "sex", "age_group", "count"):
            counts.setdefault(code, {})[(sex, age)] = n
    names = dict(districts)
    # Kecamatan no longer active but with figures still count, after the active ones.
    codes = [code for code, _name in districts] + sorted(set(counts) - set(names))
    keys = [(str(s), str(a)) for s in SEXES for a in AGE_GROUPS]
    rows = []
    for code in codes:
        cells = {key: counts.get(code, {}).get(key, 0) for key in keys}
        rows.append(DistrictPopulation(code, names.get(code, code), cells, sum(cells.values())))
    by_sex_age = {key: sum(r.cells[key] for r in rows) for key in keys}
    return PopulationSection(
        entered=population is not None,
        source=population.source if population else "",
        saved_at=population.updated_at if population else None,
        districts=rows,
        by_sex={str(s): sum(n for (x, _a), n in by_sex_age.items() if x == s) for s in SEXES},
        by_age={str(a): sum(n for (_s, x), n in by_sex_age.items() if x == a) for a in AGE_GROUPS},
        by_sex_age=by_sex_age,
        total=sum(by_sex_age.values()),
    )


# --- indicators from the data collection ---------------------------------------------------------


@dataclass
class IndicatorSection:
    number: int
    heading: str
    name: str
    value: Decimal | None  # the kab/kota percentage; None = belum tersedia
    numerator: Decimal | None
    denominator: Decimal | None
    by_sex: dict[str, Decimal | None]  # "L"/"P" -> percentage, when the cells say
    lower_is_better: bool
    source: str
    status: str  # why it is missing, "" when available

    @property
    def available(self) -> bool:
        return self.value is not None


def indicator_sections(lg, year: int) -> list[IndicatorSection]:
    """Headlines of indicators 4, 18 and 12 from the approved submissions of evaluation year
    `year + 1` (three queries)."""
    from sikla.indicators.models import Direction, Indicator

    catalog = {
        i.number: i
        for i in Indicator.objects.filter(version__is_active=True, number__in=list(INDICATORS))
    }
    submissions = {
        s.indicator.number: s
        for s in Submission.objects.filter(
            local_government=lg, period__year=year + 1, indicator__number__in=list(INDICATORS)
        ).select_related("indicator", "lead_agency", "period")
    }
    sums: dict[int, dict[str, tuple[Decimal, Decimal]]] = {}
    for row in (
        DataValue.objects.filter(
            submission__local_government=lg,
            submission__period__year=year + 1,
            submission__indicator__number__in=list(INDICATORS),
            submission__status=SubmissionStatus.APPROVED,
            numerator__isnull=False,
            denominator__isnull=False,
        )
        .values("submission__indicator__number", "sex")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    ):
        sums.setdefault(row["submission__indicator__number"], {})[row["sex"]] = (
            row["n"],
            row["d"],
        )
    sections = []
    for number, heading in INDICATORS.items():
        submission = submissions.get(number)
        indicator = submission.indicator if submission else catalog.get(number)
        name = indicator.name if indicator else str(heading)
        per_sex = sums.get(number, {})
        numerator = sum((n for n, _d in per_sex.values()), Decimal(0)) if per_sex else None
        denominator = sum((d for _n, d in per_sex.values()), Decimal(0)) if per_sex else None
        value = percent(numerator, denominator) if per_sex else None
        if submission is None:
            status = _("belum ada pengisian indikator %(n)s untuk periode evaluasi %(y)s") % {
                "n": number,
                "y": year + 1,
            }
        elif submission.status != SubmissionStatus.APPROVED:
            status = _("pengisian indikator %(n)s periode %(y)s belum disetujui (%(s)s)") % {
                "n": number,
                "y": year + 1,
                "s": SubmissionStatus(submission.status).label,
            }
        elif value is None:
            status = _("pengisian disetujui tanpa pembilang dan penyebut")
        else:
            status = ""
        agency = (
            submission.lead_agency.abbreviation
            if submission and submission.lead_agency
            else ", ".join(indicator.lead_agencies)
            if indicator
            else ""
        )
        source = _(
            "Pengisian data indikator %(n)s SIKLA, periode evaluasi %(y)s (tahun data %(d)s)"
        ) % {"n": number, "y": year + 1, "d": year}
        if agency:
            source += f", {agency}"
        if submission and submission.status == SubmissionStatus.APPROVED and submission.reviewed_at:
            source += _("; disetujui %(date)s") % {
                "date": timezone.localtime(submission.reviewed_at).strftime("%d-%m-%Y")
            }
        sections.append(
            IndicatorSection(
                number=number,
                heading=str(heading),
                name=name,
                value=value,
                numerator=numerator if value is not None else None,
                denominator=denominator if value is not None else None,
                by_sex={str(s): percent(*per_sex[str(s)]) for s in SEXES if str(s) in per_sex},
                lower_is_better=bool(
                    indicator and indicator.direction == Direction.LOWER_IS_BETTER
                ),
                source=source,
                status=status,
            )
        )
    return sections


# --- protection, villages, Forum Anak ---------------------------------------------------------


Count = int | str  # a published count, or "x" when hidden (`protection.disclosure`)


@dataclass
class ProtectionSection:
    """The published counts (`protection.disclosure`) of the data year, once it has ended."""

    published: bool  # False while the year is still running: nothing is shown yet
    total_cases: Count
    total_victims: Count
    served: Count
    by_type: list[tuple[str, str, Count]]  # (code, label, children); a child under each type
    by_sex_age: dict[tuple[str, str], Count]  # ("L"|"P"|"", "0-5"|…|"") -> children
    by_sex: dict[str, Count]
    by_age: dict[str, Count]
    by_district: list[tuple[str, str, Count]]  # (code, name, children); "" = not recorded
    source: str

    def sex_age_rows(self) -> list[tuple[str, list[int], int]]:
        """(sex label, children per age group with "not recorded" last, row total)."""
        ages = [*(str(a) for a in AGE_GROUPS), ""]
        labels = [*((str(s), str(s.label)) for s in SEXES), ("", _("Tidak dicatat"))]
        return [
            (label, [self.by_sex_age.get((sex, a), 0) for a in ages], self.by_sex.get(sex, 0))
            for sex, label in labels
        ]


def protection_section(lg, year: int, districts: list[tuple[str, str]]) -> ProtectionSection:
    """The year's published counts: the profile is a document for the public, so everyone sees
    the same numbers, with the small ones hidden; nothing while the year is still running."""
    from sikla.protection import disclosure
    from sikla.protection.models import ProtectionType

    period = disclosure.Period(year)
    today = timezone.localdate()
    if not period.ended(today):
        return ProtectionSection(
            published=False,
            total_cases=0,
            total_victims=0,
            served=0,
            by_type=[],
            by_sex_age={},
            by_sex={},
            by_age={},
            by_district=[],
            source=_("UPTD PPA %(lg)s: angka tahun %(y)s diterbitkan setelah tahunnya berakhir")
            % {"lg": lg.region.name, "y": year},
        )
    data = disclosure.published(lg, period, today)
    t = data.tables
    types = dict(ProtectionType.choices)
    names = dict(districts)
    by_district = [(code, name, t["by_kecamatan"].get(code, 0)) for code, name in districts]
    by_district += [
        (code, names.get(code, code) if code else _("Tidak dicatat"), n)
        for code, n in t["by_kecamatan"].items()
        if code not in names and n != 0
    ]
    by_type = [(code, n) for code, n in t["by_type"].items() if n != 0]
    by_type.sort(key=lambda item: -item[1] if isinstance(item[1], int) else 0)
    return ProtectionSection(
        published=True,
        total_cases=data.cases.total_cases,
        total_victims=data.total_victims,
        served=t["served"]["served"],
        by_type=[(code, str(types.get(code, _("Jenis belum dicatat"))), n) for code, n in by_type],
        by_sex_age={
            (sex, age): n for sex, ages in t["by_sex_age"].items() for age, n in ages.items()
        },
        by_sex=dict(t["by_sex"]),
        by_age=dict(t["by_age_group"]),
        by_district=by_district,
        source=_(
            "UPTD PPA %(lg)s: kasus yang diterima 1 Januari–31 Desember %(y)s, dihitung tanpa "
            "identitas oleh SIKLA (modul perlindungan anak); x = disamarkan (1–4 anak, atau angka "
            "yang dapat dipakai untuk menghitungnya)"
        )
        % {"lg": lg.region.name, "y": year},
    )


@dataclass
class VillagesSection:
    declared_villages: int
    total_villages: int
    pct_villages: Decimal
    villages_with_patbm: int
    declared_districts: int
    total_districts: int
    pct_districts: Decimal
    source: str


def villages_section(lg, year: int) -> VillagesSection:
    from sikla.villages.queries import shares

    s = shares(lg, year)
    return VillagesSection(
        declared_villages=s["declared_villages"],
        total_villages=s["total_villages"],
        pct_villages=s["pct_villages_declared"],
        villages_with_patbm=s["villages_with_patbm"],
        declared_districts=s["declared_districts"],
        total_districts=s["total_districts"],
        pct_districts=s["pct_districts_declared"],
        source=_(
            "Status Desa/Kelurahan Layak Anak dan Kecamatan Layak Anak per 31 Desember %(y)s "
            "(SIKLA, modul desa/kelurahan layak anak)"
        )
        % {"y": year},
    )


@dataclass
class ForumSection:
    regency_forum: bool
    districts_with_forum: int
    districts_total: int
    villages_with_forum: int
    villages_total: int
    members: int
    source: str


def forum_section(lg, year: int) -> ForumSection:
    from sikla.participation.queries import forum_summary

    f = forum_summary(lg, year)
    return ForumSection(
        regency_forum=f.regency_forum is not None,
        districts_with_forum=f.districts_with_forum,
        districts_total=f.districts_total,
        villages_with_forum=f.villages_with_forum,
        villages_total=f.villages_total,
        members=f.members["total"],
        source=_("Register Forum Anak SIKLA: forum aktif per 31 Desember %(y)s") % {"y": year},
    )


# --- the profile ----------------------------------------------------------------------------


@dataclass
class Profile:
    local_government: str  # "Kota Kupang" (also the letterhead's name)
    code: str
    province: str
    year: int
    generated_at: datetime
    letterhead: list[str]  # address, phone, e-mail, website
    logo: bytes | None
    population: PopulationSection
    indicators: list[IndicatorSection]
    protection: ProtectionSection
    villages: VillagesSection
    forums: ForumSection
    sources: list[tuple[str, str]] = field(default_factory=list)  # (section, source)

    def indicator(self, number: int) -> IndicatorSection:
        return next(i for i in self.indicators if i.number == number)

    @property
    def charts(self) -> dict[str, dict]:
        pop = self.population
        return {
            "chart-population": {
                "labels": [d.name for d in pop.districts],
                "stacked": True,
                "datasets": [
                    {
                        "label": str(s.label),
                        "data": [
                            sum(n for (x, _a), n in d.cells.items() if x == s)
                            for d in pop.districts
                        ],
                    }
                    for s in SEXES
                ],
            },
            "chart-age": {
                "labels": [str(a.label) for a in AGE_GROUPS],
                "stacked": True,
                "datasets": [
                    {
                        "label": str(s.label),
                        "data": [pop.by_sex_age[(str(s), str(a))] for a in AGE_GROUPS],
                    }
                    for s in SEXES
                ],
            },
            "chart-violence": {
                "labels": [label for _code, label, _n in self.protection.by_type],
                "datasets": [
                    {
                        "label": _("Anak korban"),
                        "data": [
                            n if isinstance(n, int) else None
                            for _code, _label, n in self.protection.by_type
                        ],
                    }
                ],
            },
        }


def _logo(lg) -> bytes | None:
    if not lg.logo:
        return None
    try:
        with lg.logo.open("rb") as f:
            return f.read()
    except OSError:
        return None


def build_profile(local_government, year: int) -> Profile:
    """The children's profile of data year `year` (about 20 queries, whatever the data)."""
    lg = local_government
    districts = districts_of(lg)
    population = population_section(lg, year, districts)
    indicators = indicator_sections(lg, year)
    protection = protection_section(lg, year, districts)
    villages = villages_section(lg, year)
    forums = forum_section(lg, year)
    sources = [
        (
            _("Jumlah anak"),
            population.source
            or _("belum tersedia: jumlah anak tahun %(y)s belum dimasukkan") % {"y": year},
        ),
        *[
            (_("%(h)s (indikator %(n)s)") % {"h": i.heading, "n": i.number}, i.source)
            for i in indicators
        ],
        (_("Anak korban kekerasan"), protection.source),
        (_("Desa/kelurahan layak anak"), villages.source),
        (_("Forum Anak"), forums.source),
    ]
    region = lg.region
    return Profile(
        local_government=region.name,
        code=lg.code,
        province=region.parent.name if region.parent_id else "",
        year=year,
        generated_at=timezone.now(),
        letterhead=[x for x in [lg.address, lg.phone, lg.email, lg.website] if x],
        logo=_logo(lg),
        population=population,
        indicators=indicators,
        protection=protection,
        villages=villages,
        forums=forums,
        sources=sources,
    )
