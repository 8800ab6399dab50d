"""Shared bases and the audit log written by every action."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimeStampedModel):
    """A model addressed in URLs by a random UUID, never by its sequential id."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


# Events whose target is a model of this app (`target_type` "protection.case", ...) belong to the
# child-protection compartment: never shown in the general history (organisations.queries).
PROTECTION_COMPARTMENT = "protection."


class AuditEvent(models.Model):
    """One row per state change, written inside the action's transaction.

    `region_code` is the region the change belongs to (a kab/kota code for tenant data), so the
    history of a local government is a prefix match on an indexed column.
    """

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("tindakan"), max_length=64)
    target_type = models.CharField(_("jenis objek"), max_length=64)
    target_id = models.CharField(_("id objek"), max_length=64)
    target_label = models.CharField(_("objek"), max_length=255)
    region_code = models.CharField(_("wilayah"), max_length=13, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("jejak audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["region_code"], name="audit_region_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"


class Notification(models.Model):
    """An in-app message to one user about something waiting for them. Never carries a child's
    identity: the text names the object and the link opens it through its checked view."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.CharField(max_length=255)
    link = models.CharField(max_length=255, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class Holiday(models.Model):
    """A day off that the national calendar library does not know: a joint leave day decided
    late, or a regional holiday of a province or kab/kota (`region_code`; "" for the nation).
    Added by a national admin (`core.actions.add_holiday`); read by `core.workdays`."""

    date = models.DateField(_("tanggal"))
    name = models.CharField(_("nama"), max_length=120)
    region_code = models.CharField(_("wilayah"), max_length=13, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date", "region_code"]
        constraints = [
            models.UniqueConstraint(fields=["date", "region_code"], name="holiday_once_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
