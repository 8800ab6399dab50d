"""Reports and cases: a complaint, the case it becomes, its children (their names in the blind
index), alleged perpetrators, services, referrals, the guardian's consent, documents and the
status history. Every identity is an `EncryptedTextField`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikla.core.models import PublicIdModel

from ..crypto import EncryptedTextField
from .choices import (
    CaseStatus,
    Channel,
    DismissReason,
    GuardianRelation,
    Outcome,
    Place,
    ProtectionType,
    PublicStatus,
    ReferralKind,
    ReferralStatus,
    Relationship,
    ReporterRelation,
    ResponsibleLevel,
    Risk,
    ServiceKind,
    Sex,
    Urgency,
)

__all__ = [
    "Complaint",
    "Case",
    "CaseType",
    "Child",
    "ChildNameToken",
    "Perpetrator",
    "Service",
    "Referral",
    "GuardianConsent",
    "document_path",
    "Document",
    "CaseTransition",
]


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
            # the cases still waiting for a first response (the start page's overdue list, the
            # list's "overdue" filter, the reminders): a few hundred of a unit's 50,000
            models.Index(
                fields=["local_government", "received_at"],
                condition=models.Q(first_response_at__isnull=True),
                name="case_awaiting_response_idx",
            ),
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
        indexes = [
            # cases referred on a supervisor's override whose consent is still owed (the start
            # pages' count and the case list's filter): 1 referral in 20, read without the rest
            models.Index(
                fields=["case"],
                condition=models.Q(consent_overridden=True),
                name="referral_overridden_idx",
            ),
        ]

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
