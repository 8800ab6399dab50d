from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sikla.core.localtime import ZONE_CHOICES
from sikla.core.models import PublicIdModel, TimeStampedModel


class LocalGovernment(TimeStampedModel):
    """A kab/kota taking part in KLA (Pemda). Every tenant-owned row points to one.

    Its primary key is the region code itself, so scoping a tenant table is a prefix match on the
    foreign-key column (`local_government_id LIKE '53.%'`) with no join.
    """

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("wilayah"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="local_government",
        limit_choices_to={"level": "regency"},
    )
    head_title = models.CharField(_("jabatan kepala daerah"), max_length=40, default="Wali Kota")
    head_name = models.CharField(_("nama kepala daerah"), max_length=150, blank=True)
    address = models.TextField(_("alamat kantor"), blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    logo = models.ImageField(_("logo kop surat"), upload_to="logos/", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    time_zone = models.CharField(
        _("zona waktu"),
        max_length=32,
        blank=True,
        choices=ZONE_CHOICES,
        help_text=_("Kosongkan untuk memakai zona waktu provinsi."),
    )

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        ordering = ["region_id"]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from sikla.core import localtime

        localtime.forget()  # its time zone may have changed

    @property
    def head_office(self) -> str:
        """How the head's office is written: "Wali Kota Kupang", "Bupati Aceh Utara" — the
        region's name without its "Kota"/"Kabupaten", which the title already says."""
        name = self.region.name
        for prefix in ("Kabupaten ", "Kab. ", "Kota "):
            if name.startswith(prefix):
                name = name[len(prefix) :]
                break
        return f"{self.head_title} {name}"

    def __str__(self) -> str:
        return self.region.name

    @property
    def code(self) -> str:
        return self.region_id

    @property
    def name(self) -> str:
        return self.region.name


class AgencyKind(models.TextChoices):
    LOCAL_AGENCY = "local_agency", _("Perangkat daerah (OPD)")
    VERTICAL_BODY = "vertical_body", _("Instansi vertikal")
    COMMUNITY = "community", _("Organisasi masyarakat")
    BUSINESS = "business", _("Dunia usaha")
    MEDIA = "media", _("Media massa")
    CHILD_FORUM = "child_forum", _("Forum Anak")


class Agency(PublicIdModel):
    """An OPD or a partner of a local government (vertical body, community, business, media…)."""

    local_government = models.ForeignKey(
        LocalGovernment,
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=AgencyKind.choices)
    name = models.CharField(_("nama"), max_length=200)
    abbreviation = models.CharField(
        _("singkatan"),
        max_length=30,
        validators=[
            RegexValidator(r"^[\w .&/()-]+$", _("Singkatan hanya boleh huruf, angka, dan spasi."))
        ],
    )
    head_name = models.CharField(_("nama pimpinan"), max_length=150, blank=True)
    contact_person = models.CharField(_("narahubung"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=32, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    address = models.TextField(_("alamat"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("perangkat daerah/mitra")
        verbose_name_plural = _("perangkat daerah/mitra")
        ordering = ["local_government_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_government", "abbreviation"], name="agency_unique_abbreviation"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AgencyKind.values), name="agency_kind_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["local_government", "kind", "name"], name="agency_lg_kind_name_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.abbreviation


class TaskForce(PublicIdModel):
    """A Gugus Tugas KLA set by a regent/mayor decree (SK). One active per local government."""

    local_government = models.ForeignKey(
        LocalGovernment,
        verbose_name=_("pemerintah daerah"),
        on_delete=models.PROTECT,
        related_name="task_forces",
    )
    decree_number = models.CharField(_("nomor SK"), max_length=120)
    decree_date = models.DateField(_("tanggal SK"))
    chair_name = models.CharField(_("nama ketua"), max_length=150)
    chair_position = models.CharField(_("jabatan ketua"), max_length=150, default="Kepala Bappeda")
    secretariat_agency = models.ForeignKey(
        Agency,
        verbose_name=_("sekretariat"),
        on_delete=models.PROTECT,
        related_name="secretariat_of",
    )
    is_active = models.BooleanField(_("berlaku"), default=True)

    class Meta:
        verbose_name = _("gugus tugas KLA")
        verbose_name_plural = _("gugus tugas KLA")
        ordering = ["local_government_id", "-decree_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_government"],
                condition=models.Q(is_active=True),
                name="taskforce_one_active_per_lg",
            ),
        ]

    def __str__(self) -> str:
        return f"Gugus Tugas KLA {self.local_government_id} ({self.decree_number})"


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Ketua")
    VICE_CHAIR = "vice_chair", _("Wakil ketua")
    SECRETARY = "secretary", _("Sekretaris")
    CLUSTER_COORDINATOR = "cluster_coordinator", _("Koordinator klaster")
    MEMBER = "member", _("Anggota")


class TaskForceMember(PublicIdModel):
    task_force = models.ForeignKey(
        TaskForce, verbose_name=_("gugus tugas"), on_delete=models.CASCADE, related_name="members"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("lembaga"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("kedudukan"), max_length=24, choices=MemberRole.choices)
    cluster = models.PositiveSmallIntegerField(
        _("klaster"),
        null=True,
        blank=True,
        help_text=_("0 = Kelembagaan, 1–5 = Klaster I–V; wajib untuk koordinator klaster."),
    )
    person_name = models.CharField(_("nama"), max_length=150, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("anggota gugus tugas")
        verbose_name_plural = _("anggota gugus tugas")
        ordering = ["task_force", "role", "cluster", "agency__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cluster__isnull=True) | models.Q(cluster__lte=5),
                name="taskforce_member_cluster_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="cluster_coordinator") | models.Q(cluster__isnull=False),
                name="taskforce_coordinator_has_cluster",
            ),
            models.UniqueConstraint(
                fields=["task_force", "agency", "role", "cluster"],
                name="taskforce_member_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.agency}"
