"""The yearly evaluation of one local government: answers to the instrument's questions, the
stages of verification with every stage's result kept, correction windows, the determination,
and what-if scenarios. Scores are never typed in: they come from `scoring.py`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikla.core.models import PublicIdModel, TimeStampedModel


class Stage(models.TextChoices):
    SELF = "self", _("Penilaian mandiri")
    ADMINISTRATIVE = "administrative", _("Verifikasi administrasi (provinsi)")
    RECHECK = "recheck", _("Pemeriksaan ulang (kementerian)")
    FIELD = "field", _("Verifikasi lapangan (kementerian)")
    FINAL = "final", _("Verifikasi akhir (kementerian)")
    DETERMINED = "determined", _("Penetapan")


STAGE_ORDER = [s.value for s in Stage]
VERIFICATION_STAGES = [Stage.ADMINISTRATIVE, Stage.RECHECK, Stage.FIELD, Stage.FINAL]


class FieldMode(models.TextChoices):
    ONSITE = "onsite", _("Tatap muka")
    HYBRID = "hybrid", _("Hibrida (tatap muka dan daring)")
    ONLINE = "online", _("Daring")


class Evaluation(PublicIdModel):
    """One per period, created by the first action that needs it."""

    period = models.OneToOneField(
        "collection.Period", on_delete=models.PROTECT, related_name="evaluation"
    )
    # Denormalised so that scoping is a prefix match on this table's own column.
    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("tahun evaluasi"))
    stage = models.CharField(_("tahap"), max_length=16, choices=Stage.choices, default=Stage.SELF)
    version = models.PositiveIntegerField(default=1)
    field_mode = models.CharField(
        _("cara verifikasi lapangan"), max_length=8, choices=FieldMode.choices, blank=True
    )
    # Kept current by the actions, for roll-ups over hundreds of local governments.
    current_total = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    current_category = models.CharField(max_length=20, blank=True)
    final_score = models.DecimalField(
        _("nilai akhir"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    final_category = models.CharField(_("kategori"), max_length=20, blank=True)
    final_category_name = models.CharField(max_length=40, blank=True)
    decree_number = models.CharField(_("nomor keputusan"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal keputusan"), null=True, blank=True)
    determined_at = models.DateTimeField(null=True, blank=True)
    determined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evaluasi")
        verbose_name_plural = _("evaluasi")
        ordering = ["local_government_id", "-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__in=[s.value for s in Stage]),
                name="evaluation_stage_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(current_total__gte=0, current_total__lte=1000),
                name="evaluation_current_total_range",
            ),
            models.CheckConstraint(
                condition=models.Q(final_score__isnull=True)
                | models.Q(final_score__gte=0, final_score__lte=1000),
                name="evaluation_final_score_range",
            ),
            models.UniqueConstraint(
                fields=["local_government", "year"], name="evaluation_unique_year"
            ),
        ]
        indexes = [
            models.Index(
                fields=["local_government"],
                name="evaluation_lg_prefix_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["year", "stage"], name="evaluation_year_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"Evaluasi {self.year} {self.local_government_id}"

    @property
    def is_determined(self) -> bool:
        return self.stage == Stage.DETERMINED


class Answer(TimeStampedModel):
    """An answer typed in by the lead agency or the secretariat. Data-driven questions have no
    row: their value is read from the approved collection data."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "indicators.Question", on_delete=models.PROTECT, related_name="answers"
    )
    value = models.CharField(_("jawaban"), max_length=40, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("jawaban")
        verbose_name_plural = _("jawaban")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value}"


