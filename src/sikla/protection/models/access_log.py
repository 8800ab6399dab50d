"""Who read what: the append-only access log, and emergency openings (break the glass)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField
from .cases import Case, Complaint

__all__ = [
    "AccessKind",
    "AppendOnlyQuerySet",
    "AccessLog",
    "BreakGlass",
]


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
            # who appears in a unit's log (its page's filter by person), and one person's
            # entries newest first: a probe per person, not a pass over the unit's 75,000 rows
            models.Index(
                fields=["local_government", "user", "at"], name="accesslog_lg_user_at_idx"
            ),
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
