"""Reads of the action plan (RAD KLA): fetch-and-check helpers, the budget arithmetic, the plan
summary (plan vs actual per year, indicator and agency; the child-responsive share of the APBD),
a programme's detail, the programmes addressing indicators (for the evaluation's gap analysis)
and the `.xlsx` export.

Every read runs a fixed number of queries however many programmes, budget lines or reports a
plan holds: rows are fetched once and summed in Python.

Plan vs actual counts a programme under every indicator it is linked to, so the per-indicator
rows may add up to more than the plan's total; the per-agency rows add up exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from sikla.accounts.models import Role
from sikla.accounts.rules import Perm, can, require
from sikla.organisations.access import get_local_government_for_user
from sikla.organisations.queries import local_governments_visible_to

from ..models.plan import (
    ActionPlan,
    Budget,
    FundingSource,
    PlanStatus,
    Programme,
    ProgressReport,
    ProgressStatus,
)

__all__ = [
    "GroupRow",
    "Money",
    "PlanSummary",
    "ProgrammeDetail",
    "ProgrammeRow",
    "XLSX",
    "YearRow",
    "can_manage_plan",
    "can_report_progress",
    "current_plan",
    "filter_programmes",
    "get_plan_for_user",
    "get_programme_by_uid",
    "get_programme_for_user",
    "get_progress_for_user",
    "plan_summary",
    "plan_workbook",
    "plans_of",
    "programme_detail",
    "programmes_addressing",
    "realisation_pct",
    "share_pct",
    "summarise",
]

ZERO = Decimal(0)
CENT = Decimal("0.01")


# --- access -------------------------------------------------------------------------------


def _uid_lookup(qs, uid):
    try:
        return qs.get(uid=uid)
    except (qs.model.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def get_plan_for_user(user, code: str, uid, *, perm: Perm = Perm.VIEW_PLANNING) -> ActionPlan:
    """A plan of a local government in the user's scope: 404 outside it, 403 without `perm`."""
    lg = get_local_government_for_user(user, code, perm=perm)
    plan = _uid_lookup(lg.action_plans.all(), uid)
    plan.local_government = lg
    return plan


def get_programme_for_user(user, code: str, uid, *, perm: Perm = Perm.VIEW_PLANNING) -> Programme:
    lg = get_local_government_for_user(user, code, perm=perm)
    programme = _uid_lookup(
        Programme.objects.select_related("plan", "lead_agency").filter(plan__local_government=lg),
        uid,
    )
    programme.plan.local_government = lg
    return programme


def get_programme_by_uid(user, uid, *, perm: Perm = Perm.VIEW_PLANNING) -> Programme:
    """For routes addressed by the programme alone (the API): 404 unless its local government
    is in the user's scope."""
    visible = local_governments_visible_to(user)
    programme = _uid_lookup(
        Programme.objects.select_related("plan__local_government__region", "lead_agency").filter(
            plan__local_government__in=visible
        ),
        uid,
    )
    require(user, perm, programme.plan.local_government_id)
    return programme


def get_progress_for_user(user, programme: Programme, uid) -> ProgressReport:
    report = _uid_lookup(programme.progress_reports.select_related("reported_by"), uid)
    report.programme = programme
    return report


def can_manage_plan(user, lg) -> bool:
    return can(user, Perm.MANAGE_PLAN, lg.pk)


def can_report_progress(user, programme: Programme) -> bool:
    """The secretariat (and national admins) for any programme; an agency operator only for the
    programmes their agency leads."""
    if not can(user, Perm.REPORT_PROGRESS, programme.plan.local_government_id):
        return False
    if user.role == Role.AGENCY_OPERATOR:
        return user.agency_id is not None and programme.lead_agency_id == user.agency_id
    return True


# --- budget arithmetic --------------------------------------------------------------------


def _percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if whole is None or whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def realisation_pct(planned: Decimal, realised: Decimal) -> Decimal | None:
    """Realised as a percentage of planned (two decimals); None when nothing is planned."""
    return _percent(realised, planned)


def share_pct(part: Decimal, total: Decimal | None) -> Decimal | None:
    """`part` as a percentage of a total such as the APBD; None when the total is missing."""
    return _percent(part, total)


@dataclass
class Money:
    planned: Decimal = ZERO
    realised: Decimal = ZERO

    def add(self, planned: Decimal, realised: Decimal) -> None:
        self.planned += planned
        self.realised += realised

    @property
    def pct(self) -> Decimal | None:
        return realisation_pct(self.planned, self.realised)

    @property
    def over(self) -> bool:
        return self.realised > self.planned


