"""The action plan (Rencana Aksi Daerah KLA, issue 6): a multi-year plan per local government,
its programmes linked to the indicators they address, per-year targets and budgets by funding
source, quarterly progress reports, and the local government's total APBD per year (the
denominator of the child-responsive budget share).

A programme is the budget line: SIKLA keeps no separate activity level, because the regional
budget nomenclature already names the programme and the plan's accountability is per programme.
Money is Rupiah in `Decimal` with two decimals, never negative.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikla.core.models import PublicIdModel, TimeStampedModel

__all__ = [
    "MAX_PLAN_YEARS",
    "ActionPlan",
    "Budget",
    "FundingSource",
    "PlanStatus",
    "PlanYear",
    "Programme",
    "ProgressReport",
    "ProgressStatus",
    "Target",
    "progress_evidence_path",
]

MAX_PLAN_YEARS = 10  # a RAD follows the five-year RPJMD; ten leaves room, more is a typo
MONEY = {"max_digits": 18, "decimal_places": 2}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ADOPTED = "adopted", _("Ditetapkan")


class ActionPlan(PublicIdModel):
    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("judul"), max_length=200)
    decree_number = models.CharField(_("nomor peraturan/keputusan"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"))
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("RAD KLA")
        verbose_name_plural = _("RAD KLA")
        ordering = ["local_government_id", "-start_year", "-id"]
        indexes = [
            models.Index(fields=["local_government", "status", "start_year"], name="plan_lg_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="plan_years_order"
            ),
            models.CheckConstraint(
                condition=models.Q(start_year__gte=2000, end_year__lte=2100),
                name="plan_years_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def is_adopted(self) -> bool:
        return self.status == PlanStatus.ADOPTED


class PlanYear(TimeStampedModel):
    """The local government's total APBD of one year of the plan, typed in by the secretariat."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="plan_years")
    year = models.PositiveSmallIntegerField(_("tahun"))
    total_apbd = models.DecimalField(_("total APBD"), **MONEY)

    class Meta:
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="plan_year_unique"),
            models.CheckConstraint(
                condition=models.Q(total_apbd__gt=0), name="plan_year_apbd_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.year}: {self.total_apbd}"


class Programme(PublicIdModel):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="programmes")
    code = models.CharField(_("kode program"), max_length=30, blank=True)
    name = models.CharField(_("nama program/kegiatan"), max_length=300)
    lead_agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("perangkat daerah pengampu"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    indicators = models.ManyToManyField(
        "indicators.Indicator", verbose_name=_("indikator KLA"), related_name="programmes"
    )
    output_target = models.TextField(_("target keluaran (output)"), blank=True)
    outcome_target = models.TextField(_("target hasil (outcome)"), blank=True)
    unit = models.CharField(_("satuan keluaran"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("program RAD")
        verbose_name_plural = _("program RAD")
        ordering = ["plan", "code", "name", "id"]
        indexes = [
            models.Index(fields=["plan", "lead_agency"], name="programme_plan_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()[:200]


class Target(TimeStampedModel):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    output_target = models.DecimalField(_("target keluaran"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    outcome_target = models.CharField(_("target hasil"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="target_unique_year"),
            models.CheckConstraint(
                condition=models.Q(output_target__gte=0), name="target_output_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year}: {self.output_target} {self.unit}"


class FundingSource(models.TextChoices):
    APBD = "apbd", _("APBD")
    APBN = "apbn", _("APBN")
    DAK = "dak", _("DAK")
    CSR = "csr", _("CSR / dunia usaha")
    OTHER = "other", _("Lainnya")


class Budget(TimeStampedModel):
    """Planned and realised amounts of one programme, year and funding source. Realised may
    exceed planned (a revised budget not yet typed in); the pages flag it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    source = models.CharField(_("sumber dana"), max_length=5, choices=FundingSource.choices)
    planned = models.DecimalField(_("pagu"), **MONEY)
    realised = models.DecimalField(_("realisasi"), default=0, **MONEY)

    class Meta:
        ordering = ["programme", "year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "source"], name="budget_unique_source"
            ),
            models.CheckConstraint(
                condition=models.Q(planned__gte=0, realised__gte=0), name="budget_nonneg"
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=FundingSource.values), name="budget_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year} {self.source}: {self.realised}/{self.planned}"

    @property
    def over_realised(self) -> bool:
        return self.realised > self.planned

    @property
    def pct(self) -> Decimal | None:
        if self.planned <= 0:
            return None
        return (self.realised * 100 / self.planned).quantize(Decimal("0.01"), ROUND_HALF_UP)


class ProgressStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    ACCEPTED = "accepted", _("Diterima")


def progress_evidence_path(instance, filename: str) -> str:
    lg = instance.programme.plan.local_government_id
    return f"plan-progress/{lg}/{instance.uid}.{instance.kind_ext}"


class ProgressReport(PublicIdModel):
    """One quarter of one programme, reported once; editable until the secretariat accepts it."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="progress_reports"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"))
    output_achieved = models.DecimalField(_("capaian keluaran"), max_digits=14, decimal_places=2)
    realisation = models.DecimalField(_("realisasi anggaran triwulan"), **MONEY)
    narrative = models.TextField(_("uraian capaian dan kendala"))
    file = models.FileField(upload_to=progress_evidence_path, max_length=255, blank=True)
    kind_ext = models.CharField(max_length=5, blank=True)
    mime = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProgressStatus.choices,
        default=ProgressStatus.SUBMITTED,
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("laporan progres")
        verbose_name_plural = _("laporan progres")
        ordering = ["programme", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "quarter"], name="progress_unique_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="progress_quarter_range"
            ),
            models.CheckConstraint(
                condition=models.Q(output_achieved__gte=0, realisation__gte=0),
                name="progress_nonneg",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProgressStatus.values), name="progress_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year} TW{self.quarter}"

    @property
    def is_accepted(self) -> bool:
        return self.status == ProgressStatus.ACCEPTED