class Review(TimeStampedModel):
    """A verifier's verdict on one question at one stage: the points it keeps, and why."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    question = models.ForeignKey(
        "indicators.Question", on_delete=models.PROTECT, related_name="reviews"
    )
    points = models.DecimalField(_("nilai terverifikasi"), max_digits=6, decimal_places=2)
    note = models.TextField(_("catatan verifikator"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("hasil verifikasi")
        verbose_name_plural = _("hasil verifikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "stage", "question"], name="review_unique"
            ),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="review_points_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.question.code}: {self.points}"


class StageResult(models.Model):
    """The result of a finished stage, frozen: self vs. province vs. ministry side by side."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="stage_results"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    total = models.DecimalField(max_digits=7, decimal_places=2)
    category = models.CharField(max_length=20, blank=True)
    category_name = models.CharField(max_length=40, blank=True)
    points = models.JSONField(default=dict)  # {question code: "12.50"}
    indicator_scores = models.JSONField(default=dict)  # {"4": "37.50"}
    cluster_scores = models.JSONField(default=dict)  # {"1": "80.00"}
    completed_at = models.DateTimeField()
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["evaluation", "completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "stage"], name="stage_result_unique"),
            models.CheckConstraint(
                condition=models.Q(total__gte=0, total__lte=1000), name="stage_result_total_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage}: {self.total}"


class CorrectionWindow(TimeStampedModel):
    """A verifier asks for missing evidence; until `closes_at` the local government may upload
    evidence for the listed questions, and nothing else."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="correction_windows"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    questions = models.JSONField(default=list)  # question codes
    note = models.TextField(_("bukti dukung yang diminta"))
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="correction_window_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.opens_at:%Y-%m-%d %H:%M}–{self.closes_at:%H:%M}"

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at


class Scenario(PublicIdModel):
    """A saved what-if: changed answers and what they would give, shared with the task force."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("nama skenario"), max_length=120)
    answers = models.JSONField(default=dict)  # {question code: value}, only the changed ones
    total = models.DecimalField(max_digits=7, decimal_places=2)
    category = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("skenario")
        verbose_name_plural = _("skenario")
        ordering = ["evaluation", "-created_at"]

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Sedang dibuat")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")


def report_path(instance, filename: str) -> str:
    return f"reports/{instance.local_government_id}/{instance.uid}.{instance.fmt}"


class ReportJob(PublicIdModel):
    """A report made in the background because it is large; its progress is shown while it runs
    and the file is served through a permission-checked view."""

    period = models.ForeignKey(
        "collection.Period", on_delete=models.CASCADE, related_name="report_jobs"
    )
    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="+"
    )
    fmt = models.CharField(max_length=4, choices=[("pdf", "PDF"), ("xlsx", "Excel")])
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to=report_path, blank=True, max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_job_progress_range"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in JobStatus]),
                name="report_job_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fmt} {self.period}"

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class Season(TimeStampedModel):
    """The ministry's timetable of one evaluation year: by when each stage should be done. The
    season board (`monitoring.season_board`) measures every kab/kota against it."""

    year = models.PositiveSmallIntegerField(_("tahun evaluasi"), unique=True)
    self_due = models.DateField(_("batas penilaian mandiri diajukan"))
    administrative_due = models.DateField(_("batas verifikasi administrasi provinsi"))
    recheck_due = models.DateField(_("batas pemeriksaan ulang kementerian"))
    field_due = models.DateField(_("batas verifikasi lapangan"))
    final_due = models.DateField(_("batas verifikasi akhir dan penetapan"))

    class Meta:
        verbose_name = _("jadwal musim evaluasi")
        verbose_name_plural = _("jadwal musim evaluasi")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(administrative_due__gte=models.F("self_due"))
                & models.Q(recheck_due__gte=models.F("administrative_due"))
                & models.Q(field_due__gte=models.F("recheck_due"))
                & models.Q(final_due__gte=models.F("field_due")),
                name="season_stages_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Musim {self.year}"

    def due_for(self, stage: str):
        """By when a kab/kota standing at `stage` ("" = not started) should have moved on; None
        once determined."""
        return {
            "": self.self_due,
            Stage.SELF: self.self_due,
            Stage.ADMINISTRATIVE: self.administrative_due,
            Stage.RECHECK: self.recheck_due,
            Stage.FIELD: self.field_due,
            Stage.FINAL: self.final_due,
        }.get(stage)