@dataclass
class YearRow:
    year: int
    money: Money = field(default_factory=Money)
    sources: dict[str, Money] = field(default_factory=dict)
    total_apbd: Decimal | None = None

    @property
    def apbd(self) -> Money:
        """The plan's programmes financed from the APBD, the numerator of the share."""
        return self.sources.get(FundingSource.APBD, Money())

    @property
    def planned_share(self) -> Decimal | None:
        return share_pct(self.apbd.planned, self.total_apbd)

    @property
    def realised_share(self) -> Decimal | None:
        return share_pct(self.apbd.realised, self.total_apbd)


@dataclass
class ProgrammeRow:
    programme: Programme
    indicators: list
    total: Money = field(default_factory=Money)
    per_year: dict[int, Money] = field(default_factory=dict)
    last_report: tuple[int, int, str] | None = None  # (year, quarter, status)
    waiting: int = 0  # reports submitted, not yet accepted
    over: bool = False  # some budget line realised above its ceiling


@dataclass
class GroupRow:
    key: object  # an Indicator or an Agency
    programmes: list[Programme] = field(default_factory=list)
    total: Money = field(default_factory=Money)
    per_year: dict[int, Money] = field(default_factory=dict)


@dataclass
class PlanSummary:
    plan: ActionPlan
    years: list[YearRow]
    programmes: list[ProgrammeRow]
    by_indicator: list[GroupRow]
    by_agency: list[GroupRow]
    total: Money
    waiting: int

    def year(self, year: int) -> YearRow | None:
        return next((y for y in self.years if y.year == year), None)

    def chart(self) -> dict:
        """Planned vs realised per year, for `static/sikla/charts.js`."""
        return {
            "labels": [str(y.year) for y in self.years],
            "datasets": [
                {"label": _("Pagu"), "data": [float(y.money.planned) for y in self.years]},
                {"label": _("Realisasi"), "data": [float(y.money.realised) for y in self.years]},
            ],
        }


def _add(per_year: dict[int, Money], year: int, planned: Decimal, realised: Decimal) -> None:
    per_year.setdefault(year, Money()).add(planned, realised)


def summarise(
    plan: ActionPlan,
    programmes: list[Programme],
    budgets: Iterable[tuple],
    apbd: dict[int, Decimal],
    reports: Iterable[tuple] = (),
) -> PlanSummary:
    """The arithmetic of a plan summary, from rows already fetched:
    `budgets` as (programme_id, year, source, planned, realised), `apbd` {year: total APBD},
    `reports` as (programme_id, year, quarter, status). No database access."""
    years = {y: YearRow(y, total_apbd=apbd.get(y)) for y in plan.years}
    rows = {
        p.pk: ProgrammeRow(p, sorted(p.indicators.all(), key=lambda i: i.number))
        for p in programmes
    }
    total = Money()
    for programme_id, year, source, planned, realised in budgets:
        row = rows.get(programme_id)
        if row is None:
            continue
        row.total.add(planned, realised)
        row.over = row.over or realised > planned
        _add(row.per_year, year, planned, realised)
        total.add(planned, realised)
        year_row = years.setdefault(year, YearRow(year, total_apbd=apbd.get(year)))
        year_row.money.add(planned, realised)
        _add(year_row.sources, source, planned, realised)
    waiting = 0
    for programme_id, year, quarter, status in sorted(reports, key=lambda r: (r[1], r[2])):
        row = rows.get(programme_id)
        if row is None:
            continue
        row.last_report = (year, quarter, status)
        if status == ProgressStatus.SUBMITTED:
            row.waiting += 1
            waiting += 1
    by_indicator: dict[int, GroupRow] = {}
    by_agency: dict[int, GroupRow] = {}
    for row in rows.values():
        groups = [by_indicator.setdefault(i.number, GroupRow(i)) for i in row.indicators]
        groups.append(
            by_agency.setdefault(row.programme.lead_agency_id, GroupRow(row.programme.lead_agency))
        )
        for group in groups:
            group.programmes.append(row.programme)
            group.total.add(row.total.planned, row.total.realised)
            for year, money in row.per_year.items():
                _add(group.per_year, year, money.planned, money.realised)
    return PlanSummary(
        plan=plan,
        years=[years[y] for y in sorted(years)],
        programmes=list(rows.values()),
        by_indicator=[by_indicator[n] for n in sorted(by_indicator)],
        by_agency=sorted(by_agency.values(), key=lambda g: str(g.key).lower()),
        total=total,
        waiting=waiting,
    )


