"""Child protection (UPTD PPA): complaints, cases, children, perpetrators, services, referrals,
guardian consent, and the append-only access log.

Code lists follow SIMFONI-PPA so the data can be reported there (KLA-REFERENCE.md §4). Every
identity — a child's or a reporter's name, NIK, date of birth, address, school, and every free text
that may carry one — is an `EncryptedTextField`; the NIK is found through a keyed hash. The
`__str__` of every model here is safe to print: a case number or a code, never a name.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikla.core.models import PublicIdModel

from .crypto import EncryptedTextField


class Channel(models.TextChoices):
    WEB = "web", _("Pengaduan daring (masyarakat)")
    HOTLINE = "hotline", _("Telepon / hotline")
    WALK_IN = "walk_in", _("Datang langsung")
    SCHOOL = "school", _("Sekolah")
    POLICE = "police", _("Kepolisian")
    AGENCY = "agency", _("Instansi lain")
    CHILD_FORUM = "child_forum", _("Forum Anak")
    OUTREACH = "outreach", _("Temuan penjangkauan")


class PublicStatus(models.TextChoices):
    """All the public ever learns about a report."""

    RECEIVED = "received", _("Diterima")
    IN_HANDLING = "in_handling", _("Sedang ditangani")
    CLOSED = "closed", _("Selesai")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Biasa")
    URGENT = "urgent", _("Mendesak")
    EMERGENCY = "emergency", _("Darurat")


class Risk(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")


class DismissReason(models.TextChoices):
    SPAM = "spam", _("Bukan pengaduan (spam)")
    DUPLICATE = "duplicate", _("Duplikat pengaduan lain")
    NOT_A_CHILD = "not_a_child", _("Bukan perkara anak")
    OTHER_REGION = "other_region", _("Di luar wilayah, diteruskan")


class Place(models.TextChoices):
    """SIMFONI-PPA place categories."""

    HOUSEHOLD = "household", _("Rumah tangga")
    SCHOOL = "school", _("Sekolah")
    PUBLIC = "public", _("Fasilitas umum")
    WORKPLACE = "workplace", _("Tempat kerja")
    COURSE = "course", _("Lembaga pendidikan kilat")
    ONLINE = "online", _("Daring / media sosial")
    OTHER = "other", _("Lainnya")


class ReporterRelation(models.TextChoices):
    SELF = "self", _("Anak itu sendiri")
    PARENT = "parent", _("Orang tua / wali")
    FAMILY = "family", _("Keluarga lain")
    NEIGHBOUR = "neighbour", _("Tetangga / warga")
    TEACHER = "teacher", _("Guru / sekolah")
    FRIEND = "friend", _("Teman")
    OFFICIAL = "official", _("Petugas / instansi")
    OTHER = "other", _("Lainnya")


class ProtectionType(models.TextChoices):
    """Forms of violence (SIMFONI-PPA) and the other special-protection groups of cluster V
    (UU 35/2014 art. 59(2)). Bullying is its own tag for local reporting."""

    PHYSICAL = "physical", _("Kekerasan fisik")
    PSYCHOLOGICAL = "psychological", _("Kekerasan psikis")
    SEXUAL = "sexual", _("Kekerasan seksual")
    NEGLECT = "neglect", _("Penelantaran")
    BULLYING = "bullying", _("Perundungan")
    ECONOMIC_EXPLOITATION = "economic_exploitation", _("Eksploitasi ekonomi")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Eksploitasi seksual")
    TRAFFICKING = "trafficking", _("Perdagangan orang")
    CHILD_LABOUR = "child_labour", _("Pekerja anak")
    CONFLICT_WITH_LAW = "conflict_with_law", _("Anak berhadapan dengan hukum")
    EMERGENCY = "emergency", _("Anak dalam situasi darurat (bencana, konflik)")
    MINORITY = "minority", _("Anak kelompok minoritas dan terisolasi")
    DRUGS = "drugs", _("Anak korban NAPZA")
    PORNOGRAPHY = "pornography", _("Anak korban pornografi")
    HIV = "hiv", _("Anak dengan HIV/AIDS")
    TERRORISM = "terrorism", _("Anak korban jaringan terorisme")
    DISABILITY = "disability", _("Anak penyandang disabilitas")
    STIGMA = "stigma", _("Anak korban stigmatisasi kondisi orang tua")
    OTHER = "other", _("Lainnya")


# Which cluster V indicator each type feeds (KLA-REFERENCE.md §2, indicators 21–24).
TYPE_INDICATOR: dict[str, int] = {
    **dict.fromkeys(
        [
            ProtectionType.PHYSICAL,
            ProtectionType.PSYCHOLOGICAL,
            ProtectionType.SEXUAL,
            ProtectionType.NEGLECT,
            ProtectionType.BULLYING,
            ProtectionType.ECONOMIC_EXPLOITATION,
            ProtectionType.SEXUAL_EXPLOITATION,
            ProtectionType.TRAFFICKING,
            ProtectionType.CHILD_LABOUR,
        ],
        21,
    ),
    **dict.fromkeys(
        [
            ProtectionType.PORNOGRAPHY,
            ProtectionType.DRUGS,
            ProtectionType.HIV,
            ProtectionType.EMERGENCY,
        ],
        22,
    ),
    **dict.fromkeys([ProtectionType.DISABILITY, ProtectionType.MINORITY], 23),
    **dict.fromkeys(
        [ProtectionType.CONFLICT_WITH_LAW, ProtectionType.TERRORISM, ProtectionType.STIGMA], 24
    ),
}


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    ASSESSED = "assessed", _("Diasesmen")
    IN_SERVICE = "in_service", _("Dalam layanan")
    REFERRED = "referred", _("Dirujuk")
    CLOSED = "closed", _("Ditutup")


OPEN_STATUSES = [s for s in CaseStatus if s != CaseStatus.CLOSED]


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Selesai ditangani")
    REINTEGRATED = "reintegrated", _("Reintegrasi / kembali ke keluarga")
    REFERRED = "referred", _("Selesai melalui rujukan")
    TRANSFERRED = "transferred", _("Dialihkan ke daerah lain")
    WITHDRAWN = "withdrawn", _("Dicabut oleh pelapor / keluarga")
    UNREACHABLE = "unreachable", _("Korban tidak dapat dijangkau")
    OTHER = "other", _("Lainnya")


class ResponsibleLevel(models.TextChoices):
    REGENCY = "regency", _("Kabupaten/kota")
    PROVINCE = "province", _("Provinsi")
    NATIONAL = "national", _("Pusat (lintas provinsi / negara)")


class Sex(models.TextChoices):
    # The codes of the data-collection module, so statistics feed indicator values directly.
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Relationship(models.TextChoices):
    """SIMFONI-PPA relationship of the alleged perpetrator to the child."""

    PARENT = "parent", _("Orang tua")
    FAMILY = "family", _("Keluarga / saudara")
    SPOUSE = "spouse", _("Suami / istri")
    NEIGHBOUR = "neighbour", _("Tetangga")
    FRIEND = "friend", _("Pacar / teman")
    TEACHER = "teacher", _("Guru")
    EMPLOYER = "employer", _("Majikan")
    COWORKER = "coworker", _("Rekan kerja")
    OTHER = "other", _("Lainnya")
    UNKNOWN = "unknown", _("Tidak diketahui")


class ServiceKind(models.TextChoices):
    """The UPTD PPA services (PermenPPPA 2/2022) with the SIMFONI-PPA service codes."""

    COMPLAINT = "complaint", _("Penanganan pengaduan")
    OUTREACH = "outreach", _("Penjangkauan")
    CASE_MANAGEMENT = "case_management", _("Pengelolaan kasus")
    SHELTER = "shelter", _("Penampungan sementara")
    MEDIATION = "mediation", _("Mediasi")
    PSYCHOLOGICAL = "psychological", _("Pendampingan psikologis")
    LEGAL = "legal", _("Bantuan hukum")
    HEALTH = "health", _("Rujukan kesehatan")
    REHABILITATION = "rehabilitation", _("Rehabilitasi sosial")
    REINTEGRATION = "reintegration", _("Reintegrasi sosial")
    REPATRIATION = "repatriation", _("Pemulangan")
    RELIGIOUS = "religious", _("Bimbingan rohani")


class ReferralKind(models.TextChoices):
    REFERRAL = "referral", _("Rujukan ke lembaga lain")
    TRANSFER = "transfer", _("Pengalihan ke pemerintah daerah lain")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Dikirim")
    ACCEPTED = "accepted", _("Diterima lembaga tujuan")
    DECLINED = "declined", _("Ditolak lembaga tujuan")
    COMPLETED = "completed", _("Selesai, ada umpan balik")


class GuardianRelation(models.TextChoices):
    PARENT = "parent", _("Orang tua")
    GUARDIAN = "guardian", _("Wali sah")
    FAMILY = "family", _("Keluarga")
    INSTITUTION = "institution", _("Lembaga pengasuhan")


class Complaint(PublicIdModel):
    """A report from any channel. The tracking code is the reporter's only handle on it."""

    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="complaints"
    )
    tracking_code = models.CharField(_("kode pelacakan"), max_length=9, unique=True)
    channel = models.CharField(_("saluran"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=PublicStatus.choices, default=PublicStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("diterima"), db_index=True)
    description = EncryptedTextField(_("apa yang terjadi"))
    child_wording = models.BooleanField(default=False)  # sent from the child-friendly form
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    incident_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan/desa kejadian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("tempat kejadian"), max_length=12, choices=Place.choices, blank=True)
    child_name = EncryptedTextField(_("nama anak"), blank=True)
    child_age = models.PositiveSmallIntegerField(_("umur anak"), null=True, blank=True)
    child_sex = models.CharField(
        _("jenis kelamin anak"), max_length=1, choices=Sex.choices, blank=True
    )
    reporter_relation = models.CharField(
        _("pelapor adalah"), max_length=12, choices=ReporterRelation.choices, blank=True
    )
    reporter_anonymous = models.BooleanField(_("tanpa nama"), default=False)
    reporter_name = EncryptedTextField(_("nama pelapor"), blank=True)
    reporter_contact = EncryptedTextField(_("kontak pelapor"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    urgency = models.CharField(
        _("urgensi"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    risk = models.CharField(_("tingkat risiko"), max_length=8, choices=Risk.choices, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissed_reason = models.CharField(
        _("alasan ditutup tanpa kasus"), max_length=16, choices=DismissReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["local_government", "status"], name="complaint_lg_status_idx"),
            models.Index(
                fields=["local_government", "received_at"], name="complaint_lg_received_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_pending(self) -> bool:
        """Waiting for someone to take it: no case yet and not dismissed."""
        return self.status == PublicStatus.RECEIVED


class Case(PublicIdModel):
    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="cases"
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("nomor kasus"), max_length=32)
    complaint = models.OneToOneField(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="case"
    )
    channel = models.CharField(_("saluran"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    urgency = models.CharField(
        _("urgensi"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    risk = models.CharField(_("tingkat risiko"), max_length=8, choices=Risk.choices, blank=True)
    responsible_level = models.CharField(
        _("kewenangan penanganan"),
        max_length=10,
        choices=ResponsibleLevel.choices,
        default=ResponsibleLevel.REGENCY,
    )
    received_at = models.DateTimeField(_("diterima"), db_index=True)
    response_due_at = models.DateTimeField(_("batas respons pertama"))
    first_response_at = models.DateTimeField(_("respons pertama"), null=True, blank=True)
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    incident_place = models.CharField(
        _("tempat kejadian"), max_length=12, choices=Place.choices, blank=True
    )
    incident_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan/desa kejadian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chronology = EncryptedTextField(_("kronologi"), blank=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_cases",
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("pendamping"), related_name="assigned_cases"
    )
    outcome = models.CharField(_("hasil"), max_length=14, choices=Outcome.choices, blank=True)
    closing_note = EncryptedTextField(_("catatan penutupan"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the identities were erased at the end of the retention period (`retention.py`).
    anonymised_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_government", "year", "sequence"], name="case_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["local_government", "status"], name="case_lg_status_idx"),
            # the unit's case list, newest first, paged: a range of this index, not a sort
            models.Index(fields=["local_government", "received_at"], name="case_lg_received_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class CaseType(models.Model):
    """One violence or protection type of a case (a case has several)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="types")
    type = models.CharField(max_length=24, choices=ProtectionType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "type"], name="case_type_unique"),
        ]

    def __str__(self) -> str:
        return self.type


class Child(PublicIdModel):
    """A child victim (SIMFONI-PPA "korban"). Age and sex stay plain for statistics; everything
    that names the child is encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    name = EncryptedTextField(_("nama anak"))
    nik = EncryptedTextField(_("NIK"), blank=True)
    nik_hash = models.CharField(max_length=64, blank=True, db_index=True)
    birth_date = EncryptedTextField(_("tanggal lahir"), blank=True)  # ISO date, encrypted
    age = models.PositiveSmallIntegerField(_("umur (tahun)"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    has_disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    school = EncryptedTextField(_("sekolah"), blank=True)
    address_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kelurahan/desa tempat tinggal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = EncryptedTextField(_("alamat"), blank=True)

    class Meta:
        verbose_name = _("anak")
        verbose_name_plural = _("anak")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.pk}"

    @property
    def masked_nik(self) -> str:
        """The NIK as the case page shows it until someone asks: its last four digits."""
        return f"{'•' * 12}{self.nik[-4:]}" if self.nik else ""


class ChildNameToken(models.Model):
    """One word of a child's name as a keyed hash (`crypto.name_tokens`): the blind index that
    finds a name by whole words in one index lookup, without names in clear."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="name_tokens")
    local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # led by the (local_government, token) index
    )
    # The child's case and the number of words of the whole name, copied here (and carried by
    # the index) so that a search reads the index alone: which children have every word, whether
    # that is their whole name, and the cases they lead to. The rows go with their child.
    case = models.ForeignKey(Case, on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    words = models.PositiveSmallIntegerField()
    token = models.CharField(max_length=32)

    class Meta:
        indexes = [
            models.Index(
                fields=["local_government", "token"],
                include=["child", "case", "words"],
                name="nametoken_lg_token_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id}"


class Perpetrator(PublicIdModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    name = EncryptedTextField(_("nama"), blank=True)
    relationship = models.CharField(
        _("hubungan dengan anak"), max_length=10, choices=Relationship.choices
    )
    age = models.PositiveSmallIntegerField(_("umur"), null=True, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)

    class Meta:
        verbose_name = _("terduga pelaku")
        verbose_name_plural = _("terduga pelaku")
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.pk}"


class Service(PublicIdModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    child = models.ForeignKey(
        Child,
        verbose_name=_("untuk anak"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="services",
    )
    kind = models.CharField(_("layanan"), max_length=16, choices=ServiceKind.choices)
    date = models.DateField(_("tanggal"))
    provider = models.CharField(_("pemberi layanan"), max_length=150)
    notes = EncryptedTextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["case_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.date}"


class Referral(PublicIdModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("jenis"), max_length=10, choices=ReferralKind.choices)
    institution = models.CharField(_("lembaga tujuan"), max_length=150)
    target_local_government = models.ForeignKey(
        "organisations.LocalGovernment",
        verbose_name=_("pemerintah daerah tujuan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = EncryptedTextField(_("alasan rujukan"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    feedback = EncryptedTextField(_("umpan balik"), blank=True)
    consent_overridden = models.BooleanField(default=False)
    override_reason = EncryptedTextField(_("alasan tanpa persetujuan"), blank=True)
    sent_on = models.DateField(_("tanggal dikirim"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        ordering = ["case_id", "sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.institution}"


class GuardianConsent(PublicIdModel):
    """The consent of the child's guardian to a referral or transfer — or the documented reason
    it cannot be obtained. The newest row of a case counts."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    obtained = models.BooleanField(_("persetujuan diperoleh"))
    guardian_relation = models.CharField(
        _("diberikan oleh"), max_length=12, choices=GuardianRelation.choices, blank=True
    )
    given_on = models.DateField(_("tanggal"))
    reason_unobtainable = EncryptedTextField(_("alasan tidak dapat diperoleh"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {'ok' if self.obtained else 'reason'}"


def document_path(instance, filename: str) -> str:
    return f"protection/{instance.local_government_id}/{instance.uid}.bin"


class Document(PublicIdModel):
    """A photo or document of a complaint or a service, its bytes encrypted with the identity key
    (a photo can show a child's face)."""

    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    title = EncryptedTextField(_("judul"), blank=True)
    file = models.FileField(upload_to=document_path, max_length=255)
    kind_ext = models.CharField(max_length=5)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.uid}.{self.kind_ext}"


class CaseTransition(models.Model):
    """The workflow history of a case (also in the audit log, without the reason's text)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CaseStatus.choices)
    reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["case_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.from_status}→{self.to_status}"


class AccessKind(models.TextChoices):
    OPEN_CASE = "open_case", _("Membuka kasus")
    REVEAL_NIK = "reveal_nik", _("Menampilkan NIK lengkap")
    OPEN_COMPLAINT = "open_complaint", _("Membuka pengaduan")
    SEARCH = "search", _("Pencarian")
    EXPORT = "export", _("Ekspor tanpa identitas")
    EXPORT_IDENTIFIED = "export_identified", _("Ekspor beridentitas")
    BREAK_GLASS = "break_glass", _("Akses darurat")
    DOCUMENT = "document", _("Membuka dokumen")
    CONSENT_OVERRIDE = "consent_override", _("Rujukan tanpa persetujuan wali")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("The access log is append-only")

    def delete(self):
        raise PermissionDenied("The access log is append-only")


class AccessLog(models.Model):
    """Who opened which case or complaint, searched for what, exported what — append-only.

    Rows are never changed or deleted by the application (the model refuses, and on PostgreSQL
    a trigger refuses too). Search terms and reasons are encrypted like the identities they name.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    local_government = models.ForeignKey(
        "organisations.LocalGovernment", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    terms = EncryptedTextField(blank=True)
    reason = EncryptedTextField(blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["local_government", "at"], name="accesslog_lg_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("The access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("The access log is append-only")


class BreakGlass(models.Model):
    """An emergency opening of a case by a unit member not assigned to it: time-limited,
    with a reason, and the supervisor alerted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    reason = EncryptedTextField()
    at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d %H:%M}"


# --- the de-identified facts the statistics read (facts.py) ---------------------------------------
# Derived from the cases above and rewritten whenever a case changes (`facts.refresh`); they
# never hold a name, NIK, date of birth or free text. `sikla refresh-statistics` rebuilds them.


# Bit i of `VictimFact.type_bits` is TYPE_BITS[i]; new types go at the end of ProtectionType.
TYPE_BITS: tuple[str, ...] = tuple(ProtectionType.values)


def type_bits(types) -> int:
    """The bit mask of a set of protection type codes."""
    return sum(1 << TYPE_BITS.index(t) for t in set(types) if t in TYPE_BITS)


def _fact_local_government():
    return models.ForeignKey(
        "organisations.LocalGovernment",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # led by the (local_government, received_on) index
    )


class VictimFact(models.Model):
    """One child victim of a case, de-identified (a case without children counts as one victim
    of unknown sex and age). `type_bits` holds the case's types, bit i for `TYPE_BITS[i]`."""

    local_government = _fact_local_government()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_index=False)
    received_on = models.DateField()  # the local day the case was received
    sex = models.CharField(max_length=1, blank=True)
    age_group = models.CharField(max_length=5, blank=True)
    kecamatan = models.CharField(max_length=16, blank=True)
    kelurahan = models.CharField(max_length=20, blank=True)
    type_bits = models.IntegerField(default=0)
    served = models.BooleanField(default=False)
    referred = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Covering (PostgreSQL): a period's counts are an index-only range scan.
            models.Index(
                fields=["local_government", "received_on"],
                include=[
                    "sex",
                    "age_group",
                    "kecamatan",
                    "kelurahan",
                    "type_bits",
                    "served",
                    "referred",
                ],
                name="victimfact_lg_day_idx",
            ),
            models.Index(fields=["case"], name="victimfact_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.local_government_id} {self.received_on}"


class CaseFact(models.Model):
    """One case, de-identified: its day, outcome and first response."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    local_government = _fact_local_government()
    received_on = models.DateField()
    outcome = models.CharField(max_length=14, blank=True)  # "" while open
    closed = models.BooleanField(default=False)
    hours_to_first_response = models.FloatField(null=True)  # None: still waiting
    within_target = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["local_government", "received_on"],
                include=["closed", "outcome", "hours_to_first_response", "within_target"],
                name="casefact_lg_day_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_government_id} {self.received_on}"


class CaseItemFact(models.Model):
    """How many services of a kind, or referrals of a (kind, status), a case has."""

    SERVICE = "service"
    REFERRAL = "referral"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_index=False)
    local_government = _fact_local_government()
    received_on = models.DateField()
    item = models.CharField(max_length=8)  # SERVICE or REFERRAL
    key = models.CharField(max_length=32)  # service kind, or "kind:status" of a referral
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["local_government", "received_on"],
                include=["item", "key", "n"],
                name="itemfact_lg_day_idx",
            ),
            models.Index(fields=["case"], name="itemfact_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.local_government_id} {self.item} {self.key}"
