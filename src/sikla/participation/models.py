"""Child participation (Forum Anak), consultation records, public consultations and partners.

Children are never named here: a Forum Anak holds member counts by sex and age group only, and a
public comment from a child carries at most the name the child chose to give (optional).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikla.core.models import PublicIdModel

# -- Forum Anak ----------------------------------------------------------------------------------


class ForumLevel(models.TextChoices):
    REGENCY = "regency", _("Kabupaten/kota")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Desa/kelurahan")


class ForumStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    INACTIVE = "inactive", _("Tidak aktif")


class ChildForum(PublicIdModel):
    """A Forum Anak of one region: the kab/kota itself, a kecamatan or a desa/kelurahan.

    Members are counted (sex × age group), never listed; facilitators are adults and may be named.
    """

    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="child_forums",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=ForumLevel.choices)
    name = models.CharField(_("nama forum"), max_length=200)
    decree_number = models.CharField(_("nomor SK pembentukan"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ForumStatus.choices, default=ForumStatus.ACTIVE
    )
    male_10_13 = models.PositiveIntegerField(_("anggota laki-laki 10–13 tahun"), default=0)
    female_10_13 = models.PositiveIntegerField(_("anggota perempuan 10–13 tahun"), default=0)
    male_14_17 = models.PositiveIntegerField(_("anggota laki-laki 14–17 tahun"), default=0)
    female_14_17 = models.PositiveIntegerField(_("anggota perempuan 14–17 tahun"), default=0)
    facilitators = models.TextField(
        _("pendamping/fasilitator (dewasa)"),
        blank=True,
        help_text=_("Nama pendamping dewasa, satu per baris. Jangan tulis nama anak."),
    )

    class Meta:
        verbose_name = _("Forum Anak")
        verbose_name_plural = _("Forum Anak")
        ordering = ["local_government_id", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["region"], name="child_forum_one_per_region"),
            models.CheckConstraint(
                condition=models.Q(level__in=ForumLevel.values), name="child_forum_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ForumStatus.values), name="child_forum_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["local_government", "level", "status"], name="child_forum_lg_level_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == ForumStatus.ACTIVE

    @property
    def members_male(self) -> int:
        return self.male_10_13 + self.male_14_17

    @property
    def members_female(self) -> int:
        return self.female_10_13 + self.female_14_17

    @property
    def members_total(self) -> int:
        return self.members_male + self.members_female

    @property
    def facilitator_names(self) -> list[str]:
        return [line.strip() for line in self.facilitators.splitlines() if line.strip()]


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Pertemuan/rapat forum")
    TRAINING = "training", _("Pelatihan/peningkatan kapasitas")
    CAMPAIGN = "campaign", _("Kampanye/sosialisasi hak anak")
    CONSULTATION = "consultation", _("Penyampaian aspirasi/masukan kebijakan")
    MUSRENBANG = "musrenbang", _("Musrenbang")
    PIONEER = "pioneer", _("Anak sebagai pelopor")
    REPORTER = "reporter", _("Anak sebagai pelapor")
    OTHER = "other", _("Lainnya")


class ChildForumActivity(PublicIdModel):
    forum = models.ForeignKey(
        ChildForum, verbose_name=_("forum"), on_delete=models.CASCADE, related_name="activities"
    )
    date = models.DateField(_("tanggal"))
    title = models.CharField(_("judul kegiatan"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=ActivityKind.choices)
    description = models.TextField(_("uraian singkat"), max_length=1000, blank=True)
    participants = models.PositiveIntegerField(_("jumlah anak yang ikut"), null=True, blank=True)

    class Meta:
        verbose_name = _("kegiatan Forum Anak")
        verbose_name_plural = _("kegiatan Forum Anak")
        ordering = ["forum", "-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ActivityKind.values), name="forum_activity_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["forum", "date"], name="forum_activity_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


# -- consultation records --------------------------------------------------------------------


class PolicyKind(models.TextChoices):
    POLICY = "policy", _("Kebijakan")
    PROGRAMME = "programme", _("Program/kegiatan")
    REGULATION = "regulation", _("Peraturan daerah/peraturan kepala daerah")
    PLAN = "plan", _("Dokumen perencanaan (RPJMD, RKPD, RAD KLA)")


class SourceKind(models.TextChoices):
    CHILD_FORUM = "child_forum", _("Forum Anak")
    CHILD = "child", _("Anak (perorangan)")
    COMMUNITY = "community", _("Masyarakat/organisasi masyarakat")
    BUSINESS = "business", _("Dunia usaha")
    MEDIA = "media", _("Media massa")


CHILDREN_SOURCES = (SourceKind.CHILD_FORUM, SourceKind.CHILD)


class ResponseStatus(models.TextChoices):
    PENDING = "pending", _("Belum ditanggapi")
    ACCEPTED = "accepted", _("Diterima")
    PARTLY = "partly", _("Diterima sebagian")
    NOT_ACCEPTED = "not_accepted", _("Tidak diterima")


class ConsultationRecord(PublicIdModel):
    """A policy, programme, regulation or plan that received input (indicators 3 and 6)."""

    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="consultation_records",
    )
    title = models.CharField(_("judul kebijakan/program/peraturan"), max_length=255)
    kind = models.CharField(_("jenis"), max_length=12, choices=PolicyKind.choices)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indikator terkait"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("tanggal konsultasi"))
    description = models.TextField(_("ringkasan"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("catatan konsultasi")
        verbose_name_plural = _("catatan konsultasi")
        ordering = ["local_government_id", "-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=PolicyKind.values), name="consultation_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["local_government", "date"], name="consultation_lg_date_idx")
        ]

    def __str__(self) -> str:
        return self.title


class ConsultationInput(PublicIdModel):
    """One input received for a record, and how it was answered."""

    record = models.ForeignKey(
        ConsultationRecord,
        verbose_name=_("catatan konsultasi"),
        on_delete=models.CASCADE,
        related_name="inputs",
    )
    source_kind = models.CharField(_("sumber masukan"), max_length=12, choices=SourceKind.choices)
    source_name = models.CharField(_("nama sumber"), max_length=200, blank=True)
    child_forum = models.ForeignKey(
        ChildForum,
        verbose_name=_("Forum Anak"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs",
    )
    date = models.DateField(_("tanggal masukan"))
    text = models.TextField(_("isi masukan"), max_length=4000)
    response_text = models.TextField(_("tanggapan"), max_length=4000, blank=True)
    response_status = models.CharField(
        _("status tanggapan"),
        max_length=12,
        choices=ResponseStatus.choices,
        default=ResponseStatus.PENDING,
    )
    public_comment = models.OneToOneField(
        "PublicComment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="record_input",
    )

    class Meta:
        verbose_name = _("masukan")
        verbose_name_plural = _("masukan")
        ordering = ["record", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source_kind__in=SourceKind.values),
                name="consultation_input_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(response_status__in=ResponseStatus.values),
                name="consultation_input_response_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["record", "source_kind"], name="consultation_input_source_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_source_kind_display()}: {self.text[:60]}"


# -- public consultation ---------------------------------------------------------------------


def consultation_document_path(instance, filename: str) -> str:
    return f"consultations/{instance.local_government_id}/{instance.uid}.pdf"


class PublicConsultation(PublicIdModel):
    """A draft put to the public by the secretariat, open for comments between two dates."""

    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="public_consultations",
    )
    title = models.CharField(_("judul rancangan"), max_length=255)
    kind = models.CharField(
        _("jenis"), max_length=12, choices=PolicyKind.choices, default=PolicyKind.POLICY
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indikator terkait"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("ringkasan"), max_length=1000)
    body = models.TextField(_("isi rancangan"), max_length=50000)
    document = models.FileField(
        _("dokumen PDF"), upload_to=consultation_document_path, max_length=255, blank=True
    )
    document_size = models.PositiveBigIntegerField(default=0)
    opens_on = models.DateField(_("dibuka mulai"))
    closes_on = models.DateField(_("ditutup sesudah"))
    record = models.OneToOneField(
        ConsultationRecord,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="public_consultation",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("konsultasi publik")
        verbose_name_plural = _("konsultasi publik")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="public_consultation_dates",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PolicyKind.values),
                name="public_consultation_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["opens_on", "closes_on"], name="public_consultation_open_idx"),
            models.Index(
                fields=["local_government", "opens_on"], name="public_consultation_lg_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_published(self, today=None) -> bool:
        return self.opens_on <= (today or timezone.localdate())

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.closes_on


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu moderasi")
    APPROVED = "approved", _("Ditampilkan")
    REJECTED = "rejected", _("Ditolak")


class AgeGroup(models.TextChoices):
    UNDER_10 = "under_10", _("Di bawah 10 tahun")
    AGE_10_13 = "10_13", _("10–13 tahun")
    AGE_14_17 = "14_17", _("14–17 tahun")
    AGE_18_29 = "18_29", _("18–29 tahun")
    AGE_30_59 = "30_59", _("30–59 tahun")
    AGE_60_PLUS = "60_plus", _("60 tahun ke atas")


CHILD_AGE_GROUPS = (AgeGroup.UNDER_10, AgeGroup.AGE_10_13, AgeGroup.AGE_14_17)
COMMENT_MAX = 2000


class PublicComment(PublicIdModel):
    """A comment from the public; shown only once the secretariat approved it."""

    consultation = models.ForeignKey(
        PublicConsultation,
        verbose_name=_("konsultasi publik"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    name = models.CharField(_("nama"), max_length=100, blank=True)
    is_child = models.BooleanField(_("anak (di bawah 18 tahun)"), default=False)
    age_group = models.CharField(
        _("kelompok umur"), max_length=8, choices=AgeGroup.choices, blank=True
    )
    text = models.CharField(_("komentar"), max_length=COMMENT_MAX)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ModerationStatus.choices,
        default=ModerationStatus.PENDING,
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("catatan moderasi"), max_length=255, blank=True)
    response_text = models.TextField(_("tanggapan sekretariat"), max_length=4000, blank=True)
    response_status = models.CharField(
        _("status tanggapan"),
        max_length=12,
        choices=ResponseStatus.choices,
        default=ResponseStatus.PENDING,
    )

    class Meta:
        verbose_name = _("komentar publik")
        verbose_name_plural = _("komentar publik")
        ordering = ["consultation", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ModerationStatus.values),
                name="public_comment_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(age_group__in=["", *AgeGroup.values]),
                name="public_comment_age_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["consultation", "status", "created_at"], name="public_comment_status_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.text[:60]}"

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        return str(_("Anak (tanpa nama)") if self.is_child else _("Warga (tanpa nama)"))


# -- partners (the components beyond government) -------------------------------------------


class PartnerComponent(models.TextChoices):
    COMMUNITY = "community", _("Organisasi masyarakat")
    BUSINESS = "business", _("Dunia usaha")
    MEDIA = "media", _("Media massa")
    FAMILY = "family", _("Keluarga/kelompok orang tua")
    COORDINATION = "coordination", _("Wadah koordinasi (PUSPA, APSAI)")


class Partner(PublicIdModel):
    """A community organisation, business, media, parents' group or coordination forum.

    Where the partner is also in the organisations registry (an `Agency` of kind community,
    business or media), `agency` links the two so it is not registered twice; families and
    parents' groups have no agency kind and stand here alone.
    """

    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="partners",
    )
    component = models.CharField(_("unsur"), max_length=14, choices=PartnerComponent.choices)
    name = models.CharField(_("nama"), max_length=200)
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("terdaftar sebagai lembaga"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_person = models.CharField(_("narahubung"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    description = models.TextField(_("keterangan"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")
        ordering = ["local_government_id", "component", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_government", "name"], name="partner_unique_name"
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(agency__isnull=False),
                name="partner_unique_agency",
            ),
            models.CheckConstraint(
                condition=models.Q(component__in=PartnerComponent.values),
                name="partner_component_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["local_government", "component"], name="partner_lg_component_idx")
        ]

    def __str__(self) -> str:
        return self.name


class ContributionKind(models.TextChoices):
    MONEY = "money", _("Dana")
    GOODS = "goods", _("Barang")
    SERVICES = "services", _("Jasa/layanan")
    FACILITIES = "facilities", _("Sarana dan prasarana")
    INFORMATION = "information", _("Informasi, kampanye, sosialisasi")
    POLICY_INPUT = "policy_input", _("Masukan kebijakan")
    ASSISTANCE = "assistance", _("Pembinaan, pendampingan, rehabilitasi")
    MONITORING = "monitoring", _("Pemantauan layanan anak")
    OTHER = "other", _("Lainnya")


class Contribution(PublicIdModel):
    partner = models.ForeignKey(
        Partner, verbose_name=_("mitra"), on_delete=models.CASCADE, related_name="contributions"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    kind = models.CharField(_("bentuk"), max_length=14, choices=ContributionKind.choices)
    description = models.TextField(_("uraian"), max_length=2000)
    value = models.PositiveBigIntegerField(_("nilai (Rp)"), null=True, blank=True)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indikator terkait"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kontribusi mitra")
        verbose_name_plural = _("kontribusi mitra")
        ordering = ["partner", "-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="contribution_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ContributionKind.values),
                name="contribution_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["partner", "year"], name="contribution_year_idx")]

    def __str__(self) -> str:
        return f"{self.partner} {self.year}: {self.get_kind_display()}"