def _programmes(plan: ActionPlan) -> list[Programme]:
    return list(
        plan.programmes.select_related("lead_agency")
        .prefetch_related("indicators")
        .order_by("code", "name", "id")
    )


def plan_summary(plan: ActionPlan) -> PlanSummary:
    """Everything the plan overview shows, in five queries."""
    programmes = _programmes(plan)
    budgets = Budget.objects.filter(programme__plan=plan).values_list(
        "programme_id", "year", "source", "planned", "realised"
    )
    apbd = dict(plan.plan_years.values_list("year", "total_apbd"))
    reports = ProgressReport.objects.filter(programme__plan=plan).values_list(
        "programme_id", "year", "quarter", "status"
    )
    return summarise(plan, programmes, list(budgets), apbd, list(reports))


def filter_programmes(
    rows: list[ProgrammeRow], *, indicator: int | None = None, agency=None, search: str = ""
) -> list[ProgrammeRow]:
    out = rows
    if indicator:
        out = [r for r in out if any(i.number == indicator for i in r.indicators)]
    if agency:
        out = [r for r in out if str(r.programme.lead_agency.uid) == str(agency)]
    if search:
        needle = search.lower()
        out = [
            r
            for r in out
            if needle in r.programme.name.lower() or needle in r.programme.code.lower()
        ]
    return out


# --- plans --------------------------------------------------------------------------------


def plans_of(lg):
    return lg.action_plans.order_by("-start_year", "-id")


def current_plan(lg, year: int, plans: list[ActionPlan] | None = None) -> ActionPlan | None:
    """The adopted plan in force in `year`; else a draft covering it; else the latest plan."""
    plans = list(plans_of(lg)) if plans is None else plans
    covering = [p for p in plans if p.start_year <= year <= p.end_year]
    adopted = [p for p in covering if p.is_adopted]
    return (adopted or covering or plans or [None])[0]


# --- one programme ------------------------------------------------------------------------


@dataclass
class ProgrammeYear:
    year: int
    target: object | None  # Target
    budgets: list[Budget]
    reports: dict[int, ProgressReport]  # quarter → report
    money: Money

    @property
    def latest(self) -> ProgressReport | None:
        return self.reports[max(self.reports)] if self.reports else None

    @property
    def achievement_pct(self) -> Decimal | None:
        """Output achieved to date (the latest quarter's cumulative figure) against the year's
        target."""
        if self.target is None or self.latest is None:
            return None
        return realisation_pct(self.target.output_target, self.latest.output_achieved)

    @property
    def quarters(self) -> list[tuple[int, ProgressReport | None]]:
        return [(q, self.reports.get(q)) for q in (1, 2, 3, 4)]


@dataclass
class ProgrammeDetail:
    programme: Programme
    indicators: list
    years: list[ProgrammeYear]
    total: Money

    def chart(self) -> dict:
        return {
            "labels": [str(y.year) for y in self.years],
            "datasets": [
                {"label": _("Pagu"), "data": [float(y.money.planned) for y in self.years]},
                {"label": _("Realisasi"), "data": [float(y.money.realised) for y in self.years]},
            ],
        }


def programme_detail(programme: Programme) -> ProgrammeDetail:
    """A programme's targets, budgets and quarterly reports per year of its plan (4 queries)."""
    plan = programme.plan
    targets = {t.year: t for t in programme.targets.all()}
    budgets: dict[int, list[Budget]] = {}
    for b in programme.budgets.order_by("year", "source"):
        budgets.setdefault(b.year, []).append(b)
    reports: dict[int, dict[int, ProgressReport]] = {}
    for r in programme.progress_reports.select_related("reported_by", "accepted_by"):
        r.programme = programme
        reports.setdefault(r.year, {})[r.quarter] = r
    years, total = [], Money()
    for year in plan.years:
        money = Money()
        for b in budgets.get(year, []):
            money.add(b.planned, b.realised)
        total.add(money.planned, money.realised)
        years.append(
            ProgrammeYear(
                year, targets.get(year), budgets.get(year, []), reports.get(year, {}), money
            )
        )
    indicators = sorted(programme.indicators.all(), key=lambda i: i.number)
    return ProgrammeDetail(programme, indicators, years, total)


# --- the gap analysis ---------------------------------------------------------------------


