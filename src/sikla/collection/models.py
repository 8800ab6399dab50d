from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikla.core.models import PublicIdModel


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Dibuka")
    CLOSED = "closed", _("Ditutup")
    LOCKED = "locked", _("Dikunci")


class Period(PublicIdModel):
    """An evaluation year of one local government. The data year is the year before."""

    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="periods",
    )
    year = models.PositiveSmallIntegerField(_("tahun evaluasi"))
    catalog = models.ForeignKey(
        "indicators.CatalogVersion",
        verbose_name=_("katalog indikator"),
        on_delete=models.PROTECT,
        related_name="periods",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    input_deadline = models.DateField(_("batas pengisian perangkat daerah"))
    review_deadline = models.DateField(_("batas reviu sekretariat"))

    class Meta:
        verbose_name = _("periode evaluasi")
        verbose_name_plural = _("periode evaluasi")
        ordering = ["local_government_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["local_government", "year"], name="period_unique_year"),
            models.CheckConstraint(
                condition=models.Q(review_deadline__gte=models.F("input_deadline")),
                name="period_review_after_input",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="period_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=PeriodStatus.values), name="period_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Periode {self.year} {self.local_government_id}"

    @property
    def data_year(self) -> int:
        return self.year - 1

    @property
    def is_locked(self) -> bool:
        return self.status == PeriodStatus.LOCKED


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    RETURNED = "returned", _("Dikembalikan")
    APPROVED = "approved", _("Disetujui")


class Submission(PublicIdModel):
    """One indicator of one period: who delivers it, and (later) its values and evidence."""

    period = models.ForeignKey(
        Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="submissions"
    )
    # Denormalised from the period so scoping is a prefix match on this table's own column.
    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indikator"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    lead_agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("perangkat daerah pengampu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_submissions",
    )
    supporting_agencies = models.ManyToManyField(
        "organisations.Agency",
        verbose_name=_("perangkat daerah pendukung"),
        blank=True,
        related_name="supported_submissions",
    )
    assignment_confirmed_at = models.DateTimeField(_("penugasan dikonfirmasi"), null=True)
    assignment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    narrative = models.TextField(_("narasi"), blank=True)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("direviu pada"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_comment = models.TextField(_("catatan reviu"), blank=True)

    class Meta:
        verbose_name = _("pengisian indikator")
        verbose_name_plural = _("pengisian indikator")
        ordering = ["period", "indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "indicator"], name="submission_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=SubmissionStatus.values),
                name="submission_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["local_government", "status"], name="submission_lg_status_idx"),
            models.Index(fields=["lead_agency", "status"], name="submission_lead_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.period.year} · indikator {self.indicator.number}"

    @property
    def is_assignment_confirmed(self) -> bool:
        return self.assignment_confirmed_at is not None


class Sex(models.TextChoices):
    ALL = "", _("Semua")
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class AgeGroup(models.TextChoices):
    """Children's age bands of SIMFONI-PPA (0–5, 6–12, 13–17)."""

    ALL = "", _("Semua umur")
    EARLY = "0-5", _("0–5 tahun")
    MIDDLE = "6-12", _("6–12 tahun")
    TEEN = "13-17", _("13–17 tahun")


class DataValue(models.Model):
    """One fact of a submission: (region, sex, age group) → numerator/denominator, or a value
    (a count, or 1/0 for availability). Roll-ups to kecamatan and kab/kota sum by code prefix."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, default="")
    age_group = models.CharField(max_length=5, choices=AgeGroup.choices, blank=True, default="")
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("nilai data")
        verbose_name_plural = _("nilai data")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "region", "sex", "age_group"], name="datavalue_unique_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True) | models.Q(numerator__gte=0),
                name="datavalue_numerator_nonneg",
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gt=0),
                name="datavalue_denominator_pos",
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__isnull=True)
                | models.Q(denominator__isnull=True)
                | models.Q(numerator__lte=models.F("denominator")),
                name="datavalue_numerator_lte_denominator",
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=0),
                name="datavalue_value_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.sex}{self.age_group}"


class EvidenceKind(models.TextChoices):
    DECREE = "decree", _("SK / peraturan")
    REPORT = "report", _("Laporan")
    DATA = "data", _("Data / rekapitulasi")
    PHOTO = "photo", _("Foto kegiatan")
    OTHER = "other", _("Lainnya")


def evidence_path(instance, filename: str) -> str:
    # Never the uploader's file name: it may carry a child's name; the title holds the meaning.
    return f"evidence/{instance.submission.local_government_id}/{instance.uid}.{instance.kind_ext}"


class Evidence(PublicIdModel):
    """A supporting document (bukti dukung). Served only through a permission-checked view."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="evidence")
    # The catalog question this document supports; empty = the indicator as a whole.
    question = models.ForeignKey(
        "indicators.Question",
        verbose_name=_("untuk pertanyaan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence_files",
    )
    title = models.CharField(_("judul"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=EvidenceKind.choices)
    document_date = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    file = models.FileField(upload_to=evidence_path, max_length=255)
    kind_ext = models.CharField(max_length=5)  # checked from the content: pdf, png, jpg, docx, xlsx
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["submission_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "sha256"],
                condition=models.Q(deleted_at__isnull=True),
                name="evidence_unique_file_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_image(self) -> bool:
        return self.kind_ext in {"png", "jpg"}

    @property
    def reference(self) -> str:
        """The short reference people find it by in SIKLA and in reports: "B-1A2B3C4D"."""
        return f"B-{str(self.uid)[:8].upper()}"

    def file_name(self, year: int, number: int) -> str:
        """The name it downloads as (never the uploader's, which may name a child)."""
        return f"bukti-{year}-{number}-{str(self.uid)[:8]}.{self.kind_ext}"
