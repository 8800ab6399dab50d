import hashlib
import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    NATIONAL_EVALUATOR = "national_evaluator", _("Evaluator nasional (KemenPPPA)")
    PROVINCIAL_EVALUATOR = "provincial_evaluator", _("Evaluator provinsi")
    SECRETARIAT = "secretariat", _("Sekretariat Gugus Tugas (DP3A)")
    TASK_FORCE_CHAIR = "task_force_chair", _("Ketua Gugus Tugas")
    AGENCY_OPERATOR = "agency_operator", _("Operator perangkat daerah")
    CASE_WORKER = "case_worker", _("Pendamping kasus (UPTD PPA)")
    CASE_SUPERVISOR = "case_supervisor", _("Supervisor kasus (UPTD PPA)")
    VILLAGE_OFFICER = "village_officer", _("Petugas kecamatan/kelurahan")
    VIEWER = "viewer", _("Pemantau (hanya baca)")


class User(AbstractUser):
    """A person with one role and one scope.

    `scope` is a region code: "" for the nation, "53" a province, "53.71" a kab/kota, a kecamatan
    or kelurahan code for village officers. Agency operators also carry their agency.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices, default=Role.VIEWER)
    scope = models.CharField(_("cakupan wilayah"), max_length=13, blank=True, db_index=True)
    agency = models.ForeignKey(
        "organisations.Agency",
        verbose_name=_("perangkat daerah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("telepon"), max_length=32, blank=True)

    objects = UserManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["username"]
        indexes = [
            models.Index(
                fields=["scope"], name="user_scope_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="agency_operator") | models.Q(agency__isnull=False),
                name="user_agency_operator_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def scope_label(self) -> str:
        """The scope as people name it: "Nasional", "Nusa Tenggara Timur", "Kota Kupang",
        "Kecamatan Oebobo" (its code only if the region is unknown)."""
        if not self.scope:
            return str(_("Nasional"))
        if (name := getattr(self, "scope_name", None)) is None:
            from sikla.regions.models import Region

            name = Region.objects.filter(code=self.scope).values_list("name", flat=True).first()
        return name or self.scope


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=80, default="api")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