def programmes_addressing(lg_id: str, year: int, numbers: Iterable[int]) -> dict[int, list]:
    """{indicator number: [programme, …]} of the adopted plan in force in `year` (one query;
    none when `numbers` is empty). Matched by indicator number, so a plan outlives a new
    catalog version with the same numbering."""
    numbers = sorted(set(numbers))
    if not numbers:
        return {}
    through = Programme.indicators.through
    rows = (
        through.objects.filter(
            programme__plan__local_government_id=lg_id,
            programme__plan__status=PlanStatus.ADOPTED,
            programme__plan__start_year__lte=year,
            programme__plan__end_year__gte=year,
            indicator__number__in=numbers,
        )
        .select_related("programme__lead_agency", "indicator")
        .order_by("indicator__number", "programme__code", "programme__name", "programme_id")
    )
    out: dict[int, list] = {}
    for row in rows:
        out.setdefault(row.indicator.number, []).append(row.programme)
    return out


# --- export -------------------------------------------------------------------------------


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _indicator_label(indicator) -> str:
    return f"{indicator.number}. {indicator.name}"


def _agency_label(agency) -> str:
    return agency.abbreviation


def _pct_cell(value: Decimal | None):
    return float(value) if value is not None else None


def plan_workbook(summary: PlanSummary) -> bytes:
    """The plan as a workbook: summary per year, budget lines, per indicator, per agency, and
    progress reports. Amounts are numbers (Rupiah), not text, so the file can be summed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    plan = summary.plan
    book = Workbook()

    def sheet(title: str, header: list[str], first: bool = False):
        ws = book.active if first else book.create_sheet()
        ws.title = title[:31]
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        return ws

    ws = sheet(
        _("Ringkasan"),
        [
            _("Tahun"),
            _("Pagu"),
            _("Realisasi"),
            _("% realisasi"),
            _("Pagu APBD program"),
            _("Realisasi APBD program"),
            _("Total APBD"),
            _("% pagu terhadap APBD"),
            _("% realisasi terhadap APBD"),
        ],
        first=True,
    )
    for y in summary.years:
        ws.append(
            [
                y.year,
                y.money.planned,
                y.money.realised,
                _pct_cell(y.money.pct),
                y.apbd.planned,
                y.apbd.realised,
                y.total_apbd,
                _pct_cell(y.planned_share),
                _pct_cell(y.realised_share),
            ]
        )
    ws.append(
        [_("Jumlah"), summary.total.planned, summary.total.realised, _pct_cell(summary.total.pct)]
    )

    sources = dict(FundingSource.choices)
    ws = sheet(
        _("Anggaran program"),
        [
            _("Kode"),
            _("Program"),
            _("Pengampu"),
            _("Indikator"),
            _("Tahun"),
            _("Sumber dana"),
            _("Pagu"),
            _("Realisasi"),
            _("% realisasi"),
        ],
    )
    by_programme: dict[int, ProgrammeRow] = {r.programme.pk: r for r in summary.programmes}
    for b in Budget.objects.filter(programme__plan=plan).order_by(
        "programme__code", "programme__name", "programme_id", "year", "source"
    ):
        row = by_programme[b.programme_id]
        ws.append(
            [
                row.programme.code,
                row.programme.name,
                row.programme.lead_agency.abbreviation,
                ", ".join(str(i.number) for i in row.indicators),
                b.year,
                str(sources.get(b.source, b.source)),
                b.planned,
                b.realised,
                _pct_cell(realisation_pct(b.planned, b.realised)),
            ]
        )

    for title, first, groups, label in (
        (_("Per indikator"), _("Indikator"), summary.by_indicator, _indicator_label),
        (_("Per perangkat daerah"), _("Perangkat daerah"), summary.by_agency, _agency_label),
    ):
        ws = sheet(title, [first, _("Jumlah program"), _("Pagu"), _("Realisasi"), _("% realisasi")])
        for g in groups:
            ws.append(
                [
                    label(g.key),
                    len(g.programmes),
                    g.total.planned,
                    g.total.realised,
                    _pct_cell(g.total.pct),
                ]
            )

    ws = sheet(
        _("Progres triwulanan"),
        [
            _("Kode"),
            _("Program"),
            _("Tahun"),
            _("Triwulan"),
            _("Capaian keluaran (kumulatif)"),
            _("Realisasi anggaran (kumulatif)"),
            _("Status"),
            _("Uraian"),
        ],
    )
    statuses = dict(ProgressStatus.choices)
    for r in (
        ProgressReport.objects.filter(programme__plan=plan)
        .select_related("programme")
        .order_by("programme__code", "programme__name", "programme_id", "year", "quarter")
    ):
        ws.append(
            [
                r.programme.code,
                r.programme.name,
                r.year,
                r.quarter,
                r.output_achieved,
                r.realisation,
                str(statuses.get(r.status, r.status)),
                r.narrative,
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
